/**
 * The foundation through n8n's own request path: the credential's preAuthentication and
 * authenticate driven by n8n-core's httpRequestWithAuthentication, real HTTP, the strict simulator.
 */
import axios from 'axios';
import { generateKeyPairSync } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { signRequestOptions } from '../../nodes/RevenueMonster/transport/authenticate';
import { retryPolicy } from '../../nodes/RevenueMonster/transport/request';
import {
	CREDENTIAL_ID,
	InMemoryCredentialsHelper,
	runNode,
	simulatorCredentials,
	testCredential,
} from '../../support/n8n';
import { RequestTestNode } from '../helpers/request-node';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import { useSimulator } from '../helpers/suite';

// Real backoff, shortened so the suite stays fast.
const suite = useSimulator({ pageSize: 1, autoNotify: true, backoff: { baseDelayMs: 5 } });

function call(helper: InMemoryCredentialsHelper, parameters: IDataObject, items?: IDataObject[], onError?: 'continueRegularOutput') {
	return runNode({
		nodeType: new RequestTestNode(),
		typeName: 'test.rmRequest',
		parameters,
		items,
		credentialsHelper: helper,
		onError,
	});
}

const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** Everything a user could see: output items and the error, as text. */
function visible(result: { outputs: unknown; error?: unknown }): string {
	const error = result.error as { message?: string; description?: string } | undefined;
	return JSON.stringify(result.outputs) + (error ? `${error.message} ${error.description}` : '');
}

function expectNoSecrets(text: string, helper: InMemoryCredentialsHelper) {
	const stored = helper.stored.get(CREDENTIAL_ID)!.data;
	expect(text).not.toContain(SIMULATOR_KEYS.clientSecret);
	expect(text).not.toContain(pemBody(SIMULATOR_KEYS.merchantPrivateKey).slice(100, 160));
	const token = String(stored.accessToken ?? '').split(':')[1];
	if (token) expect(text).not.toContain(token);
}

describe('token', () => {
	it('uses one token for 100 signed requests over 3 separate executions', async () => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
		const before = suite.simulator.stats.tokensIssued;
		const logStart = suite.simulator.log.length;
		const paths = ['/v3/merchant', '/v3/stores', '/v3/payment/transactions', '/v3/payment/fpx-bank'];
		for (const count of [34, 33, 33]) {
			const items = Array.from({ length: count }, (_, i) => ({ n: i }));
			const result = await call(helper, { method: 'GET', path: `={{ ${JSON.stringify(paths)}[$json.n % 4] }}` }, items);
			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toHaveLength(count);
		}
		const calls = suite.simulator.log.slice(logStart).filter((entry) => entry.path.startsWith('/v3'));
		expect(calls).toHaveLength(100);
		expect(calls.every((entry) => entry.status === 200 && entry.signatureValid)).toBe(true);
		expect(suite.simulator.stats.tokensIssued - before).toBe(1);
		expect(helper.preAuthenticationCalls).toBe(1);
	});

	it('on a 401 fetches exactly one new token, re-signs and succeeds', async () => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
		await call(helper, { method: 'GET', path: '/v3/merchant' });
		const firstToken = helper.stored.get(CREDENTIAL_ID)!.data.accessToken;
		const before = suite.simulator.stats.tokensIssued;

		suite.simulator.addFault({ kind: 'tokenExpired', path: '/v3/stores' });
		const logStart = suite.simulator.log.length;
		const result = await call(helper, { method: 'GET', path: '/v3/stores' });

		expect(result.error).toBeUndefined();
		expect(result.outputs[0][0].json).toMatchObject({ code: 'SUCCESS' });
		expect(suite.simulator.stats.tokensIssued - before).toBe(1);
		expect(helper.stored.get(CREDENTIAL_ID)!.data.accessToken).not.toBe(firstToken);
		const attempts = suite.simulator.log.slice(logStart).filter((entry) => entry.path === '/v3/stores');
		expect(attempts.map((entry) => entry.status)).toEqual([401, 200]);
		expect(attempts[1].signatureValid).toBe(true);
	});

	it('refreshes when the stored token has expired on the server', async () => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
		await call(helper, { method: 'GET', path: '/v3/merchant' });
		suite.simulator.revokeTokens();
		const result = await call(helper, { method: 'GET', path: '/v3/merchant' });
		expect(result.error).toBeUndefined();
	});

	it('says plainly when the client secret is wrong, without echoing it', async () => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator, { clientSecret: 'wrong-secret-123' }));
		const result = await call(helper, { method: 'GET', path: '/v3/merchant' });
		expect(result.error?.message).toMatch(/did not accept the Client ID and Client Secret/);
		expect(visible(result)).not.toContain('wrong-secret-123');
	});
});

