/**
 * Canonical JSON: each way it used to differ from RM's Go server, from a minimal example
 * (test/differential checks the same against real Go on thousands of bodies).
 */
import { generateKeyPairSync } from 'crypto';

import {
	buildSignString,
	canonicalJson,
	canonicalJsonForms,
	compareUtf8,
	formatSignatureHeader,
	signDataOf,
	signText,
	verifyNotificationSignature,
} from '../../nodes/RevenueMonster/transport/signature';
import { seededRandom } from '../differential/bodies';

describe('lone surrogates become U+FFFD, as Go decodes them', () => {
	it('signs the title RM sees when .slice() cut an emoji in half', () => {
		const title = 'Nasi lemak 🍜'.slice(0, 12);
		expect(title).toBe('Nasi lemak \ud83c');
		expect(canonicalJson({ order: { amount: 1250, title } })).toBe(
			'{"order":{"amount":1250,"title":"Nasi lemak \ufffd"}}',
		);
	});

	it('replaces a lone low surrogate, and lone halves in keys, and leaves whole pairs alone', () => {
		expect(canonicalJson({ s: '\udf5cx', ['k\ud800']: 1 })).toBe('{"k\ufffd":1,"s":"\ufffdx"}');
		expect(canonicalJson({ s: '🍜\ud83c\ud83c🍜' })).toBe('{"s":"🍜\ufffd\ufffd🍜"}');
		// control: the old encoder (plain JSON.stringify) wrote the escape Go would not reproduce
		expect(JSON.stringify('\ud83c')).toBe('"\\ud83c"');
	});

	it('keeps one member when two keys differ only in lone surrogates (they are one key in Go)', () => {
		expect(canonicalJson({ ['a\ud800']: 1, ['a\udc00']: 2 })).toBe('{"a\ufffd":2}');
	});

	it('sends only well-formed UTF-8', () => {
		const sent = Buffer.from(canonicalJson({ s: 'x\udbff' }), 'utf8');
		expect(sent.toString('utf8')).toBe('{"s":"x\ufffd"}');
		expect(sent.includes(Buffer.from([0xed]))).toBe(false);
	});
});

describe('keys sort by UTF-8 bytes, as Go sorts strings', () => {
	it('puts full-width letters (U+FF21) before emoji (U+1F600), unlike UTF-16 order', () => {
		expect(canonicalJson({ '😀': 2, 'Ａ': 1 })).toBe('{"Ａ":1,"😀":2}');
		// control: JavaScript's default sort (UTF-16 code units) orders them the other way
		expect(['Ａ', '😀'].sort()).toEqual(['😀', 'Ａ']);
	});

	it('agrees with a byte comparison of the UTF-8 encodings on random strings', () => {
		const random = seededRandom(7);
		const alphabet = ['a', 'Z', '\u00e9', '\u4e2d', '\ue000', '\uff21', '\uffff', '😀', '\u{10000}', '\u{10ffff}', ''];
		const text = () => Array.from({ length: Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
		for (let round = 0; round < 5000; round++) {
			const a = text();
			const b = text();
			expect(Math.sign(compareUtf8(a, b))).toBe(Buffer.compare(Buffer.from(a), Buffer.from(b)));
		}
	});
});

describe('U+0008/U+000C: one form sent, both verified', () => {
	const body = { note: 'a\bb\fc' };

	it('sends \\b and \\f (Go >= 1.22) and lists \\u0008/\\u000c (Go <= 1.21) as the second form', () => {
		expect(canonicalJson(body)).toBe('{"note":"a\\bb\\fc"}');
		expect(canonicalJsonForms(body)).toEqual(['{"note":"a\\bb\\fc"}', '{"note":"a\\u0008b\\u000cc"}']);
	});

	it('has one form when there is nothing to differ, even for a literal backslash before b or f', () => {
		expect(canonicalJsonForms({ path: 'C:\\bin\\file', other: '\\\\b' })).toEqual([
			'{"other":"\\\\\\\\b","path":"C:\\\\bin\\\\file"}',
		]);
	});

	describe("verifyNotificationSignature accepts RM's bytes in either variant", () => {
		const server = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const notification = { eventType: 'PAYMENT_WEB_ONLINE', data: { order: { amount: 100, title: 'a\bb\fc' } } };
		const [current, legacy] = canonicalJsonForms(notification);
		const signedBy = (signedForm: string) =>
			formatSignatureHeader(
				signText(server.privateKey, buildSignString({ data: signDataOf(signedForm), method: 'post', nonceStr: 'N', timestamp: '1' })),
			);
		const verify = (rawBody: string, signatureHeader: string) =>
			verifyNotificationSignature(server.publicKey, { rawBody, method: 'POST', signatureHeader, nonceStr: 'N', timestamp: '1' });

		it.each([
			['Go >= 1.22 (\\b/\\f)', current],
			['Go <= 1.21 (\\u0008/\\u000c)', legacy],
		])('%s: the signed bytes as sent', (_variant, form) => {
			expect(verify(form, signedBy(form))).toBe(true);
		});

		it('Go >= 1.22: the same data sent in another key order', () => {
			const reordered = JSON.stringify({ data: notification.data, eventType: notification.eventType }, null, 1);
			expect(verify(reordered, signedBy(current))).toBe(true);
		});

		it('control: a changed title fails in both variants', () => {
			expect(verify(current.replace('a\\bb', 'a\\bx'), signedBy(current))).toBe(false);
			expect(verify(legacy.replace('a\\u0008b', 'a\\u0008x'), signedBy(legacy))).toBe(false);
		});
	});
});

describe('numbers as Go prints float64', () => {
	it('writes -0 as Go does', () => {
		expect(canonicalJson({ n: -0 })).toBe('{"n":-0}');
		// control: JSON.stringify loses the sign
		expect(JSON.stringify({ n: -0 })).toBe('{"n":0}');
	});

	it('prints integers up to 2^53 plainly and refuses a bigint RM would read changed', () => {
		expect(canonicalJson({ a: 2 ** 53, b: -(2 ** 53), c: BigInt(2 ** 53) })).toBe(
			'{"a":9007199254740992,"b":-9007199254740992,"c":9007199254740992}',
		);
		expect(() => canonicalJson({ c: BigInt(2 ** 53) + BigInt(1) })).toThrow(/beyond 2\^53/);
	});
});
