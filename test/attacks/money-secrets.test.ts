/**
 * Issue 9, item 7: errors carry no secret, even in memory. For every way a call can fail, the error
 * the node throws is caught as an object (before n8n serialises anything), walked deeply — own
 * properties enumerable or not, symbols, `cause` chains, `errorResponse`, `context` — and printed with
 * util.inspect(showHidden). Neither may contain an access token, the client secret (or its Basic
 * header), the private key, or an Authorization header.
 *
 * Control: the error n8n-core's httpRequestWithAuthentication throws for the same 404 — the object
 * the transport rethrew before issue 9 — is walked the same way and the access token is found in it.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import {
	credentialSecrets,
	seedBoundCustomer,
	tokenSecrets,
	type Secret,
} from '../../support/reliability';
import { rmErrorBody, type Echo, type ProxyAnswer } from './helpers/money-proxy';
import { redaction } from '../../nodes/RevenueMonster/transport/errors';
import { recordWalkControl, secretsIn } from './helpers/error-walk';
import { useMoneyBench } from './helpers/money-bench';
import { seedPayment } from '../../support/seed';
import { errorKeepingNode } from '../helpers/error-keeping-node';

const bench = useMoneyBench('money-secrets');

// ---------------------------------------------------------------------------------------------
// Walking an error

function allSecrets(credentials: InMemoryCredentialsHelper): Secret[] {
	const stored = [...credentials.stored.values()][0]?.data ?? {};
	return [
		...credentialSecrets({ ...simulatorCredentials(bench.simulator), ...stored }),
		...tokenSecrets(bench.issuedTokens),
	];
}

// ---------------------------------------------------------------------------------------------
// The node, keeping the error it throws

const thrown: unknown[] = [];

interface ErrorCase {
	name: string;
	parameters: () => { parameters: IDataObject; path: string; method: string };
	answers?: ProxyAnswer[];
	credentials?: Record<string, unknown>;
	/** bench.simulator fault injection for the case */
	setup?: () => void;
	expectMessage: RegExp;
}

const chargeCase = () => {
	const customerId = seedBoundCustomer(bench.simulator);
	return {
		parameters: { resource: 'order', operation: 'create', customerId, currency: 'MYR', amount: 1000, route: 'customerOrder', additionalFields: {} },
		path: `/v3/customer/${customerId}/order`,
		method: 'POST',
	};
};
const readCase = () => {
	const transaction = seedPayment(bench.simulator, { title: 'Secrets suite' });
	return {
		parameters: { resource: 'transaction', operation: 'get', transactionId: transaction.transactionId },
		path: `/v3/payment/transaction/${transaction.transactionId}`,
		method: 'GET',
	};
};
const refundCase = () => {
	const read = readCase();
	return {
		parameters: {
			resource: 'transaction',
			operation: 'refund',
			transactionId: read.parameters.transactionId,
			refundType: 'PARTIAL',
			currency: 'MYR',
			amount: 100,
			reason: 'secrets suite',
			options: { timeout: 1 },
		},
		path: '/v3/payment/refund',
		method: 'POST',
	};
};

const html404 = { status: 404, html: '<html><head><title>404 Not Found</title></head><body>nginx</body></html>' };

// Issue 23, part 4: RM or a proxy echoing the request's secrets in any text it returns.
const { clientId, clientSecret, merchantPrivateKey } = SIMULATOR_KEYS;
const basicValue = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
const keyBody = merchantPrivateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
/** Everything a careless server could repeat: the Authorization header, the secret, its Basic value, the key whole and a piece of it. */
const everySecret = (authorization = '') =>
	`request was: Authorization: ${authorization}; client_secret=${clientSecret}; Authorization: Basic ${basicValue}; ` +
	`key fragment ${keyBody.slice(300, 372)}; key ${merchantPrivateKey}`;
const echoed = (answer: (everything: string, authorization: string) => { status: number; body?: unknown; html?: string }): Echo =>
	(request) => answer(everySecret(request.authorization), request.authorization ?? '');

const ECHO_CASES: ErrorCase[] = [
	{
		name: 'Echo: RM error message repeats the token, client secret, Basic value and private key (read)',
		parameters: readCase,
		answers: [{ refuse: echoed((everything) => ({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: everything } } })) }],
		expectMessage: /\[VALIDATION_ERROR\]/,
	},
	{
		name: 'Echo: sandbox debug holds the request, its Authorization header and the private key (charge)',
		parameters: chargeCase,
		answers: [
			{
				refuse: echoed((everything, authorization) => ({
					status: 400,
					body: {
						error: {
							code: 'INVALID_REQUEST_SIGNATURE',
							message: 'invalid request signature',
							debug: { headers: { Authorization: authorization }, [clientSecret]: everything, privateKey: merchantPrivateKey, lines: merchantPrivateKey.split('\n') },
						},
					},
				})),
			},
		],
		expectMessage: /\[INVALID_REQUEST_SIGNATURE\]/,
	},
	{
		name: 'Echo: an error inside a 200 whose code is the client secret and message the Basic header (read)',
		parameters: readCase,
		answers: [{ refuse: { status: 200, body: { error: { code: `BAD_${clientSecret}`, message: `Basic ${basicValue}` } } } }],
		expectMessage: /\[BAD_\[redacted\]\]/,
	},
	{
		name: 'Echo: a proxy HTML error page repeats the Authorization header and the key (read)',
		parameters: readCase,
		answers: [{ refuse: echoed((everything) => ({ status: 404, html: `<html><body><pre>${everything}</pre></body></html>` })) }],
		expectMessage: /HTTP 404 without an error code/,
	},
	{
		name: 'Echo: the token service answers with the client secret as its error code',
		parameters: readCase,
		setup: () => bench.simulator.addFault({ kind: 'bareCode', path: '/v1/token', code: `${clientSecret}:${basicValue}` }),
		expectMessage: /did not issue an access token/,
	},
];

