import { generateKeyPairSync } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';

import {
	buildSignString,
	canonicalJson,
	formatSignatureHeader,
	signDataOf,
	signRequest,
	signText,
	verifyNotificationSignature,
	verifyText,
} from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey, parsePublicKey } from '../../nodes/RevenueMonster/transport/keys';
import { signNotification } from '../../simulator/sign-notification';

const fixtures = path.join(__dirname, '..', 'fixtures');
const vectors = JSON.parse(readFileSync(path.join(fixtures, 'rm-signature-vectors.json'), 'utf8'));
const docsKeyPem = readFileSync(path.join(fixtures, 'rm-doc-test-private-key.pem'), 'utf8');

describe('RM published signing vectors', () => {
	const v1 = vectors.vector1_tool_signature_generate;

	it('reproduces the canonical JSON of vector 1 byte for byte', () => {
		expect(canonicalJson(v1.body)).toBe(v1.expected_canonical_json);
	});

	it('reproduces the sign string of vector 1', () => {
		const signString = buildSignString({
			data: signDataOf(canonicalJson(v1.body)),
			method: v1.method,
			nonceStr: v1.nonceStr,
			requestUrl: v1.requestUrl,
			timestamp: v1.timestamp,
		});
		expect(signString).toBe(v1.expected_sign_string);
	});

	it('reproduces the X-Signature of vector 1 with the docs test key', () => {
		const key = parsePrivateKey(docsKeyPem);
		const { headers, signString } = signRequest(key, {
			method: 'POST',
			url: v1.requestUrl,
			body: canonicalJson(v1.body),
			nonceStr: v1.nonceStr,
			timestamp: v1.timestamp,
		});
		expect(signString).toBe(v1.expected_sign_string);
		expect(headers['X-Signature']).toBe(v1.expected_x_signature);
		expect(headers['X-Nonce-Str']).toBe(v1.nonceStr);
		expect(headers['X-Timestamp']).toBe(v1.timestamp);
	});

	it('decodes vector 2 (RM debug output) to a canonical body our encoder reproduces', () => {
		const signString: string = vectors.vector2_invalid_signature_debug.expected_sign_string;
		const data = /^data=([^&]+)&/.exec(signString)![1];
		const canonical = Buffer.from(data, 'base64').toString('utf8');
		expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
		const nonceStr = /nonceStr=([^&]+)/.exec(signString)![1];
		const timestamp = /timestamp=(\d+)/.exec(signString)![1];
		expect(
			buildSignString({
				data: signDataOf(canonicalJson(JSON.parse(canonical))),
				method: 'post',
				nonceStr,
				requestUrl: 'https://sb-open.revenuemonster.my/v3/payment/online',
				timestamp,
			}),
		).toBe(signString);
	});

	it('reproduces the callback data of vector 3', () => {
		const v3 = vectors.vector3_callback_body_b64;
		expect(signDataOf(canonicalJson(v3.body))).toBe(v3.expected_data);
	});
});

describe('canonical JSON edge cases', () => {
	it('sorts keys at every depth, including objects inside arrays, and keeps array order', () => {
		expect(canonicalJson({ b: 1, a: [{ z: 1, y: { d: 2, c: 3 } }, 2, 'x'] })).toBe(
			'{"a":[{"y":{"c":3,"d":2},"z":1},2,"x"],"b":1}',
		);
	});

	it('keeps null, [] and nested {} and drops undefined', () => {
		expect(canonicalJson({ a: null, b: [], c: {}, d: undefined, e: [undefined] })).toBe(
			'{"a":null,"b":[],"c":{},"e":[null]}',
		);
	});

	it('escapes <>& and U+2028/U+2029 with lowercase hex and nothing else', () => {
		expect(canonicalJson({ s: '<a href="x">&</a>\u2028\u2029' })).toBe(
			'{"s":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029"}',
		);
		expect(canonicalJson({ s: "it's a/b" })).toBe('{"s":"it\'s a/b"}');
	});

	it('leaves non-ASCII raw and base64-encodes its UTF-8 bytes', () => {
		const canonical = canonicalJson({ name: 'Kedai Kopi 咖啡 ☕' });
		expect(canonical).toBe('{"name":"Kedai Kopi 咖啡 ☕"}');
		expect(Buffer.from(signDataOf(canonical)!, 'base64').toString('utf8')).toBe(canonical);
	});

	it('sorts ASCII keys by their bytes (uppercase before lowercase)', () => {
		expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4 })).toBe('{"B":2,"_":4,"a":3,"b":1}');
	});

	it('prints integers plainly and refuses non-finite numbers', () => {
		expect(canonicalJson({ amount: 100, big: 1234567890123 })).toBe('{"amount":100,"big":1234567890123}');
		expect(() => canonicalJson({ amount: NaN })).toThrow();
	});
});

