/**
 * The same signed call (GET /v3/payment/transaction/{id}, the id read from an expression per item)
 * made three ways, each as a node run by n8n-core's WorkflowExecute (support/n8n.ts) against
 * the simulator process:
 *
 * - package: this package's node, Transaction → Get;
 * - minimal: the lower bound inside n8n — a bare custom node that reads the credential and parses the
 *   key once per execution, signs each item with transport/signature.ts and sends it with
 *   `this.helpers.httpRequest` (no retries, no error mapping, no throttle);
 * - sdk: a custom node calling Revenue Monster's official Node SDK (rm-api-sdk) per item.
 *
 * Each is timed in CPU time of this process (the simulator runs in its own), per item, in rounds that
 * interleave the three in a rotating order, so load on the machine weighs on all of them alike.
 */
import path from 'path';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { RMSDK } from 'rm-api-sdk';

import { signRequest } from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey } from '../../nodes/RevenueMonster/transport/keys';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import { cpuTimed, round, summarize, type RoundSummary } from './measure';
import { GET_TRANSACTION, credentialsFor, itemsFor } from './node-path';
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { runNode, type InMemoryCredentialsHelper } from '../../support/n8n';
import type { SimulatorProcess } from './simulator-process';

const description = (name: string) =>
	({
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: 'benchmark node',
		defaults: { name },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		properties: [{ displayName: 'Transaction ID', name: 'transactionId', type: 'string', default: '' }],
	}) as unknown as INodeType['description'];

/** Tokens the bench nodes fetched, by token URL: like the package's stored token, kept across executions. */
const tokens = new Map<string, string>();

/** The lower bound inside n8n: per item, one expression, one signature, one `httpRequest`. */
export class MinimalSignedNode implements INodeType {
	description = description('minimalSignedCall');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('revenueMonsterApi');
		const apiBaseUrl = String(credentials.apiBaseUrl);
		const tokenUrl = `${String(credentials.oauthBaseUrl)}/v1/token`;
		let token = tokens.get(tokenUrl);
		if (!token) {
			const answer = (await this.helpers.httpRequest({
				method: 'POST',
				url: tokenUrl,
				headers: {
					Authorization: `Basic ${Buffer.from(`${String(credentials.clientId)}:${String(credentials.clientSecret)}`).toString('base64')}`,
					'Content-Type': 'application/json',
				},
				body: JSON.stringify({ grantType: 'client_credentials' }),
				json: true,
			})) as { accessToken: string };
			token = answer.accessToken;
			tokens.set(tokenUrl, token);
		}
		const key = parsePrivateKey(String(credentials.privateKey));
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let index = 0; index < items.length; index++) {
			const id = this.getNodeParameter('transactionId', index) as string;
			const url = `${apiBaseUrl}/v3/payment/transaction/${encodeURIComponent(id)}`;
			const { headers } = signRequest(key, { method: 'GET', url });
			const body = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
				json: true,
			})) as { item: IDataObject };
			output.push({ json: body.item, pairedItem: { item: index } });
		}
		return [output];
	}
}

type Sdk = ReturnType<typeof RMSDK>;
const sdks = new Map<string, { sdk: Sdk; token: string }>();

/** rm-api-sdk pointed at the simulator: it hard-codes RM's hosts, so its base URLs are replaced after creation. */
export function sdkFor(url: string): Sdk {
	const sdk = RMSDK({
		clientId: SIMULATOR_KEYS.clientId,
		clientSecret: SIMULATOR_KEYS.clientSecret,
		privateKey: SIMULATOR_KEYS.merchantPrivateKey,
		timeout: 10_000,
	});
	sdk.oauthInstance.defaults.baseURL = `${url}/v1`;
	sdk.openApiInstance.defaults.baseURL = `${url}/v3`;
	sdk.Payment.openApiUrl = `${url}/v3`;
	return sdk;
}

/** A custom node that makes the call with rm-api-sdk (its signing, axios 0.18 and Node's global agent). */
export class SdkNode implements INodeType {
	description = description('rmApiSdkCall');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('revenueMonsterApi');
		const apiBaseUrl = String(credentials.apiBaseUrl);
		let entry = sdks.get(apiBaseUrl);
		if (!entry) {
			const sdk = sdkFor(apiBaseUrl);
			const token = ((await sdk.getClientCredentials()) as { accessToken?: string } | undefined)?.accessToken;
			if (!token) throw new Error('rm-api-sdk could not get a token from the simulator');
			entry = { sdk, token };
			sdks.set(apiBaseUrl, entry);
		}
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let index = 0; index < items.length; index++) {
			const id = this.getNodeParameter('transactionId', index) as string;
			const answer = (await entry.sdk.Payment.getPaymentTransactionById(entry.token, id)) as
				| { item?: IDataObject }
				| undefined;
			// The SDK resolves undefined (after console.error) when a call fails.
			if (!answer?.item) throw new Error('rm-api-sdk call failed');
			output.push({ json: answer.item, pairedItem: { item: index } });
		}
		return [output];
	}
}

