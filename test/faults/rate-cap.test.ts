/**
 * Request Options → Max Requests per Second under load: the transport's throttle (one per node
 * execution, shared by every concurrent item) with 16 callers at once, some of their calls answered
 * 429 and tried again (each try takes a slot, as in transport/request.ts). On jest's fake clock, so
 * the check is exact and takes no real time; the benchmark measures the same cap on real HTTP.
 */
import { RequestThrottle } from '../../nodes/RevenueMonster/transport/throttle';
import { ReliabilityLog } from '../../support/reliability';
import { recordAndAssert } from '../helpers/suite';

const log = new ReliabilityLog('rate-cap');
afterAll(() => log.save());
afterEach(() => jest.useRealTimers());

/** Most call starts inside any one-second window. */
function busiestSecond(starts: number[]): number {
	const sorted = [...starts].sort((a, b) => a - b);
	let best = 0;
	let end = 0;
	for (let start = 0; start < sorted.length; start++) {
		while (end < sorted.length && sorted[end] < sorted[start] + 1000) end++;
		best = Math.max(best, end - start);
	}
	return best;
}

it.each([1, 5, 20, 100])('a cap of %i/s holds with 16 concurrent callers and 429 retries', async (cap) => {
	jest.useFakeTimers({ now: 1_800_000_000_000 });
	const throttle = new RequestThrottle(cap);
	const calls = Math.max(cap * 4, 32);
	const starts: number[] = [];
	let next = 0;
	let rateLimited = 0;

	const caller = async () => {
		while (next < calls) {
			const call = next++;
			for (let attempt = 0; ; attempt++) {
				await throttle.wait();
				starts.push(Date.now());
				// Each call takes 5–45 ms; every 7th call's first try is answered 429 and tried again.
				await new Promise((resolve) => setTimeout(resolve, 5 + ((call * 13) % 41)));
				if (call % 7 === 0 && attempt === 0) {
					rateLimited++;
					continue;
				}
				break;
			}
		}
	};
	const all = Promise.all(Array.from({ length: 16 }, caller));
	await jest.runAllTimersAsync();
	await all;

	const busiest = busiestSecond(starts);
	const spanSeconds = (Math.max(...starts) - Math.min(...starts)) / 1000;
	recordAndAssert(
		log,
		{
			area: 'Rate cap',
			fault: `Max Requests per Second = ${cap}, 16 concurrent callers, ${calls} calls, ${rateLimited} answered 429 once`,
			expected: `at most ${cap} requests in any one second, retries included`,
			observed: `${starts.length} requests, busiest second ${busiest}, average ${(starts.length / spanSeconds).toFixed(1)}/s`,
			cases: calls,
			lost: calls - (starts.length - rateLimited),
			duplicateCharges: 0,
			secretsLeaked: 0,
		},
		{ [`at most ${cap} in any second`]: busiest <= cap, 'each call and retry started once': starts.length === calls + rateLimited },
	);
});
