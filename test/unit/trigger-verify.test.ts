/** The trigger's verification path on its own: RM server signatures, headers, the time window. */
import { generateKeyPairSync } from 'crypto';

import {
	buildSignString,
	canonicalJson,
	formatSignatureHeader,
	signDataOf,
	signText,
} from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey, parsePublicKey } from '../../nodes/RevenueMonster/transport/keys';
import { signNotification } from '../../simulator/sign-notification';
import { headerValue, verifyNotification } from '../../nodes/RevenueMonster/trigger/verify';
import { SIMULATOR_KEYS } from '../../simulator/keys';

const serverKey = parsePrivateKey(SIMULATOR_KEYS.serverPrivateKey);
const publicKey = parsePublicKey(SIMULATOR_KEYS.serverPublicKey);
const NOW_MS = 1_760_000_000_000;
const NOW = String(NOW_MS / 1000);
const window = { toleranceSeconds: 300, nowMs: NOW_MS };
const body = {
	eventType: 'PAYMENT_WEB_ONLINE',
	data: { transactionId: '230101123456010000000001', order: { id: 'A<1>&', amount: 1500, title: 'Kuih' }, status: 'SUCCESS' },
};

function signed(method = 'post', timestamp = NOW, payload: unknown = body) {
	const notification = signNotification(serverKey, payload, method, 'Nonce0123456789abcdefABCDEF01234', timestamp);
	return { rawBody: notification.rawBody, headers: { ...notification.headers } as Record<string, string> };
}

