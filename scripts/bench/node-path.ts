/**
 * The node's real per-item path: "Test Items → Revenue Monster" run by n8n-core's WorkflowExecute
 * (test/helpers/n8n.ts), so each item goes through the router, the operation, n8n's
 * httpRequestWithAuthentication, the credential's authenticate (signing) and real HTTP to the
 * simulator. Also the token requests the credential makes over several executions, and a CPU
 * profile of the per-item path split by who spends the time.
 */
import { Session } from 'inspector';

import type { IDataObject } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials, type NodeRunResult } from '../../test/helpers/n8n';
import type { RevenueMonsterSimulator } from '../../test/simulator/server';
import { round, spread, timed } from './measure';
import type { SimulatorProcess } from './simulator-process';

export function credentialsFor(simulator: SimulatorProcess, overrides: IDataObject = {}): InMemoryCredentialsHelper {
	return new InMemoryCredentialsHelper(
		simulatorCredentials({ url: simulator.url } as RevenueMonsterSimulator, overrides as never),
	);
}

export const GET_TRANSACTION = {
	resource: 'transaction',
	operation: 'get',
	transactionId: '={{ $json.transactionId }}',
};

export async function runItems(
	credentials: InMemoryCredentialsHelper,
	parameters: IDataObject,
	items: IDataObject[],
): Promise<NodeRunResult> {
	const result = await runNode({ nodeType: new RevenueMonster(), parameters, items, credentialsHelper: credentials });
	if (result.error) throw new Error(`benchmark run failed: ${result.error.message}`);
	return result;
}

export function itemsFor(transactionIds: string[], count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({ transactionId: transactionIds[index % transactionIds.length] }));
}

export interface PerItemResult {
	/** items per execution */
	items: number;
	/** median of the executions' per-item times */
	perItemMs: number;
	/** each execution's per-item time */
	executionsPerItemMs: number[];
	/** TCP connections the simulator accepted per item (n8n's HTTP helper does not keep them) */
	connectionsPerItem: number;
}

/**
 * The node's per-item time, one execution at a time (so the benchmark can interleave executions
 * with the floor and the peer and load on the machine hits all three alike). Warms up first.
 */
export async function perItemMeter(simulator: SimulatorProcess, transactionIds: string[]) {
	const credentials = credentialsFor(simulator);
	await runItems(credentials, GET_TRANSACTION, itemsFor(transactionIds, 200));
	const perItem: number[] = [];
	let connections = 0;
	let items = 0;
	return {
		/** one execution over `count` items; `record` false for a warm-up */
		async execution(count: number, record = true): Promise<void> {
			const before = (await simulator.call<{ connections: number }>('stats')).connections;
			const { value, ms } = await timed(() => runItems(credentials, GET_TRANSACTION, itemsFor(transactionIds, count)));
			if (value.outputs[0]?.length !== count) throw new Error('benchmark run lost items');
			if (!record) return;
			connections += (await simulator.call<{ connections: number }>('stats')).connections - before;
			items += count;
			perItem.push(ms / count);
		},
		result(): PerItemResult {
			return {
				items: items / perItem.length,
				perItemMs: spread(perItem).median,
				executionsPerItemMs: perItem.map((value) => round(value, 3)),
				connectionsPerItem: round(connections / items, 3),
			};
		},
	};
}

export interface TokenResult {
	items: number;
	executions: number;
	concurrency: number;
	tokensIssued: number;
	tokensPer1000Items: number;
}

/** Token requests over three executions sharing one credential (n8n stores the token in it). */
export async function measureTokens(
	simulator: SimulatorProcess,
	transactionIds: string[],
	concurrency: number,
): Promise<TokenResult> {
	const credentials = credentialsFor(simulator);
	const before = (await simulator.call<{ tokensIssued: number }>('stats')).tokensIssued;
	const sizes = [334, 333, 333];
	for (const size of sizes) {
		await runItems(credentials, { ...GET_TRANSACTION, requestOptions: { concurrency } }, itemsFor(transactionIds, size));
	}
	const tokensIssued = (await simulator.call<{ tokensIssued: number }>('stats')).tokensIssued - before;
	const items = sizes.reduce((sum, size) => sum + size, 0);
	return { items, executions: sizes.length, concurrency, tokensIssued, tokensPer1000Items: round((tokensIssued * 1000) / items, 2) };
}

// ---------------------------------------------------------------------------------------------
// Profile

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}

export interface ProfileShare {
	area: string;
	percent: number;
}

/**
 * Who a sample's time belongs to: the nearest frame on its stack with a known owner (a native
 * function such as a socket write counts for the code that called it).
 */
function ownerOf(url: string, functionName: string): string | undefined {
	if (functionName === '(garbage collector)') return 'garbage collection';
	if (functionName === '(idle)') return 'idle (waiting for the simulator)';
	if (url === 'node:internal/crypto/sig') return 'RSA sign (the floor)';
	if (/\/nodes\/RevenueMonster\/|\/credentials\//.test(url)) return 'this package (nodes/, credentials/)';
	if (/node_modules\/(axios|follow-redirects|@n8n\/backend-network|form-data|proxy-from-env)\//.test(url) || /^node:(_http_|http|net|dns|internal\/(net|http|stream_base_commons|dns))/.test(url)) {
		return "HTTP (n8n's axios, node:http/net: a new connection per request)";
	}
	if (/node_modules\/(n8n-core|n8n-workflow|@n8n|luxon|lodash|jmespath|@n8n_io)\//.test(url)) return 'n8n engine (items, parameters, expressions)';
	if (/\/test\/helpers\//.test(url)) return 'test harness (in-memory credential store)';
	return undefined;
}

export async function profilePerItem(
	simulator: SimulatorProcess,
	transactionIds: string[],
	count: number,
): Promise<ProfileShare[]> {
	const credentials = credentialsFor(simulator);
	await runItems(credentials, GET_TRANSACTION, itemsFor(transactionIds, 100));
	const session = new Session();
	session.connect();
	const post = (method: string, params?: object) =>
		new Promise<unknown>((resolve, reject) =>
			session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 100 });
	await post('Profiler.start');
	await runItems(credentials, GET_TRANSACTION, itemsFor(transactionIds, count));
	const { profile } = (await post('Profiler.stop')) as {
		profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
	};
	session.disconnect();

	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
	const areaOf = (id: number): string => {
		for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
			const { url, functionName } = byId.get(current)!.callFrame;
			const owner = ownerOf(url, functionName);
			if (owner) return owner;
		}
		return 'other (Node internals: promises, timers, events)';
	};
	const totals = new Map<string, number>();
	let all = 0;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		const area = areaOf(id);
		totals.set(area, (totals.get(area) ?? 0) + delta);
		all += delta;
	});
	return [...totals.entries()]
		.map(([area, time]) => ({ area, percent: round((100 * time) / all, 1) }))
		.sort((a, b) => b.percent - a.percent);
}