describe('signature', () => {
	async function signedRequest(method: string, path: string, body?: IDataObject) {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
		await call(helper, { method: 'GET', path: '/v3/merchant' });
		const credentials = helper.stored.get(CREDENTIAL_ID)!.data;
		return signRequestOptions(credentials, { method: method as 'POST', url: path, body });
	}

	async function send(options: { method?: string; url: string; body?: unknown; headers?: IDataObject }) {
		const response = await axios.request({
			method: options.method,
			url: options.url,
			data: options.body,
			headers: options.headers as Record<string, string>,
			validateStatus: () => true,
			transformRequest: [(data) => data],
		});
		return response;
	}

	const checkoutBody = () => ({
		storeId: suite.simulator.state.stores[0].id,
		type: 'WEB_PAYMENT',
		redirectUrl: 'https://shop.example/thanks?a=1&b=<2>',
		notifyUrl: 'https://shop.example/notify',
		method: [],
		order: { id: `o${Date.now()}${Math.floor(Math.random() * 1e6)}`, title: 'Kopi ☕ & roti', currencyType: 'MYR', amount: 1250 },
	});

	it('is accepted as signed, and rejected after a one-byte change to the body, URL, nonce or timestamp', async () => {
		const signed = await signedRequest('POST', '/v3/payment/online', checkoutBody());
		expect((await send(signed)).data).toMatchObject({ code: 'SUCCESS' });

		const variants = [
			(s: typeof signed) => ({ ...s, body: String(s.body).replace('1250', '1251') }),
			(s: typeof signed) => ({ ...s, url: s.url.replace('/v3/payment/online', '/v3/payment/onlinE') }),
			(s: typeof signed) => ({ ...s, headers: { ...s.headers, 'X-Nonce-Str': `${String(s.headers!['X-Nonce-Str']).slice(0, -1)}Q` } }),
			(s: typeof signed) => ({ ...s, headers: { ...s.headers, 'X-Timestamp': String(Number(s.headers!['X-Timestamp']) - 1) } }),
		];
		for (const change of variants) {
			const fresh = await signedRequest('POST', '/v3/payment/online', checkoutBody());
			const response = await send(change(fresh));
			expect(response.data.error?.code).toBe('INVALID_REQUEST_SIGNATURE');
		}
	});

	it('rejects a changed body with RM-style debug showing the sorted JSON and sign string', async () => {
		const signed = await signedRequest('POST', '/v3/payment/online', checkoutBody());
		const response = await send({ ...signed, body: String(signed.body).replace('Kopi', 'Kopj') });
		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe('INVALID_REQUEST_SIGNATURE');
		expect(response.data.error.debug.sortedJson).toContain('Kopj');
		expect(response.data.error.debug.preVerifyContent).toMatch(/^data=.+&method=post&nonceStr=\w+&requestUrl=http:\/\/127\.0\.0\.1:\d+\/v3\/payment\/online&signType=sha256&timestamp=\d+$/);
	});

	it('rejects a query string changed after signing, and a reused nonce', async () => {
		const signed = await signedRequest('GET', '/v3/payment/online?checkoutId=123');
		const changed = await send({ ...signed, url: signed.url.replace('123', '124') });
		expect(changed.data.error.code).toBe('INVALID_REQUEST_SIGNATURE');

		const once = await signedRequest('GET', '/v3/merchant');
		expect((await send(once)).data.code).toBe('SUCCESS');
		expect((await send(once)).data.error.code).toBe('INVALID_NONCE_STR');
	});

	it('rejects a timestamp outside the 120 s window', async () => {
		suite.simulator.clockOffsetMs = 10 * 60_000;
		try {
			const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
			const result = await call(helper, { method: 'GET', path: '/v3/merchant' });
			expect(result.error?.message).toMatch(/INVALID_TIMESTAMP/);
		} finally {
			suite.simulator.clockOffsetMs = 0;
		}
	});

	it('signs PUT without a body, DELETE with a body, non-ASCII and <>& bodies so the suite.simulator accepts them', async () => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
		const customer = await call(helper, {
			method: 'POST',
			path: '/v3/tokenized-payment',
			body: JSON.stringify({
				storeId: suite.simulator.state.stores[0].id,
				email: 'siti@example.my',
				name: 'Siti <Nur> & Co — 咖啡',
				redirectUrl: 'https://shop.example/back?x=1&y=2',
				notifyUrl: 'https://shop.example/notify',
			}),
		});
		expect(customer.error).toBeUndefined();
		const customerId = (customer.outputs[0][0].json.item as IDataObject).id as string;
		suite.simulator.bindCard(customerId);
		const toggled = await call(helper, { method: 'PUT', path: `/v3/customer/${customerId}/status` });
		expect((toggled.outputs[0][0].json.item as IDataObject).isActive).toBe(false);

		suite.simulator.state.cardTokens.set('user 1/ä', [{ token: 'tok_1' } as never, { token: 'tok_2' } as never]);
		const deleted = await call(helper, {
			method: 'DELETE',
			path: `/v3/payment/tokens/${encodeURIComponent('user 1/ä')}`,
			body: JSON.stringify({ token: 'tok_1' }),
		});
		expect(deleted.error).toBeUndefined();
		expect(deleted.outputs[0][0].json.item).toEqual([{ token: 'tok_2' }]);
		const lastThree = suite.simulator.apiLog().slice(-3).map((entry) => [entry.method, entry.status, entry.signatureValid]);
		expect(lastThree).toEqual([
			['POST', 200, true],
			['PUT', 200, true],
			['DELETE', 200, true],
		]);
	});
});

