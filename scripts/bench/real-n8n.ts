/**
 * The package inside a real n8n (the pinned 2.41.1, scripts/lib/n8n-runtime.ts), against what a user
 * does without it, in the same n8n, interleaved:
 *
 * - package:  Webhook → Code (N items with a transactionId) → Revenue Monster (Transaction → Get)
 * - httpCode: Webhook → HTTP Request (token) → Code (per item: RM's sign string, RSA-SHA256 with the
 *             merchant key via `crypto`, nonce, timestamp) → HTTP Request (GET with the four headers)
 * - probePerRequest / probeOnce: a bench-only custom node (N8N_CUSTOM_EXTENSIONS) making the same call
 *   through httpRequestWithAuthentication with this package's credential, reading the credential on
 *   every request (what the package does) or once per execution (`credentialsDecrypted`).
 *
 * Each workflow is started by a POST to its production webhook (it answers when the last node is
 * done). The cost is the CPU time of n8n's process tree (main process and task runner, from /proc)
 * per execution; per item = (CPU of N items − CPU of n items) ÷ (N − n), so n8n's start-up and each
 * execution's fixed cost drop out. The simulator runs in the benchmark's child process, not in n8n's tree.
 */
import { randomUUID } from 'crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { SIMULATOR_KEYS } from '../../simulator/keys';
import { N8nInstance, REPO_ROOT, packPackage, withoutNpmConfig, type N8nInstanceOptions } from '../lib/n8n-instance';
import { N8N_VERSION, NODE_VERSION, ensureN8nRuntime, type N8nRuntime } from '../lib/n8n-runtime';
import { freePort, runCommand, sleep } from '../lib/processes';
import { nowMs, round, summarize, type RoundSummary } from './measure';
import type { Postgres } from './postgres';
import type { SimulatorProcess } from './simulator-process';

export type RealVariant = 'package' | 'httpCode' | 'probePerRequest' | 'probeOnce';
export const REAL_VARIANTS: RealVariant[] = ['package', 'httpCode', 'probePerRequest', 'probeOnce'];

export interface RealN8nResult {
	n8nVersion: string;
	database: string;
	/** items in the large and the small execution of each pair */
	largeItems: number;
	smallItems: number;
	rounds: number;
	variants: Partial<Record<RealVariant, { cpuMsPerItem: RoundSummary; wallMsPerItem: RoundSummary }>>;
	/** package ÷ HTTP Request + Code, CPU per item, ratio taken within each round */
	packageOverHttpRequestCode?: RoundSummary;
	/** credential read once per execution ÷ on every request (the probe node), within each round */
	credentialOnceOverPerRequest?: RoundSummary;
	/** how long n8n took to start (s), for the record */
	startSeconds: number;
}

const OWNER = { email: 'bench@example.com', password: 'Bench-owner-password-1', firstName: 'Bench', lastName: 'Runner' };
const CREDENTIAL_NAME = 'Revenue Monster (simulator)';
/** transaction ids baked into the workflows' Code nodes */
const IDS_IN_CODE = 200;

/** An n8n with the bench's extra environment (the Code node's `crypto`, the probe node's folder). */
class BenchN8n extends N8nInstance {
	constructor(
		options: N8nInstanceOptions,
		private readonly extra: NodeJS.ProcessEnv,
	) {
		super(options);
	}

	async environment(): Promise<NodeJS.ProcessEnv> {
		return { ...(await super.environment()), ...this.extra };
	}
}

// ---------------------------------------------------------------------------------------------
// CPU of a process tree, from /proc

let clockTicks: number | undefined;

async function ticksPerSecond(): Promise<number> {
	if (clockTicks === undefined) {
		const { stdout } = await runCommand('getconf', ['CLK_TCK'], { timeoutMs: 10_000 });
		clockTicks = Number(stdout.trim()) || 100;
	}
	return clockTicks;
}