describe('verifyNotification', () => {
	it('accepts what RM signs, and reports the nonce and signing time', () => {
		const { rawBody, headers } = signed();
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: Buffer.from(rawBody), headers }, window)).toEqual({
			valid: true,
			nonce: 'Nonce0123456789abcdefABCDEF01234',
			signedAtSeconds: NOW_MS / 1000,
			coversBody: true,
		});
	});

	it('reads the three headers whatever their case', () => {
		const { rawBody, headers } = signed();
		const shouted = {
			'X-SIGNATURE': headers['X-Signature'],
			'x-nonce-str': headers['X-Nonce-Str'],
			'X-TimeStamp': [headers['X-Timestamp']],
		};
		expect(verifyNotification(publicKey, { method: 'post', rawBody, headers: shouted }, window).valid).toBe(true);
	});

	it('refuses a body changed by one character', () => {
		const { rawBody, headers } = signed();
		const changed = rawBody.replace('1500', '1501');
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: changed, headers }, window)).toEqual({
			valid: false,
			reason: 'badSignature',
		});
	});

	it('refuses a signature made with another key', () => {
		const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		const { rawBody, headers } = signNotification(stranger, body, 'post', 'abc', NOW);
		expect(verifyNotification(publicKey, { method: 'POST', rawBody, headers: { ...headers } }, window)).toEqual({
			valid: false,
			reason: 'badSignature',
		});
	});

	it('refuses a valid signature whose nonce or timestamp header was swapped', () => {
		const { rawBody, headers } = signed();
		const otherNonce = { ...headers, 'X-Nonce-Str': 'SomeOtherNonce' };
		const otherTime = { ...headers, 'X-Timestamp': String(Number(NOW) - 1) };
		expect(verifyNotification(publicKey, { method: 'POST', rawBody, headers: otherNonce }, window).valid).toBe(false);
		expect(verifyNotification(publicKey, { method: 'POST', rawBody, headers: otherTime }, window).valid).toBe(false);
	});

	it.each([
		['no X-Signature', 'X-Signature'],
		['no X-Nonce-Str', 'X-Nonce-Str'],
		['no X-Timestamp', 'X-Timestamp'],
	])('refuses a notification with %s as unsigned', (_label, missing) => {
		const { rawBody, headers } = signed();
		const partial: Record<string, string> = { ...headers };
		delete partial[missing];
		expect(verifyNotification(publicKey, { method: 'POST', rawBody, headers: partial }, window)).toEqual({
			valid: false,
			reason: 'unsigned',
		});
	});

	it('refuses a signature header not of the form "sha256 <base64>"', () => {
		const { rawBody, headers } = signed();
		const bare = { ...headers, 'X-Signature': headers['X-Signature'].replace('sha256 ', '') };
		expect(verifyNotification(publicKey, { method: 'POST', rawBody, headers: bare }, window).valid).toBe(false);
	});

	it('applies the time window on both sides, inclusive', () => {
		const at = (offsetSeconds: number) => {
			const { rawBody, headers } = signed('post', String(Number(NOW) + offsetSeconds));
			return verifyNotification(publicKey, { method: 'POST', rawBody, headers }, window);
		};
		expect(at(-300).valid).toBe(true);
		expect(at(300).valid).toBe(true);
		expect(at(-301)).toEqual({ valid: false, reason: 'stale' });
		expect(at(301)).toEqual({ valid: false, reason: 'stale' });
		expect(at(-3600)).toEqual({ valid: false, reason: 'stale' });
	});

	it('reads a 13-digit timestamp as milliseconds for the window, and refuses one that is not a number', () => {
		const ms = signed('post', String(NOW_MS));
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: ms.rawBody, headers: ms.headers }, window).valid).toBe(
			true,
		);
		const text = signed('post', '2025-10-09T10:00:00Z');
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: text.rawBody, headers: text.headers }, window)).toEqual({
			valid: false,
			reason: 'badTimestamp',
		});
	});

	it('accepts a GET signed with method=get, or with method=post as RM documents the callback string', () => {
		for (const signedMethod of ['get', 'post']) {
			const { rawBody, headers } = signed(signedMethod);
			expect(verifyNotification(publicKey, { method: 'GET', rawBody, headers }, window).valid).toBe(true);
		}
		// A POST must be signed as a POST.
		const asGet = signed('get');
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: asGet.rawBody, headers: asGet.headers }, window).valid).toBe(
			false,
		);
	});

	it('accepts the same fields sent in another order (RM signs the canonical JSON)', () => {
		const { headers } = signed();
		const reordered = JSON.stringify({ data: { status: 'SUCCESS', order: body.data.order, transactionId: body.data.transactionId }, eventType: body.eventType });
		expect(reordered).not.toBe(canonicalJson(body));
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: reordered, headers }, window).valid).toBe(true);
	});

	it('a signature over no data is valid but covers nothing: never matched to a query or a body', () => {
		const signString = buildSignString({ data: signDataOf(undefined), method: 'get', nonceStr: 'n1', timestamp: NOW });
		expect(signString).toBe(`method=get&nonceStr=n1&signType=sha256&timestamp=${NOW}`);
		const headers = {
			'x-signature': formatSignatureHeader(signText(serverKey, signString)),
			'x-nonce-str': 'n1',
			'x-timestamp': NOW,
		};
		// What RM sends for a bodyless request: valid, but it vouches for no data.
		expect(verifyNotification(publicKey, { method: 'GET', rawBody: Buffer.alloc(0), headers }, window)).toMatchObject({
			valid: true,
			coversBody: false,
		});
		// The same signature never authenticates a body, not even whitespace (issue 9, item 1).
		for (const rawBody of [' ', '\n', canonicalJson(body), JSON.stringify(body)]) {
			expect(verifyNotification(publicKey, { method: 'GET', rawBody, headers }, window).valid).toBe(false);
		}
		// `{}` and `null` are signed without data too, and carry no notification either.
		expect(verifyNotification(publicKey, { method: 'GET', rawBody: ' {} ', headers }, window)).toMatchObject({
			valid: true,
			coversBody: false,
		});
		// A signed body: covered.
		const bodySigned = signed();
		expect(verifyNotification(publicKey, { method: 'POST', rawBody: bodySigned.rawBody, headers: bodySigned.headers }, window)).toMatchObject({
			valid: true,
			coversBody: true,
		});
	});

	it('refuses a nonce that could shift the fields of the sign string', () => {
		const { rawBody, headers } = signed();
		for (const nonce of ['a&b', 'a=b', 'a b', '']) {
			const result = verifyNotification(publicKey, { method: 'POST', rawBody, headers: { ...headers, 'X-Nonce-Str': nonce } }, window);
			expect(result.valid).toBe(false);
		}
	});

	it('verifies bodies with U+0008/U+000C in either Go escaping (\\b or \\u0008), raw bytes first', () => {
		const payload = { eventType: 'PAYMENT_WEB_ONLINE', data: { transactionId: 't', note: 'a\bb\fc' } };
		const current = canonicalJson(payload);
		expect(current).toContain('\\b');
		const legacy = current.replace('\\b', '\\u0008').replace('\\f', '\\u000c');
		for (const signedText of [current, legacy]) {
			const signString = buildSignString({ data: signDataOf(signedText), method: 'post', nonceStr: 'n2', timestamp: NOW });
			const headers = { 'X-Signature': formatSignatureHeader(signText(serverKey, signString)), 'X-Nonce-Str': 'n2', 'X-Timestamp': NOW };
			// Sent as signed, and sent in the other escaping: both verify.
			for (const sent of [current, legacy]) {
				expect(verifyNotification(publicKey, { method: 'POST', rawBody: sent, headers }, window).valid).toBe(true);
			}
		}
	});

	it('never throws on junk: non-finite numbers, deep nesting, invalid JSON', () => {
		const { headers } = signed();
		for (const rawBody of ['{"a":1e999}', '['.repeat(5000) + ']'.repeat(5000), '{"a":', '\u0000']) {
			expect(verifyNotification(publicKey, { method: 'POST', rawBody, headers }, window)).toEqual({ valid: false, reason: 'badSignature' });
		}
	});
});

describe('headerValue', () => {
	it('finds a header by name in any case and takes the first of repeated values', () => {
		expect(headerValue({ 'X-Nonce-Str': ' abc ' }, 'x-nonce-str')).toBe('abc');
		expect(headerValue({ 'x-timestamp': ['1', '2'] }, 'X-Timestamp')).toBe('1');
		expect(headerValue({}, 'x-signature')).toBeUndefined();
	});
});
