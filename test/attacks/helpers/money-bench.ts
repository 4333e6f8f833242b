/**
 * What every money attack suite runs against: the simulator, the lying proxy in front of it, the
 * tokens it issued (to search for) and the suite's reliability rows, with the transport's backoff cut
 * to milliseconds (real backoff is seconds; what is resent, and how often, is what is tested).
 */
import { retryPolicy } from '../../../nodes/RevenueMonster/transport/request';
import { ReliabilityLog, recordIssuedTokens } from '../../../support/reliability';
import { startSimulator, type RevenueMonsterSimulator } from '../../../simulator/server';
import { MoneyProxy } from './money-proxy';

export interface MoneyBench {
	simulator: RevenueMonsterSimulator;
	proxy: MoneyProxy;
	issuedTokens: Set<string>;
	log: ReliabilityLog;
}

/** Starts the bench before the suite's tests and stops it after them, saving the suite's rows. */
export function useMoneyBench(suite: string): MoneyBench {
	const bench = { log: new ReliabilityLog(suite) } as MoneyBench;
	const savedPolicy = { ...retryPolicy };
	beforeAll(async () => {
		Object.assign(retryPolicy, { baseDelayMs: 1, maxDelayMs: 4 });
		bench.simulator = await startSimulator({ autoNotify: false });
		bench.issuedTokens = recordIssuedTokens(bench.simulator);
		bench.proxy = await new MoneyProxy(bench.simulator.url).start();
	});
	afterAll(async () => {
		Object.assign(retryPolicy, savedPolicy);
		await bench.proxy.stop();
		await bench.simulator.stop();
		bench.log.save();
	});
	return bench;
}