const CASES: ErrorCase[] = [
	{ name: '404 HTML on a read', parameters: readCase, answers: [{ refuse: html404 }], expectMessage: /HTTP 404 without an error code/ },
	{ name: '404 HTML on a charge', parameters: chargeCase, answers: [{ refuse: html404 }], expectMessage: /HTTP 404 without an error code/ },
	{
		name: '400 without an RM body on a charge',
		parameters: chargeCase,
		answers: [{ refuse: { status: 400, body: { message: 'bad request' } } }],
		expectMessage: /HTTP 400 without an error code/,
	},
	{
		name: '403 without an RM body on a read',
		parameters: readCase,
		answers: [{ refuse: { status: 403, html: '<html>Forbidden</html>' } }],
		expectMessage: /HTTP 403 without an error code/,
	},
	{
		name: 'Connection refused on a read',
		parameters: readCase,
		credentials: { apiBaseUrl: 'http://127.0.0.1:9' },
		expectMessage: /Could not reach Revenue Monster: the connection was refused/,
	},
	{
		name: 'Connection refused on a charge',
		parameters: chargeCase,
		credentials: { apiBaseUrl: 'http://127.0.0.1:9' },
		expectMessage: /Could not reach Revenue Monster: the connection was refused/,
	},
	{
		name: 'No answer to a read (reset 3 times)',
		parameters: readCase,
		answers: [{ afterRm: 'reset' }, { afterRm: 'reset' }, { afterRm: 'reset' }],
		expectMessage: /Could not reach Revenue Monster/,
	},
	{
		name: 'Timeout on a refund',
		parameters: refundCase,
		setup: () => bench.simulator.addFault({ kind: 'slow', method: 'POST', path: '/v3/payment/refund', delayMs: 1_300 }),
		expectMessage: /^Outcome unknown/,
	},
	{
		name: 'RM error code (VALIDATION_ERROR) on a charge',
		parameters: chargeCase,
		answers: [{ refuse: { status: 400, body: rmErrorBody('VALIDATION_ERROR') } }],
		expectMessage: /\[VALIDATION_ERROR\]/,
	},
	{
		name: 'RM error inside a 200 on a read',
		parameters: readCase,
		answers: [{ refuse: { status: 200, body: rmErrorBody('TRANSACTION_NOT_FOUND') } }],
		expectMessage: /\[TRANSACTION_NOT_FOUND\]/,
	},
	{
		name: '5xx after RM charged',
		parameters: chargeCase,
		answers: [{ afterRm: { status: 503, html: '<html>busy</html>' } }],
		expectMessage: /^Outcome unknown/,
	},
	{
		name: 'Token error, resend, token error again (charge)',
		parameters: chargeCase,
		answers: [{ refuse: { status: 401, body: rmErrorBody('TOKEN_EXPIRED') } }, { afterRm: { status: 401, body: rmErrorBody('TOKEN_EXPIRED') } }],
		expectMessage: /^Outcome unknown/,
	},
	{
		name: 'Token error, then a read refused again (TOKEN_INVALID)',
		parameters: readCase,
		answers: [{ refuse: { status: 401, body: rmErrorBody('TOKEN_INVALID') } }, { refuse: { status: 401, body: rmErrorBody('TOKEN_INVALID') } }],
		expectMessage: /\[TOKEN_INVALID\]/,
	},
	{
		name: 'Token refused (wrong client secret)',
		parameters: readCase,
		credentials: { clientSecret: 'wrong-secret-but-still-a-secret-42' },
		expectMessage: /did not accept the Client ID and Client Secret/,
	},
	{
		name: 'Token service unreachable',
		parameters: chargeCase,
		credentials: { oauthBaseUrl: 'http://127.0.0.1:9' },
		expectMessage: /Could not reach Revenue Monster's token service/,
	},
	...ECHO_CASES,
];

