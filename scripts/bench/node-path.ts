/**
 * The node's real per-item path: "Test Items → Revenue Monster" run by n8n-core's WorkflowExecute
 * (support/n8n.ts), so each item goes through the router, the operation, n8n's
 * httpRequestWithAuthentication, the credential's authenticate (signing) and real HTTP to the
 * simulator: the token requests the credential makes over several executions, and a CPU profile of
 * the per-item path split by who spends the time. (Per-item CPU time against the alternatives:
 * alternatives.ts.)
 */
import { Session } from 'inspector';

import type { IDataObject } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials, type NodeRunResult } from '../../support/n8n';
import type { RevenueMonsterSimulator } from '../../simulator/server';
import { round } from './measure';
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
 * function such as a socket write counts for the code that called it). Idle samples are not CPU.
 */
function ownerOf(url: string, functionName: string): string | undefined {
	if (functionName === '(garbage collector)') return 'garbage collection';
	if (functionName === '(idle)') return IDLE;
	// The profiler's own work when it is stopped is not part of the path.
	if (url === 'node:inspector') return IDLE;
	if (functionName === '(program)') return 'V8 and libuv, unattributed';
	if (url === 'node:internal/crypto/sig') return 'RSA signing';
	if (
		(/^node:(net|dns|internal\/net|internal\/dns)/.test(url) && /connect|lookup/i.test(functionName)) ||
		(url === 'node:_http_agent' && /createSocket|createConnection/.test(functionName))
	) {
		return 'TCP connect (a new connection per request)';
	}
	if (/\/nodes\/RevenueMonster\/|\/credentials\//.test(url)) return 'this package (nodes/, credentials/)';
	if (
		/node_modules\/(axios|follow-redirects|@n8n\/backend-network|form-data|proxy-from-env)\//.test(url) ||
		/^node:(_http_|http|net|dns|events|domain|internal\/(net|http|stream_base_commons|dns|streams))/.test(url)
	) {
		return "HTTP: axios, n8n's request helper, node:http and its streams";
	}
	if (/node_modules\/(n8n-core|n8n-workflow|@n8n|luxon|lodash|jmespath|@n8n_io)\//.test(url)) return 'n8n engine (items, parameters, expressions, credentials)';
	if (/\/test\/helpers\//.test(url)) return 'test harness (in-memory credential store)';
	return undefined;
}

const IDLE = 'idle';

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
		return 'other (Node internals: promise and async-hook scheduling)';
	};
	const totals = new Map<string, number>();
	let busy = 0;
	const unattributed = new Map<string, number>();
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		const area = areaOf(id);
		totals.set(area, (totals.get(area) ?? 0) + delta);
		if (process.env.BENCH_PROFILE_DEBUG && area.startsWith('other')) {
			const stack: string[] = [];
			for (let current: number | undefined = id; current !== undefined && stack.length < 6; current = parentOf.get(current)) {
				const frame = byId.get(current)!.callFrame;
				stack.push(`${frame.functionName || '(anon)'}@${frame.url.replace(/^.*node_modules\//, '')}`);
			}
			const keyText = stack.join(' < ');
			unattributed.set(keyText, (unattributed.get(keyText) ?? 0) + delta);
		}
		if (area !== IDLE) busy += delta;
	});
	if (process.env.BENCH_PROFILE_DEBUG) {
		for (const [stack, time] of [...unattributed.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
			process.stdout.write(`${round((100 * time) / busy, 1)}% ${stack}\n`);
		}
	}
	return [...totals.entries()]
		.filter(([area]) => area !== IDLE)
		.map(([area, time]) => ({ area, percent: round((100 * time) / busy, 1) }))
		.sort((a, b) => b.percent - a.percent);
}
