/**
 * The peer: the same signed call (GET /v3/payment/transaction/{id}) made with Revenue Monster's
 * official Node SDK, rm-api-sdk, against the same simulator in the same run.
 *
 * The SDK hard-codes RM's hosts when an instance is created; its request functions read the
 * instance's `openApiUrl` (signed as requestUrl) and `openApiInstance` (axios), so both are pointed
 * at the simulator after creation. Nothing else of the SDK is changed: its own signing, nonce,
 * timestamp, axios 0.18 and HTTP agent are what is timed.
 *
 * The SDK sends X-Timestamp in milliseconds, which RM's documented check (and the strict
 * simulator) refuses; that is recorded first. The timing then runs with the simulator's
 * benchmark-only option `acceptMillisecondTimestamps`, which still verifies the signature.
 */
import { RMSDK } from 'rm-api-sdk';
import { generateSignature } from 'rm-api-sdk/dist/signature';

import { createNonce, parsePrivateKey, signText } from '../../nodes/RevenueMonster/transport/signature';
import { SIMULATOR_KEYS } from '../../test/simulator/keys';
import { nowMs, round, spread, timed, type Spread } from './measure';
import type { SimulatorProcess } from './simulator-process';

export interface PeerResult {
	sdkVersion: string;
	/** what the strict simulator answered the SDK's first signed call */
	strictSimulatorAnswer: string;
	/** calls timed, over all rounds */
	calls: number;
	/** median of the rounds' per-call times */
	perCallMs: number;
	roundsPerCallMs: number[];
	/** TCP connections the simulator accepted during the timed calls */
	connectionsPerCall: number;
	/** the SDK's generateSignature (PEM text parsed on every call) vs our signText (key parsed once) */
	sdkSignMs: Spread;
	packageSignMs: Spread;
}

function sdkFor(url: string) {
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

/** The SDK logs failures with console.error and resolves undefined; keep what it logs. */
async function capturingConsoleError<T>(run: () => Promise<T>): Promise<{ value: T; logged: unknown[] }> {
	const logged: unknown[] = [];
	const original = console.error;
	console.error = (...args: unknown[]) => {
		logged.push(...args);
	};
	try {
		return { value: await run(), logged };
	} finally {
		console.error = original;
	}
}

function signCosts(iterations: number): { sdk: Spread; package: Spread } {
	const key = parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey);
	const sdk: number[] = [];
	const ours: number[] = [];
	for (let index = 0; index < iterations; index++) {
		const parts = {
			data: null,
			method: 'get',
			nonceStr: createNonce(),
			requestUrl: 'http://127.0.0.1/v3/payment/transaction/1700000000000000007',
			signType: 'sha256',
			timestamp: String(Date.now()),
		};
		let start = nowMs();
		generateSignature(parts, SIMULATOR_KEYS.merchantPrivateKey);
		sdk.push(nowMs() - start);
		start = nowMs();
		signText(key, `method=get&nonceStr=${parts.nonceStr}&requestUrl=${parts.requestUrl}&signType=sha256&timestamp=${parts.timestamp}`);
		ours.push(nowMs() - start);
	}
	return { sdk: spread(sdk), package: spread(ours) };
}

/**
 * Gets a token, records what the strict simulator answers the SDK, then switches the simulator to
 * accept millisecond timestamps and times rounds of calls (interleaved by the benchmark with the
 * node's executions). finish() switches the simulator back.
 */
export async function peerSdkMeter(simulator: SimulatorProcess, transactionIds: string[]) {
	const sdk = sdkFor(simulator.url);
	const token = ((await sdk.getClientCredentials()) as { accessToken?: string } | undefined)?.accessToken;
	if (!token) throw new Error('rm-api-sdk could not get a token from the simulator');

	await simulator.call('setOptions', { acceptMillisecondTimestamps: false });
	const strict = await capturingConsoleError(() => sdk.Payment.getPaymentTransactionById(token, transactionIds[0]));
	const strictError = (strict.logged[0] as { error?: { code?: string; message?: string } } | undefined)?.error;
	const strictSimulatorAnswer = strict.value
		? 'accepted'
		: `${strictError?.code ?? 'no answer'}: ${strictError?.message ?? String(strict.logged[0])}`;

	await simulator.call('setOptions', { acceptMillisecondTimestamps: true });
	const call = async (index: number) => {
		const answer = (await sdk.Payment.getPaymentTransactionById(token, transactionIds[index % transactionIds.length])) as
			| { item?: { transactionId?: string } }
			| undefined;
		if (!answer?.item?.transactionId) throw new Error('rm-api-sdk call failed against the relaxed simulator');
	};
	for (let index = 0; index < 200; index++) await call(index);

	const perCall: number[] = [];
	let connections = 0;
	let calls = 0;
	return {
		/** `count` sequential calls; `record` false for a warm-up */
		async round(count: number, record = true): Promise<void> {
			const before = (await simulator.call<{ connections: number }>('stats')).connections;
			const { ms } = await timed(async () => {
				for (let index = 0; index < count; index++) await call(index);
			});
			if (!record) return;
			connections += (await simulator.call<{ connections: number }>('stats')).connections - before;
			calls += count;
			perCall.push(ms / count);
		},
		async finish(): Promise<PeerResult> {
			await simulator.call('setOptions', { acceptMillisecondTimestamps: false });
			const costs = signCosts(300);
			return {
				sdkVersion: (require('rm-api-sdk/package.json') as { version: string }).version,
				strictSimulatorAnswer,
				calls,
				perCallMs: spread(perCall).median,
				roundsPerCallMs: perCall.map((value) => round(value, 3)),
				connectionsPerCall: round(connections / calls, 3),
				sdkSignMs: costs.sdk,
				packageSignMs: costs.package,
			};
		},
	};
}
