/**
 * Bulk charges (Order → Create, one bound card per item) with the simulator answering 50 ms late, at
 * concurrency 1 and 8; then the requests-per-second cap at concurrency 8, checked from the times
 * the simulator received the calls.
 */
import { chargeParameters } from '../../support/fault-runs';
import { maxInWindow, round, timed } from './measure';
import { credentialsFor, runItems } from './node-path';
import type { SimulatorProcess } from './simulator-process';

export interface BulkRun {
	concurrency: number;
	items: number;
	totalMs: number;
	perItemMs: number;
	/** charges the simulator recorded for these customers beyond one each */
	duplicateCharges: number;
	missingCharges: number;
}

export interface ConcurrencyResult {
	latencyMs: number;
	runs: BulkRun[];
	speedup: number;
}

async function bulkCharges(simulator: SimulatorProcess, count: number, concurrency: number): Promise<BulkRun> {
	const customerIds = await simulator.call<string[]>('seedCustomers', count);
	const credentials = credentialsFor(simulator);
	const { value, ms } = await timed(() =>
		runItems(credentials, chargeParameters({ concurrency }), customerIds.map((customerId) => ({ customerId, amount: 1000 }))),
	);
	if (value.outputs[0]?.length !== count) throw new Error('bulk charges lost items');
	const charges = await simulator.call<number[]>('chargesPerCustomer', customerIds);
	return {
		concurrency,
		items: count,
		totalMs: round(ms, 1),
		perItemMs: round(ms / count, 2),
		duplicateCharges: charges.reduce((sum, charged) => sum + Math.max(0, charged - 1), 0),
		missingCharges: charges.filter((charged) => charged === 0).length,
	};
}

export async function measureConcurrency(simulator: SimulatorProcess, count: number, latencyMs: number): Promise<ConcurrencyResult> {
	await simulator.call('setOptions', { latencyMs });
	try {
		const sequential = await bulkCharges(simulator, count, 1);
		const concurrent = await bulkCharges(simulator, count, 8);
		return { latencyMs, runs: [sequential, concurrent], speedup: round(sequential.totalMs / concurrent.totalMs, 2) };
	} finally {
		await simulator.call('setOptions', { latencyMs: 0 });
	}
}

export interface RateCapResult {
	capPerSecond: number;
	concurrency: number;
	items: number;
	totalMs: number;
	/** most calls the simulator received inside any one second */
	maxInAnySecond: number;
	averagePerSecond: number;
}

export async function measureRateCap(simulator: SimulatorProcess, count: number, cap: number): Promise<RateCapResult> {
	const customerIds = await simulator.call<string[]>('seedCustomers', count);
	const credentials = credentialsFor(simulator);
	await simulator.call('clearLog');
	const { ms } = await timed(() =>
		runItems(
			credentials,
			chargeParameters({ concurrency: 8, maxRequestsPerSecond: cap }),
			customerIds.map((customerId) => ({ customerId, amount: 1000 })),
		),
	);
	const arrivals = await simulator.call<number[]>('arrivals', '/v3/customer/');
	return {
		capPerSecond: cap,
		concurrency: 8,
		items: count,
		totalMs: round(ms, 1),
		maxInAnySecond: maxInWindow(arrivals, 1000),
		averagePerSecond: round((arrivals.length * 1000) / ms, 1),
	};
}