describe('keys', () => {
	const merchantKey = SIMULATOR_KEYS.merchantPrivateKey;
	const pkcs8 = require('crypto')
		.createPrivateKey(merchantKey)
		.export({ format: 'pem', type: 'pkcs8' })
		.toString() as string;

	it.each([
		['PKCS#8 PEM', pkcs8],
		['PEM with literal \\n', merchantKey.trim().replace(/\n/g, '\\n')],
		['bare base64', pemBody(merchantKey)],
	])('signs with a key pasted as %s', async (_name, privateKey) => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator, { privateKey }));
		const result = await call(helper, { method: 'GET', path: '/v3/merchant' });
		expect(result.error).toBeUndefined();
		expect(suite.simulator.apiLog().at(-1)?.signatureValid).toBe(true);
	});

	it('refuses a malformed key before sending anything, naming the problem and not the key', async () => {
		const garbage = `-----BEGIN RSA PRIVATE KEY-----\\n${pemBody(merchantKey).slice(0, 300)}\\n-----END RSA PRIVATE KEY-----`;
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator, { privateKey: garbage }));
		const apiCallsBefore = suite.simulator.stats.apiCalls;
		const result = await call(helper, { method: 'POST', path: '/v3/payment/refund', body: '{"transactionId":"1"}' });
		expect(result.error?.message).toMatch(/private key could not be read/);
		expect(result.error?.message).not.toMatch(/Outcome unknown/);
		expect(visible(result)).not.toContain(pemBody(merchantKey).slice(50, 90));
		expect(suite.simulator.stats.apiCalls).toBe(apiCallsBefore);
	});

	it('shows RM’s INVALID_REQUEST_SIGNATURE with its sandbox debug when the key pair does not match', async () => {
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator, { privateKey: otherKey }));
		const result = await call(helper, { method: 'GET', path: '/v3/merchant' });
		expect(result.error?.message).toBe('Revenue Monster: invalid request signature [INVALID_REQUEST_SIGNATURE]');
		expect(result.error?.description).toMatch(/does not match the public key uploaded/);
		expect(result.error?.description).toMatch(/preVerifyContent/);
		expectNoSecrets(visible(result), helper);
	});
});