/**
 * CPU ms used by `rootPid` and every live descendant, including children they already reaped
 * (cutime/cstime), so a task runner that exits keeps its time in the sum.
 */
function treeCpuTicks(rootPid: number): number {
	const parent = new Map<number, number>();
	const ticks = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue;
		}
		// Fields after "(comm)": state ppid … utime(14) stime(15) cutime(16) cstime(17).
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		parent.set(Number(entry), Number(fields[1]));
		ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
	}
	let total = 0;
	for (const [pid, used] of ticks) {
		for (let current: number | undefined = pid; current !== undefined && current > 1; current = parent.get(current)) {
			if (current === rootPid) {
				total += used;
				break;
			}
		}
	}
	return total;
}

// ---------------------------------------------------------------------------------------------
// Workflows

interface Node {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

function chain(name: string, nodes: Array<Omit<Node, 'id' | 'position'>>): { name: string; nodes: Node[]; connections: object; settings: object } {
	const placed = nodes.map((node, index) => ({ ...node, id: randomUUID(), position: [index * 220, 0] as [number, number] }));
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < placed.length - 1; index++) {
		connections[placed[index].name] = { main: [[{ node: placed[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes: placed, connections, settings: { executionOrder: 'v1' } };
}

function webhook(pathName: string): Omit<Node, 'id' | 'position'> {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'lastNode', responseData: 'noData', options: {} },
	};
}

/** A Code node that emits N items ({ transactionId }) where N is the webhook body's `n`. */
function itemsCode(ids: string[]): Omit<Node, 'id' | 'position'> {
	return {
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			mode: 'runOnceForAllItems',
			jsCode: [
				`const ids = ${JSON.stringify(ids)};`,
				`const n = $('Webhook').first().json.body.n;`,
				'return Array.from({ length: n }, (_, i) => ({ json: { transactionId: ids[i % ids.length] } }));',
			].join('\n'),
		},
	};
}

/**
 * What a user writes without this package: the sign string of RM's docs (a GET has no body, so no
 * canonical JSON and no data= part), RSA-SHA256 with the merchant key parsed once per execution.
 */
function signingCode(ids: string[], apiBaseUrl: string): Omit<Node, 'id' | 'position'> {
	return {
		name: 'Sign',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			mode: 'runOnceForAllItems',
			jsCode: [
				"const crypto = require('crypto');",
				`const key = crypto.createPrivateKey(${JSON.stringify(SIMULATOR_KEYS.merchantPrivateKey)});`,
				`const ids = ${JSON.stringify(ids)};`,
				`const n = $('Webhook').first().json.body.n;`,
				"const token = $('Token').first().json.accessToken;",
				'const out = [];',
				'for (let i = 0; i < n; i++) {',
				`  const url = ${JSON.stringify(`${apiBaseUrl}/v3/payment/transaction/`)} + encodeURIComponent(ids[i % ids.length]);`,
				"  const nonceStr = crypto.randomBytes(16).toString('hex');",
				'  const timestamp = String(Math.floor(Date.now() / 1000));',
				'  const signString = `method=get&nonceStr=${nonceStr}&requestUrl=${url}&signType=sha256&timestamp=${timestamp}`;',
				"  const signature = crypto.sign('sha256', Buffer.from(signString, 'utf8'), key).toString('base64');",
				"  out.push({ json: { url, token, nonceStr, timestamp, signature: 'sha256 ' + signature } });",
				'}',
				'return out;',
			].join('\n'),
		},
	};
}

function httpRequest(name: string, parameters: Record<string, unknown>): Omit<Node, 'id' | 'position'> {
	return { name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { options: {}, ...parameters } };
}

function header(name: string, value: string) {
	return { name, value };
}

function workflows(ids: string[], simulatorUrl: string, credential: { id: string; name: string }) {
	const rmCredential = { revenueMonsterApi: credential };
	const basic = Buffer.from(`${SIMULATOR_KEYS.clientId}:${SIMULATOR_KEYS.clientSecret}`).toString('base64');
	return {
		package: chain('bench: package', [
			webhook('bench-package'),
			itemsCode(ids),
			{
				name: 'Revenue Monster',
				type: 'n8n-nodes-revenuemonster.revenueMonster',
				typeVersion: 1,
				parameters: { resource: 'transaction', operation: 'get', transactionId: '={{ $json.transactionId }}' },
				credentials: rmCredential,
			},
		]),
		httpCode: chain('bench: HTTP Request + Code', [
			webhook('bench-http-code'),
			httpRequest('Token', {
				method: 'POST',
				url: `${simulatorUrl}/v1/token`,
				sendHeaders: true,
				headerParameters: { parameters: [header('Authorization', `Basic ${basic}`)] },
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '{"grantType":"client_credentials"}',
			}),
			signingCode(ids, simulatorUrl),
			httpRequest('Get transaction', {
				method: 'GET',
				url: '={{ $json.url }}',
				sendHeaders: true,
				headerParameters: {
					parameters: [
						header('Authorization', '=Bearer {{ $json.token }}'),
						header('Content-Type', 'application/json'),
						header('X-Signature', '={{ $json.signature }}'),
						header('X-Nonce-Str', '={{ $json.nonceStr }}'),
						header('X-Timestamp', '={{ $json.timestamp }}'),
					],
				},
			}),
		]),
		probePerRequest: probeWorkflow('bench-probe-per-request', 'perRequest', ids, rmCredential),
		probeOnce: probeWorkflow('bench-probe-once', 'once', ids, rmCredential),
	} satisfies Record<RealVariant, object>;
}

function probeWorkflow(pathName: string, readCredential: string, ids: string[], credentials: Node['credentials']) {
	return chain(`bench: probe (${readCredential})`, [
		webhook(pathName),
		itemsCode(ids),
		{
			name: 'Probe',
			type: 'CUSTOM.rmCredentialProbe',
			typeVersion: 1,
			parameters: { transactionId: '={{ $json.transactionId }}', readCredential },
			credentials,
		},
	]);
}

const WEBHOOK_PATHS: Record<RealVariant, string> = {
	package: 'bench-package',
	httpCode: 'bench-http-code',
	probePerRequest: 'bench-probe-per-request',
	probeOnce: 'bench-probe-once',
};

/**
 * The probe node (plain JavaScript, loaded by n8n from N8N_CUSTOM_EXTENSIONS): the package's request
 * path without its router, retries or error mapping, reading the credential per request or once.
 */
const PROBE_NODE = `
class RmCredentialProbe {
	constructor() {
		this.description = {
			displayName: 'RM credential probe',
			name: 'rmCredentialProbe',
			group: ['transform'],
			version: 1,
			description: 'Benchmark only',
			defaults: { name: 'RM credential probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'revenueMonsterApi', required: true }],
			properties: [
				{ displayName: 'Transaction ID', name: 'transactionId', type: 'string', default: '' },
				{ displayName: 'Read Credential', name: 'readCredential', type: 'string', default: 'perRequest' },
			],
		};
	}
	async execute() {
		const once = this.getNodeParameter('readCredential', 0) === 'once';
		const credentialsDecrypted = once
			? { id: 'bench', name: 'bench', type: 'revenueMonsterApi', data: await this.getCredentials('revenueMonsterApi') }
			: undefined;
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const id = this.getNodeParameter('transactionId', i);
			const body = await this.helpers.httpRequestWithAuthentication.call(
				this,
				'revenueMonsterApi',
				{ method: 'GET', url: '/v3/payment/transaction/' + encodeURIComponent(id), json: true },
				credentialsDecrypted ? { credentialsDecrypted } : undefined,
			);
			out.push({ json: body.item, pairedItem: { item: i } });
		}
		return [out];
	}
}
module.exports = { RmCredentialProbe };
`;

// ---------------------------------------------------------------------------------------------

/** Waits for another process's install of the pinned n8n (a `.partial-<pid>` beside it) before using the cache. */
async function runtimeWhenReady(say: (line: string) => void): Promise<N8nRuntime> {
	const dir = cacheDir();
	const parent = path.dirname(dir);
	const deadline = Date.now() + 15 * 60_000;
	while (!existsSync(path.join(dir, '.ready')) && Date.now() < deadline) {
		const installing = existsSync(parent) && readdirSync(parent).some((name) => name.startsWith(`${path.basename(dir)}.partial-`) && pidAlive(Number(name.split('-').pop())));
		if (!installing) break;
		say('waiting for another install of the pinned n8n to finish');
		await sleep(10_000);
	}
	return ensureN8nRuntime(say);
}

/** The cache folder n8n-runtime.ts uses for the pinned versions. */
function cacheDir(): string {
	const base = process.env.N8N_RM_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-rm');
	return path.join(base, `n8n-${N8N_VERSION}-node-${NODE_VERSION}-${process.platform}-${process.arch}`);
}

function pidAlive(pid: number): boolean {
	if (!Number.isInteger(pid)) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export interface RealN8nOptions {
	simulator: SimulatorProcess;
	transactionIds: string[];
	scratch: string;
	largeItems: number;
	smallItems: number;
	rounds: number;
	say: (line: string) => void;
	/** run on this Postgres instead of n8n's default SQLite */
	postgres?: Postgres;
	/** the variants to measure (default: all) */
	variants?: RealVariant[];
	/** a tarball of the package already built and packed (default: build and pack now) */
	tarball?: string;
}

/** `npm run build` and `npm pack` into `destination`; returns the tarball. */
export async function buildAndPack(destination: string, say: (line: string) => void): Promise<string> {
	say('building and packing the package');
	await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT, env: withoutNpmConfig(), timeoutMs: 300_000 });
	return packPackage(destination);
}

