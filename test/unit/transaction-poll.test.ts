/**
 * The poller's rules without a server: the list read in whatever order RM chooses, and the bound on
 * what the state remembers.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	comparePoll,
	MAX_REMEMBERED,
	scanTransactions,
	type PollSettings,
} from '../../nodes/RevenueMonster/polling/transactions';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const settings: PollSettings = { statuses: ['FAILED'], types: [], lookBackHours: 72 };

function transaction(id: number, hoursAgo: number, status = 'SUCCESS'): IDataObject {
	const at = new Date(NOW - hoursAgo * HOUR).toISOString();
	return { transactionId: String(id), status, type: 'RECURRING_PAYMENT', createdAt: at, updatedAt: at };
}

/** A context whose only HTTP is a list served in pages of 100 from `all`, counting the calls. */
function listContext(all: IDataObject[]): { context: IPollFunctions; calls: () => number } {
	let calls = 0;
	const context = {
		getNode: () => ({ name: 'Transaction Trigger' }),
		// the transport reads the credential itself to hand n8n (issue 9: it decides every resend)
		getCredentials: async () => ({}),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: { qs?: IDataObject }) => {
				calls++;
				const start = Number(options.qs?.cursor ?? 0);
				const end = start + Number(options.qs?.limit ?? 100);
				return { items: all.slice(start, end), code: 'SUCCESS', meta: { cursor: end < all.length ? String(end) : '' } };
			},
		},
	} as unknown as IPollFunctions;
	return { context, calls: () => calls };
}

describe('reading the list', () => {
	const cutoff = NOW - 72 * HOUR;
	// 50 in the window, 450 long before it.
	const recent = Array.from({ length: 50 }, (_, i) => transaction(i, i));
	const older = Array.from({ length: 450 }, (_, i) => transaction(1000 + i, 100 + i));

	it('newest first: stops at the first page that reaches before the window', async () => {
		const { context, calls } = listContext([...recent, ...older]);
		const scan = await scanTransactions.call(context, cutoff);
		expect(calls()).toBe(1);
		expect(scan.order).toBe('newest-first');
	});

	it('oldest first: notices and reads to the end, so nothing in the window is missed', async () => {
		const { context, calls } = listContext([...recent, ...older].reverse());
		const scan = await scanTransactions.call(context, cutoff);
		expect(scan.order).toBe('oldest-first');
		expect(calls()).toBe(5);
		const ids = new Set(scan.transactions.map((item) => item.transactionId));
		for (const item of recent) expect(ids.has(item.transactionId)).toBe(true);
	});

	it('shuffled: reads to the end as well', async () => {
		const all = [...recent, ...older];
		const shuffled = all.map((item, i) => all[(i * 37) % all.length]);
		const { context, calls } = listContext(shuffled);
		const scan = await scanTransactions.call(context, cutoff);
		expect(scan.order).toBe('unordered');
		expect(calls()).toBe(5);
	});

	it('stops at the page limit and says so', async () => {
		const { context, calls } = listContext([...recent].reverse().concat(older.reverse()));
		const scan = await scanTransactions.call(context, cutoff, 2);
		expect(calls()).toBe(2);
		expect(scan.truncated).toBe(true);
	});
});

describe('the bound on remembered transactions', () => {
	it(`keeps the newest ${MAX_REMEMBERED}, raises the window's floor, and never reports a dropped one`, () => {
		const many = Array.from({ length: MAX_REMEMBERED + 500 }, (_, i) => transaction(i, 1 + i / 100));
		const first = comparePoll(undefined, many, settings, NOW);
		const second = comparePoll(first.state, many, settings, NOW + 60_000);
		expect(Object.keys(second.state.seen).length).toBeLessThanOrEqual(MAX_REMEMBERED);
		expect(second.state.floor).toBeGreaterThan(NOW - 72 * HOUR);

		// Every dropped (older) transaction now fails: none is reported, it is outside the floor.
		const failedLater = many.map((item) => ({ ...item, status: 'FAILED' }));
		const third = comparePoll(second.state, failedLater, settings, NOW + 120_000);
		const reported = new Set(third.emit.map((item) => item.transactionId));
		for (const id of Object.keys(second.state.seen)) expect(reported.has(id)).toBe(true);
		expect(reported.size).toBe(Object.keys(second.state.seen).length);
		// Nothing is reported twice.
		expect(comparePoll(third.state, failedLater, settings, NOW + 180_000).emit).toEqual([]);
	});

	it('a burst larger than the bound since the last poll is remembered whole until the next poll', () => {
		const start = comparePoll(undefined, [], settings, NOW);
		const burst = Array.from({ length: MAX_REMEMBERED + 300 }, (_, i) => transaction(i, -i / 100_000, 'FAILED'));
		const polled = comparePoll(start.state, burst, { ...settings }, NOW + 60_000);
		expect(polled.emit).toHaveLength(burst.length);
		expect(comparePoll(polled.state, burst, settings, NOW + 120_000).emit).toEqual([]);
	});
});