describe('"Test credential"', () => {
	it('passes with the right client, secret and key pair', async () => {
		const helper = new InMemoryCredentialsHelper();
		const before = suite.simulator.stats.tokensIssued;
		const outcome = await testCredential(helper, simulatorCredentials(suite.simulator));
		expect(outcome).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(suite.simulator.stats.tokensIssued - before).toBe(1);
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({ path: '/v3/merchant', signatureValid: true });
	});

	it('gives different, understandable messages for a wrong secret and a wrong key', async () => {
		const wrongSecret = await testCredential(
			new InMemoryCredentialsHelper(),
			simulatorCredentials(suite.simulator, { clientSecret: 'not-the-secret' }),
		);
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
		const wrongKey = await testCredential(new InMemoryCredentialsHelper(), simulatorCredentials(suite.simulator, { privateKey: otherKey }));
		expect(wrongSecret.status).toBe('Error');
		expect(wrongSecret.message).toMatch(/did not accept the Client ID and Client Secret/);
		expect(wrongSecret.message).not.toContain('not-the-secret');
		expect(wrongKey.status).toBe('Error');
		expect(wrongKey.message).toMatch(/private key does not match the public key/);
		expect(wrongKey.message).not.toEqual(wrongSecret.message);
	});

	it('does not pass on a cached token after the secret is changed to a wrong one', async () => {
		const helper = new InMemoryCredentialsHelper();
		expect((await testCredential(helper, simulatorCredentials(suite.simulator))).status).toBe('OK');
		expect(helper.stored.get('credential-under-test')!.data.accessToken).not.toBe('');

		const outcome = await testCredential(helper, simulatorCredentials(suite.simulator, { clientSecret: 'changed-and-wrong' }));
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(/did not accept the Client ID and Client Secret/);
	});

	it('reuses the cached token while the client ID and secret are unchanged', async () => {
		const helper = new InMemoryCredentialsHelper();
		await testCredential(helper, simulatorCredentials(suite.simulator));
		const before = suite.simulator.stats.tokensIssued;
		expect((await testCredential(helper, simulatorCredentials(suite.simulator))).status).toBe('OK');
		expect(suite.simulator.stats.tokensIssued).toBe(before);
	});

	it('says when the custom host cannot be reached', async () => {
		const outcome = await testCredential(
			new InMemoryCredentialsHelper(),
			simulatorCredentials(suite.simulator, { oauthBaseUrl: 'http://127.0.0.1:9', apiBaseUrl: 'http://127.0.0.1:9' }),
		);
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(/Could not reach Revenue Monster's token service at http:\/\/127\.0\.0\.1:9\/v1\/token: the connection was refused/);
	});
});

describe('errors and retries', () => {
	const helper = () => new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));

	it('treats an error inside HTTP 200 as a failure with RM’s code and message', async () => {
		suite.simulator.addFault({ kind: 'errorIn200', path: '/v3/merchant', code: 'SYSTEM_BUSY' });
		const result = await call(helper(), { method: 'GET', path: '/v3/merchant' });
		expect(result.error?.message).toBe('Revenue Monster: system is busy, please try again later [SYSTEM_BUSY]');
	});

	it('surfaces an RM error code with its message and hint', async () => {
		const result = await call(helper(), { method: 'GET', path: '/v3/store/404' });
		expect(result.error?.message).toBe('Revenue Monster: store not found [STORE_NOT_FOUND]');
		expect(result.error?.description).toMatch(/No store with this ID/);
	});

	it('backs off and retries a 429, also for a write (RM did nothing)', async () => {
		suite.simulator.addFault({ kind: 'rateLimit', times: 2, path: '/v3/payment/online' });
		const logStart = suite.simulator.log.length;
		const result = await call(helper(), {
			method: 'POST',
			path: '/v3/payment/online',
			body: JSON.stringify({
				storeId: suite.simulator.state.stores[0].id,
				type: 'WEB_PAYMENT',
				redirectUrl: 'https://a.example',
				notifyUrl: 'https://a.example',
				order: { id: `r${Date.now()}`, title: 't', currencyType: 'MYR', amount: 100 },
			}),
		});
		expect(result.error).toBeUndefined();
		const statuses = suite.simulator.log.slice(logStart).filter((e) => e.path === '/v3/payment/online').map((e) => e.status);
		expect(statuses).toEqual([429, 429, 200]);
	});

	it('gives up on a 429 storm after a bounded number of tries', async () => {
		suite.simulator.addFault({ kind: 'rateLimit', times: 50, path: '/v3/merchant' });
		const logStart = suite.simulator.log.length;
		const result = await call(helper(), { method: 'GET', path: '/v3/merchant' });
		expect(result.error?.message).toMatch(/TOO_MANY_REQUEST_PER_SECOND/);
		const tries = suite.simulator.log.slice(logStart).filter((e) => e.path === '/v3/merchant').length;
		expect(tries).toBe(retryPolicy.rateLimitRetries + 1);
		suite.simulator.clearFaults();
	});

	it('retries a read after a 500', async () => {
		suite.simulator.addFault({ kind: 'serverError', path: '/v3/merchant' });
		const result = await call(helper(), { method: 'GET', path: '/v3/merchant' });
		expect(result.error).toBeUndefined();
	});

	it.each([
		['a 500', { kind: 'serverError' as const }],
		['a dropped connection after RM processed it', { kind: 'drop' as const }],
	])('never retries a charge after %s, and says the outcome is unknown', async (_name, fault) => {
		const h = helper();
		const customer = await call(h, {
			method: 'POST',
			path: '/v3/tokenized-payment',
			body: JSON.stringify({ storeId: suite.simulator.state.stores[0].id, email: 'a@b.my', redirectUrl: 'https://a.example', notifyUrl: 'https://a.example' }),
		});
		const customerId = (customer.outputs[0][0].json.item as IDataObject).id as string;
		suite.simulator.bindCard(customerId);
		suite.simulator.addFault({ ...fault, method: 'POST', path: '/order' });
		const logStart = suite.simulator.log.length;
		const result = await call(h, { method: 'POST', path: `/v3/customer/${customerId}/order`, body: '{"amount":1000,"currency":"MYR"}' });
		expect(result.error?.message).toMatch(/^Outcome unknown: POST \/v3\/customer\/\d+\/order was sent but .* It was not retried/);
		expect(result.error?.description).toMatch(/Get by Order ID/);
		expect(suite.simulator.log.slice(logStart).filter((e) => e.path.endsWith('/order'))).toHaveLength(1);
	});

	it('keeps going with the other items when "continue on fail" is on', async () => {
		const result = await call(
			helper(),
			{ method: 'GET', path: '={{ $json.path }}' },
			[{ path: '/v3/merchant' }, { path: '/v3/store/nope' }, { path: '/v3/stores' }],
			'continueRegularOutput',
		);
		expect(result.error).toBeUndefined();
		const outputs = result.outputs[0];
		expect(outputs).toHaveLength(3);
		expect(outputs[1].json.error).toMatch(/STORE_NOT_FOUND/);
		expect(outputs[0].json.code).toBe('SUCCESS');
		expect(outputs[2].json.code).toBe('SUCCESS');
	});
});

describe('pagination', () => {
	it('follows meta.cursor to the end, and stops at a limit', async () => {
		const helper = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
		const all = await call(helper, { path: '/v3/stores', allPages: true, limit: 0 });
		expect(all.outputs[0].map((item) => item.json.id)).toEqual(suite.simulator.state.stores.map((store) => store.id));
		const two = await call(helper, { path: '/v3/stores', allPages: true, limit: 2 });
		expect(two.outputs[0]).toHaveLength(2);
	});
});

describe('environment', () => {
	it('refuses a custom environment without a usable URL, before sending anything', async () => {
		const data: ICredentialDataDecryptedObject = simulatorCredentials(suite.simulator, { apiBaseUrl: 'localhost:4010' });
		const helper = new InMemoryCredentialsHelper(data);
		const result = await call(helper, { method: 'GET', path: '/v3/merchant' });
		expect(result.error?.message).toMatch(/API Base URL is not an http\(s\) URL/);
	});
});