describe('sign string', () => {
	it('omits data for no body, {} and null (GET, bodyless PUT)', () => {
		for (const body of [undefined, '{}', 'null', '']) {
			expect(signDataOf(body)).toBeUndefined();
		}
		expect(
			buildSignString({ method: 'PUT', nonceStr: 'abc', requestUrl: 'https://x/v3/customer/1/status', timestamp: '1' }),
		).toBe('method=put&nonceStr=abc&requestUrl=https://x/v3/customer/1/status&signType=sha256&timestamp=1');
	});

	it('signs a GET with its query string exactly as sent', () => {
		expect(
			buildSignString({
				method: 'GET',
				nonceStr: 'n',
				requestUrl: 'https://sb-open.revenuemonster.my/v3/payment/online?checkoutId=1548316308361173347',
				timestamp: '2',
			}),
		).toBe(
			'method=get&nonceStr=n&requestUrl=https://sb-open.revenuemonster.my/v3/payment/online?checkoutId=1548316308361173347&signType=sha256&timestamp=2',
		);
	});

	it('includes data for a DELETE with a body', () => {
		const body = canonicalJson({ token: 'tok_1' });
		expect(
			buildSignString({ data: signDataOf(body), method: 'DELETE', nonceStr: 'n', requestUrl: 'u', timestamp: '3' }),
		).toBe(`data=${Buffer.from('{"token":"tok_1"}').toString('base64')}&method=delete&nonceStr=n&requestUrl=u&signType=sha256&timestamp=3`);
	});

	it('uses a fresh 32-character alphanumeric nonce and a seconds timestamp on every signature', () => {
		const key = parsePrivateKey(docsKeyPem);
		const first = signRequest(key, { method: 'GET', url: 'https://x/v3/merchant' }).headers;
		const second = signRequest(key, { method: 'GET', url: 'https://x/v3/merchant' }).headers;
		expect(first['X-Nonce-Str']).toMatch(/^[A-Za-z0-9]{32}$/);
		expect(first['X-Nonce-Str']).not.toBe(second['X-Nonce-Str']);
		expect(Math.abs(Number(first['X-Timestamp']) - Date.now() / 1000)).toBeLessThan(5);
	});
});

describe('keys', () => {
	const pkcs1 = docsKeyPem;
	const key = parsePrivateKey(pkcs1);
	const pkcs8 = key.export({ format: 'pem', type: 'pkcs8' }).toString();
	const publicPem = require('crypto').createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString();
	const sample = 'method=get&nonceStr=a&signType=sha256&timestamp=1';
	const expected = signText(key, sample);

	const bareBase64 = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
	const variants: Record<string, string> = {
		'PKCS#1 PEM': pkcs1,
		'PKCS#8 PEM': pkcs8,
		'PEM with literal \\n': pkcs1.trim().replace(/\n/g, '\\n'),
		'PEM on one line with spaces': pkcs1.trim().replace(/\n/g, ' '),
		'bare base64 (PKCS#1)': bareBase64(pkcs1),
		'bare base64 (PKCS#8)': bareBase64(pkcs8),
		'PEM with Windows line ends': pkcs1.replace(/\n/g, '\r\n'),
	};
	it.each(Object.entries(variants))('accepts %s', (_name, text) => {
		expect(signText(parsePrivateKey(text), sample)).toBe(expected);
	});

	it.each([
		['garbage', 'not a key at all'],
		['truncated', pkcs1.slice(0, 400)],
		['empty', '   '],
		['a public key', publicPem],
	])('rejects %s without echoing it', (_name, text) => {
		let message = '';
		try {
			parsePrivateKey(text);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/private key/i);
		const keyBody = bareBase64(String(text)).slice(0, 40);
		if (keyBody.length >= 20) expect(message).not.toContain(keyBody);
	});

	it('reads the server public key as PEM or bare base64 and verifies with it', () => {
		const signature = signText(key, sample);
		expect(verifyText(parsePublicKey(publicPem), sample, signature)).toBe(true);
		expect(verifyText(parsePublicKey(bareBase64(publicPem)), sample, signature)).toBe(true);
		expect(verifyText(parsePublicKey(publicPem), sample + 'x', signature)).toBe(false);
		expect(() => parsePublicKey('nope')).toThrow(/server public key could not be read/);
	});
});

describe('notification signatures (callback form, no requestUrl)', () => {
	const server = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const body = { eventType: 'PAYMENT_WEB_ONLINE', data: { transactionId: '1', order: { amount: 100, title: 'a&b' } } };

	it('verifies what the server signed, over the received bytes', () => {
		const signed = signNotification(server.privateKey, body, 'post', 'NONCE1', '1700000000');
		expect(
			verifyNotificationSignature(server.publicKey, {
				rawBody: Buffer.from(signed.rawBody),
				method: 'POST',
				signatureHeader: signed.headers['X-Signature'],
				nonceStr: 'NONCE1',
				timestamp: '1700000000',
			}),
		).toBe(true);
	});

	it('verifies a body sent in another key order (RM signs the canonical form)', () => {
		const signed = signNotification(server.privateKey, body, 'post', 'N', '1');
		const reordered = JSON.stringify({ data: body.data, eventType: body.eventType }, null, 1);
		expect(
			verifyNotificationSignature(server.publicKey, {
				rawBody: reordered,
				method: 'post',
				signatureHeader: signed.headers['X-Signature'],
				nonceStr: 'N',
				timestamp: '1',
			}),
		).toBe(true);
	});

	it('rejects a changed body, nonce, timestamp, method or a missing header', () => {
		const signed = signNotification(server.privateKey, body, 'post', 'N', '1');
		const good = { rawBody: signed.rawBody, method: 'post', signatureHeader: signed.headers['X-Signature'], nonceStr: 'N', timestamp: '1' };
		expect(verifyNotificationSignature(server.publicKey, good)).toBe(true);
		expect(verifyNotificationSignature(server.publicKey, { ...good, rawBody: good.rawBody.replace('100', '101') })).toBe(false);
		expect(verifyNotificationSignature(server.publicKey, { ...good, nonceStr: 'M' })).toBe(false);
		expect(verifyNotificationSignature(server.publicKey, { ...good, timestamp: '2' })).toBe(false);
		expect(verifyNotificationSignature(server.publicKey, { ...good, method: 'get' })).toBe(false);
		expect(verifyNotificationSignature(server.publicKey, { ...good, signatureHeader: undefined })).toBe(false);
		expect(
			verifyNotificationSignature(server.publicKey, { ...good, signatureHeader: formatSignatureHeader('AAAA') }),
		).toBe(false);
	});
});
