/**
 * One "Options" collection: Concurrency and Max Requests per Second are read from the operation's Options,
 * and, for workflows saved before, from the old node-level Request Options. Measured on the simulator,
 * which answers each call 200 ms late: concurrent items start their calls together, one-by-one items
 * 200 ms apart.
 */
import type { IDataObject } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';
import { seedPayment } from '../../support/seed';

let simulator: RevenueMonsterSimulator;
beforeAll(async () => {
	simulator = await startSimulator({ latencyMs: 200, autoNotify: false });
});
afterAll(async () => {
	await simulator.stop();
});

function transactionItems(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, i) => {
		const transaction = seedPayment(simulator, { orderId: `OPT-${Date.now()}-${i}`, title: 'Coffee' });
		return { transactionId: transaction.transactionId };
	});
}

/** The most calls to one path that started within 100 ms of each other. */
async function mostStartedTogether(parameters: IDataObject): Promise<number> {
	const since = simulator.apiLog().length;
	const { error } = await runNode({
		nodeType: new RevenueMonster(),
		parameters: { resource: 'transaction', operation: 'get', transactionId: '={{ $json.transactionId }}', ...parameters },
		items: transactionItems(6),
		credentialsHelper: new InMemoryCredentialsHelper(simulatorCredentials(simulator)),
	});
	expect(error).toBeUndefined();
	const starts = simulator
		.apiLog()
		.slice(since)
		.filter((entry) => entry.path.startsWith('/v3/payment/transaction/'))
		.map((entry) => Date.parse(entry.at));
	expect(starts).toHaveLength(6);
	return Math.max(...starts.map((start) => starts.filter((other) => other >= start && other - start < 100).length));
}

it('reads Concurrency from the Options collection', async () => {
	expect(await mostStartedTogether({ options: { concurrency: 4 } })).toBeGreaterThanOrEqual(3);
});

it('reads it from the old Request Options of a workflow saved before', async () => {
	expect(await mostStartedTogether({ requestOptions: { concurrency: 4 } })).toBeGreaterThanOrEqual(3);
});

it('Options wins over the old Request Options', async () => {
	expect(await mostStartedTogether({ options: { concurrency: 1 }, requestOptions: { concurrency: 4 } })).toBe(1);
});

it('control: without either, items go one at a time', async () => {
	expect(await mostStartedTogether({})).toBe(1);
});
