/**
 * Memory for a 10,000-item list, in a fresh process started with --expose-gc so the figures hold
 * only this run: Transaction → Get Many (Return All) through n8n's engine against the simulator
 * process, which holds the seeded transactions. Heap and RSS are sampled while the list is read;
 * "retained" is measured after a full GC with the output still referenced.
 */
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import type { RevenueMonsterSimulator } from '../../simulator/server';

const gc = (globalThis as { gc?: () => void }).gc;

async function main(url: string, expected: number): Promise<void> {
	if (!gc) throw new Error('run with --expose-gc');
	const credentials = new InMemoryCredentialsHelper(simulatorCredentials({ url } as RevenueMonsterSimulator));
	const run = (parameters: object) =>
		runNode({ nodeType: new RevenueMonster(), parameters: { resource: 'transaction', operation: 'getMany', ...parameters }, items: [{}], credentialsHelper: credentials });

	// Warm-up: modules, JIT and the access token are not part of the list's cost.
	await run({ returnAll: false, limit: 200 });
	gc();
	gc();
	const before = process.memoryUsage();
	let peakHeap = before.heapUsed;
	let peakRss = before.rss;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		peakRss = Math.max(peakRss, now.rss);
	}, 2);
	const started = Date.now();
	const result = await run({ returnAll: true });
	const elapsedMs = Date.now() - started;
	clearInterval(sampler);
	const during = process.memoryUsage();
	peakHeap = Math.max(peakHeap, during.heapUsed);
	peakRss = Math.max(peakRss, during.rss);
	gc();
	gc();
	const after = process.memoryUsage();
	const items = result.outputs[0] ?? [];
	if (result.error || items.length !== expected) {
		throw new Error(`list returned ${items.length} items, expected ${expected}: ${result.error?.message ?? ''}`);
	}
	const jsonBytes = Buffer.byteLength(JSON.stringify(items.map((item) => item.json)));
	process.send?.({
		items: items.length,
		elapsedMs,
		jsonBytes,
		peakHeapDeltaBytes: peakHeap - before.heapUsed,
		retainedHeapDeltaBytes: after.heapUsed - before.heapUsed,
		peakRssDeltaBytes: peakRss - before.rss,
	});
}

main(process.argv[2], Number(process.argv[3])).catch((error: Error) => {
	process.send?.({ error: error.message });
});