/** Runs one case and walks the one error the node threw. */
async function runErrorCase(errorCase: ErrorCase): Promise<{ error: Error; found: string[] }> {
	bench.proxy.reset();
	bench.simulator.clearFaults();
	thrown.length = 0;
	const { parameters, path, method } = errorCase.parameters();
	if (errorCase.answers) bench.proxy.attack(method, path, errorCase.answers);
	errorCase.setup?.();
	const credentials = new InMemoryCredentialsHelper(
		simulatorCredentials(bench.simulator, { apiBaseUrl: bench.proxy.url, ...errorCase.credentials }),
	);
	// A token from an earlier case is cached in this credential too: the walk must not find it either.
	const started = Date.now();
	await runNode({ nodeType: errorKeepingNode(thrown), parameters, items: [{}], credentialsHelper: credentials });
	// let a slow answer finish so no timer outlives the test (not an assertion)
	if (errorCase.setup) await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_400 - (Date.now() - started))));
	expect(thrown).toHaveLength(1);
	const error = thrown[0] as Error;
	const secrets = [...allSecrets(credentials), ...credentialSecrets({ clientId: SIMULATOR_KEYS.clientId, ...errorCase.credentials })];
	return { error, found: secretsIn(error, secrets) };
}

describe.each(CASES.map((errorCase) => [errorCase.name, errorCase] as const))('%s', (_name, errorCase) => {
	it('the thrown error, walked deeply and inspected, holds no secret', async () => {
		const { error, found } = await runErrorCase(errorCase);
		bench.log.add({
			area: 'Attacks: money — secrets in thrown errors',
			fault: errorCase.name,
			expected: 'the error object (deep walk, non-enumerable, cause chain, util.inspect) holds no token, secret, key or Authorization header',
			observed: `"${error.message.slice(0, 90)}"; found: ${found.join(', ') || 'nothing'}`,
			cases: 1,
			lost: 0,
			duplicateCharges: 0,
			secretsLeaked: found.length,
			pass: found.length === 0 && errorCase.expectMessage.test(error.message),
		});
		expect(error.message).toMatch(errorCase.expectMessage);
		expect(found).toEqual([]);
		// nothing attached: no cause in the chain is an HTTP error carrying the request
		for (let cause = (error as { cause?: unknown }).cause; cause; cause = (cause as { cause?: unknown }).cause) {
			expect(Object.getOwnPropertyNames(cause)).not.toEqual(expect.arrayContaining(['config']));
			expect((cause as { isAxiosError?: boolean }).isAxiosError).not.toBe(true);
			expect(cause).not.toHaveProperty('request');
		}
	});
});

// ---------------------------------------------------------------------------------------------
// Control

/** Calls n8n-core's helper directly, as the transport did, and keeps what it throws. */
class RawHelperNode implements INodeType {
	description = {
		displayName: 'Raw helper',
		name: 'rawHelper',
		group: ['transform'],
		version: 1,
		description: 'control',
		defaults: { name: 'Raw helper' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		properties: [],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			await this.helpers.httpRequestWithAuthentication.call(this, 'revenueMonsterApi', {
				method: 'GET',
				url: '/v3/merchant',
				json: true,
			});
		} catch (error) {
			thrown.push(error);
			throw error;
		}
		return [[]];
	}
}

it('control: the error n8n-core throws for a 404 (what the transport rethrew before) holds the access token', async () => {
	bench.proxy.reset();
	thrown.length = 0;
	bench.proxy.attack('GET', '/v3/merchant', [{ refuse: html404 }]);
	const credentials = new InMemoryCredentialsHelper(simulatorCredentials(bench.simulator, { apiBaseUrl: bench.proxy.url }));
	await runNode({ nodeType: new RawHelperNode(), typeName: 'test.rawHelper', parameters: {}, items: [{}], credentialsHelper: credentials });
	expect(thrown).toHaveLength(1);
	const found = secretsIn(thrown[0], allSecrets(credentials));
	recordWalkControl(
		bench.log,
		'Control: n8n-core’s own error for a 404 HTML (rethrown before issue 9)',
		'the walk finds the access token (so the walk can fail)',
		found,
	);
	// and it sits in the non-enumerable cause: JSON (what n8n persists today) does not show it
	expect(JSON.stringify(thrown[0])).not.toMatch(/Bearer [0-9a-f]{8,}/);
});

describe('control: with the redaction off, the echoes leak', () => {
	afterEach(() => {
		redaction.on = true;
	});
	it.each(ECHO_CASES.filter((errorCase) => !errorCase.name.includes('HTML')).map((errorCase) => [errorCase.name, errorCase] as const))(
		'%s',
		async (name, errorCase) => {
			redaction.on = false;
			const { found } = await runErrorCase(errorCase);
			redaction.on = true;
			const expected = name.includes('token service') || name.includes('inside a 200')
				? ['client secret', 'Basic authorization']
				: ['client secret', 'Basic authorization', 'private key', 'access token'];
			bench.log.add({
				area: 'Attacks: money — secrets in thrown errors',
				fault: `Control: ${name.replace('Echo: ', '')}, redaction off`,
				expected: `the walk finds ${expected.join(', ')} (so the echo cases can fail)`,
				observed: `found: ${found.join(', ') || 'nothing'}`,
				cases: 1,
				lost: 0,
				duplicateCharges: 0,
				secretsLeaked: found.length,
				pass: expected.every((secret) => found.includes(secret)),
				control: true,
			});
			expect(found).toEqual(expect.arrayContaining(expected));
		},
	);
});