export type Variant = 'package' | 'minimal' | 'sdk';
export const VARIANTS: Variant[] = ['package', 'minimal', 'sdk'];

const NODE_TYPES: Record<Variant, { nodeType: INodeType; typeName: string; parameters: IDataObject }> = {
	package: { nodeType: new RevenueMonster(), typeName: 'n8n-nodes-revenuemonster.revenueMonster', parameters: GET_TRANSACTION },
	minimal: { nodeType: new MinimalSignedNode(), typeName: 'bench.minimalSignedCall', parameters: { transactionId: GET_TRANSACTION.transactionId } },
	sdk: { nodeType: new SdkNode(), typeName: 'bench.rmApiSdkCall', parameters: { transactionId: GET_TRANSACTION.transactionId } },
};

export interface VariantResult {
	/** CPU ms per item, over the rounds */
	cpuMsPerItem: RoundSummary;
	/** wall ms per item, over the rounds (for reference: wall time moves with the machine's load) */
	wallMsPerItem: RoundSummary;
	/** TCP connections the simulator accepted per item */
	connectionsPerItem: number;
}

export interface InEngineResult {
	items: number;
	rounds: number;
	variants: Record<Variant, VariantResult>;
	/** package ÷ minimal and package ÷ sdk, CPU per item, ratio taken within each round */
	packageOverMinimal: RoundSummary;
	packageOverSdk: RoundSummary;
	sdk: { version: string; strictSimulatorAnswer: string };
}

async function execute(variant: Variant, credentials: InMemoryCredentialsHelper, items: IDataObject[]) {
	const { nodeType, typeName, parameters } = NODE_TYPES[variant];
	const result = await runNode({ nodeType, typeName, parameters, items, credentialsHelper: credentials });
	if (result.error) throw new Error(`${variant} run failed: ${result.error.message}`);
	if (result.outputs[0]?.length !== items.length) throw new Error(`${variant} run lost items`);
}

/** What the strict simulator (RM's documented timestamp check) answers the SDK's first signed call. */
async function strictAnswerToSdk(simulator: SimulatorProcess, transactionId: string): Promise<string> {
	const sdk = sdkFor(simulator.url);
	const token = ((await sdk.getClientCredentials()) as { accessToken?: string } | undefined)?.accessToken;
	const logged: unknown[] = [];
	const original = console.error;
	console.error = (...args: unknown[]) => void logged.push(...args);
	try {
		const answer = await sdk.Payment.getPaymentTransactionById(token ?? '', transactionId);
		if (answer) return 'accepted';
	} finally {
		console.error = original;
	}
	const error = (logged[0] as { error?: { code?: string; message?: string } } | undefined)?.error;
	return `${error?.code ?? 'no answer'}: ${error?.message ?? String(logged[0])}`;
}

/**
 * `rounds` interleaved rounds (after one warm-up round) of one execution of `count` items per variant.
 * The simulator accepts the SDK's millisecond timestamps meanwhile (signatures still checked).
 */
export async function measureInEngine(
	simulator: SimulatorProcess,
	transactionIds: string[],
	count: number,
	rounds: number,
	onRound?: (round: number) => void,
): Promise<InEngineResult> {
	const strictSimulatorAnswer = await strictAnswerToSdk(simulator, transactionIds[0]);
	await simulator.call('setOptions', { acceptMillisecondTimestamps: true });
	try {
		const credentials = Object.fromEntries(VARIANTS.map((variant) => [variant, credentialsFor(simulator)])) as Record<
			Variant,
			InMemoryCredentialsHelper
		>;
		const items = itemsFor(transactionIds, count);
		const cpu: Record<Variant, number[]> = { package: [], minimal: [], sdk: [] };
		const wall: Record<Variant, number[]> = { package: [], minimal: [], sdk: [] };
		const connections: Record<Variant, number> = { package: 0, minimal: 0, sdk: 0 };
		for (let roundIndex = 0; roundIndex <= rounds; roundIndex++) {
			onRound?.(roundIndex);
			// Rotate the order so no variant always runs first (or right after garbage from another).
			const order = VARIANTS.map((_, index) => VARIANTS[(index + roundIndex) % VARIANTS.length]);
			for (const variant of order) {
				const before = (await simulator.call<{ connections: number }>('stats')).connections;
				const { cpuMs, wallMs } = await cpuTimed(() => execute(variant, credentials[variant], items));
				if (roundIndex === 0) continue;
				connections[variant] += (await simulator.call<{ connections: number }>('stats')).connections - before;
				cpu[variant].push(cpuMs / count);
				wall[variant].push(wallMs / count);
			}
		}
		const variants = Object.fromEntries(
			VARIANTS.map((variant) => [
				variant,
				{
					cpuMsPerItem: summarize(cpu[variant]),
					wallMsPerItem: summarize(wall[variant]),
					connectionsPerItem: round(connections[variant] / (count * rounds), 3),
				},
			]),
		) as Record<Variant, VariantResult>;
		const paired = (other: Variant) => summarize(cpu.package.map((value, index) => value / cpu[other][index]), 2);
		return {
			items: count,
			rounds,
			variants,
			packageOverMinimal: paired('minimal'),
			packageOverSdk: paired('sdk'),
			sdk: { version: (require('rm-api-sdk/package.json') as { version: string }).version, strictSimulatorAnswer },
		};
	} finally {
		await simulator.call('setOptions', { acceptMillisecondTimestamps: false });
	}
}