function databaseName(options: RealN8nOptions): string {
	return options.postgres ? options.postgres.version : 'SQLite';
}

export async function measureRealN8n(options: RealN8nOptions): Promise<RealN8nResult> {
	const { simulator, scratch, say } = options;
	const runtime = await runtimeWhenReady(say);
	rmSync(scratch, { recursive: true, force: true });
	mkdirSync(scratch, { recursive: true });

	const tarball = options.tarball ?? (await buildAndPack(scratch, say));

	const customDir = path.join(scratch, 'custom-nodes');
	mkdirSync(customDir, { recursive: true });
	writeFileSync(path.join(customDir, 'RmCredentialProbe.node.js'), PROBE_NODE);

	const n8n = new BenchN8n(
		{
			runtime,
			userFolder: path.join(scratch, 'n8n'),
			port: await freePort(),
			owner: OWNER,
			encryptionKey: 'rm-bench-encryption-key-not-a-secret',
			logFile: path.join(scratch, 'n8n.log'),
		},
		{ NODE_FUNCTION_ALLOW_BUILTIN: 'crypto', N8N_CUSTOM_EXTENSIONS: customDir, N8N_LOG_LEVEL: 'warn', ...options.postgres?.env },
	);
	await n8n.installPackage(tarball);
	say(`starting n8n ${N8N_VERSION} (${databaseName(options)})`);
	const startedAt = nowMs();
	await n8n.start();
	const startSeconds = round((nowMs() - startedAt) / 1000, 1);
	try {
		const credential = await n8n.rest<{ id: string; name: string }>('POST', '/credentials', {
			name: CREDENTIAL_NAME,
			type: 'revenueMonsterApi',
			data: {
				environment: 'custom',
				apiBaseUrl: simulator.url,
				oauthBaseUrl: simulator.url,
				clientId: SIMULATOR_KEYS.clientId,
				clientSecret: SIMULATOR_KEYS.clientSecret,
				privateKey: SIMULATOR_KEYS.merchantPrivateKey,
				serverPublicKey: SIMULATOR_KEYS.serverPublicKey,
			},
		});
		const ids = options.transactionIds.slice(0, IDS_IN_CODE);
		for (const workflow of Object.values(workflows(ids, simulator.url, { id: credential.id, name: CREDENTIAL_NAME }))) {
			const created = await n8n.rest<{ id: string; versionId: string }>('POST', '/workflows', workflow);
			await n8n.rest('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
		}
		return await measureRounds(n8n, options, startSeconds);
	} catch (error) {
		throw new Error(`${(error as Error).message}\n(n8n's log: ${n8n.options.logFile})`);
	} finally {
		await n8n.stop();
	}
}

async function measureRounds(n8n: BenchN8n, options: RealN8nOptions, startSeconds: number): Promise<RealN8nResult> {
	const { simulator, largeItems, smallItems, rounds, say } = options;
	const measured = options.variants ?? REAL_VARIANTS;
	const rootPid = n8n.serverProcess!.pid;
	const msPerTick = 1000 / (await ticksPerSecond());

	const run = async (variant: RealVariant, items: number): Promise<{ cpuMs: number; wallMs: number }> => {
		const before = (await simulator.call<{ apiCalls: number }>('stats')).apiCalls;
		const cpuBefore = treeCpuTicks(rootPid);
		const start = nowMs();
		const response = await fetch(`${n8n.baseUrl}/webhook/${WEBHOOK_PATHS[variant]}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ n: items }),
		});
		const text = await response.text();
		const wallMs = nowMs() - start;
		// Let n8n finish saving the execution before reading its CPU time.
		await sleep(150);
		const cpuMs = (treeCpuTicks(rootPid) - cpuBefore) * msPerTick;
		const calls = (await simulator.call<{ apiCalls: number }>('stats')).apiCalls - before;
		if (!response.ok) throw new Error(`${variant} with ${items} items answered ${response.status}: ${text.slice(0, 300)}`);
		if (calls !== items) throw new Error(`${variant} with ${items} items made ${calls} API calls`);
		return { cpuMs, wallMs };
	};

	const cpu = Object.fromEntries(measured.map((variant) => [variant, [] as number[]])) as Record<RealVariant, number[]>;
	const wall = Object.fromEntries(measured.map((variant) => [variant, [] as number[]])) as Record<RealVariant, number[]>;
	for (let roundIndex = 0; roundIndex <= rounds; roundIndex++) {
		say(roundIndex === 0 ? 'real n8n: warm-up round' : `real n8n: round ${roundIndex} of ${rounds}`);
		const order = measured.map((_, index) => measured[(index + roundIndex) % measured.length]);
		for (const variant of order) {
			const small = await run(variant, smallItems);
			const large = await run(variant, largeItems);
			if (roundIndex === 0) continue;
			cpu[variant].push((large.cpuMs - small.cpuMs) / (largeItems - smallItems));
			wall[variant].push((large.wallMs - small.wallMs) / (largeItems - smallItems));
		}
	}
	const variants = Object.fromEntries(
		measured.map((variant) => [variant, { cpuMsPerItem: summarize(cpu[variant]), wallMsPerItem: summarize(wall[variant]) }]),
	) as RealN8nResult['variants'];
	const ratio = (top: RealVariant, bottom: RealVariant) =>
		cpu[top] && cpu[bottom] ? summarize(cpu[top].map((value, index) => value / cpu[bottom][index]), 2) : undefined;
	return {
		n8nVersion: N8N_VERSION,
		database: databaseName(options),
		largeItems,
		smallItems,
		rounds,
		variants,
		packageOverHttpRequestCode: ratio('package', 'httpCode'),
		credentialOnceOverPerRequest: ratio('probeOnce', 'probePerRequest'),
		startSeconds,
	};
}
