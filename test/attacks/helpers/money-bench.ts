/**
 * What every money attack suite runs against: the fault suite (simulator, issued tokens, the suite's
 * reliability rows, backoff cut to milliseconds) and the lying proxy in front of the simulator.
 */
import { useFaultSuite, type FaultSuite } from '../../helpers/suite';
import { MoneyProxy } from './money-proxy';

export interface MoneyBench extends FaultSuite {
	proxy: MoneyProxy;
}

/** Starts the bench before the suite's tests and stops it after them, saving the suite's rows. */
export function useMoneyBench(suite: string): MoneyBench {
	const bench = useFaultSuite(suite) as MoneyBench;
	beforeAll(async () => {
		bench.proxy = await new MoneyProxy(bench.simulator.url).start();
	});
	afterAll(async () => await bench.proxy.stop());
	return bench;
}