// ---------------------------------------------------------------------------------------------
// Without the network: what the package adds, apart from HTTP

export interface WithoutNetworkResult {
	items: number;
	rounds: number;
	packageCpuMsPerItem: RoundSummary;
	minimalCpuMsPerItem: RoundSummary;
	/** package − minimal, µs of CPU per item, taken within each round */
	extraMicrosecondsPerItem: RoundSummary;
	packageOverMinimal: RoundSummary;
}

/** n8n-core's own copy of its DI container and outbound HTTP service (it nests its @n8n packages). */
function n8nCoreOutboundHttp(): { Container: { get(type: unknown): unknown; set(type: unknown, value: unknown): void }; OutboundHttp: unknown } {
	const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
	const from = (name: string) => require(require.resolve(name, { paths: [coreDir] })) as Record<string, unknown>;
	return {
		Container: from('@n8n/di').Container as { get(type: unknown): unknown; set(type: unknown, value: unknown): void },
		OutboundHttp: from('@n8n/backend-network').OutboundHttp,
	};
}

/**
 * The package and the minimal node in the same engine, with n8n's outbound HTTP (the one service both
 * send through) answering at once with a transaction, so the network's cost and its noise drop out:
 * what is left is routing, parameters, credential, signing (the real RSA-2048 key) and n8n's request
 * helpers. The answer is refused when a request is unsigned.
 */
export async function measureWithoutNetwork(
	simulator: SimulatorProcess,
	transactionIds: string[],
	count: number,
	rounds: number,
): Promise<WithoutNetworkResult> {
	const { Container, OutboundHttp } = n8nCoreOutboundHttp();
	const original = Container.get(OutboundHttp);
	const transaction = { transactionId: transactionIds[0], status: 'SUCCESS', finalAmount: 100, currencyType: 'MYR', order: { id: 'O-1', amount: 100 } };
	const answer = async (options: { url?: string; headers?: IDataObject; returnFullResponse?: boolean }) => {
		if (String(options.url).endsWith('/v1/token')) {
			const body = { accessToken: 'bench-token', tokenType: 'Bearer', expiresIn: 3600 };
			return options.returnFullResponse ? { statusCode: 200, headers: {}, body } : body;
		}
		if (!options.headers?.['X-Signature']) throw new Error('unsigned request');
		return { item: { ...transaction }, code: 'SUCCESS' };
	};
	Container.set(OutboundHttp, { requests: () => ({ request: answer }) });
	try {
		// A token service of its own, so the canned token never reaches the minimal node's token cache for the simulator.
		const offline = { oauthBaseUrl: `${simulator.url}/without-network` };
		const credentials = { package: credentialsFor(simulator, offline), minimal: credentialsFor(simulator, offline) };
		const items = itemsFor(transactionIds, count);
		const cpu: Record<'package' | 'minimal', number[]> = { package: [], minimal: [] };
		for (let roundIndex = 0; roundIndex <= rounds; roundIndex++) {
			const order = roundIndex % 2 === 0 ? (['package', 'minimal'] as const) : (['minimal', 'package'] as const);
			for (const variant of order) {
				const { cpuMs } = await cpuTimed(() => execute(variant, credentials[variant], items));
				if (roundIndex > 0) cpu[variant].push(cpuMs / count);
			}
		}
		return {
			items: count,
			rounds,
			packageCpuMsPerItem: summarize(cpu.package),
			minimalCpuMsPerItem: summarize(cpu.minimal),
			extraMicrosecondsPerItem: summarize(cpu.package.map((value, index) => (value - cpu.minimal[index]) * 1000), 0),
			packageOverMinimal: summarize(cpu.package.map((value, index) => value / cpu.minimal[index]), 2),
		};
	} finally {
		Container.set(OutboundHttp, original);
	}
}
