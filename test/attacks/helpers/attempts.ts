/**
 * Attempts an attacker (or a broken proxy, or RM's own retries) can make against the trigger, one
 * attack class at a time. Each attempt is built from the genuine notification of its own fresh
 * payment, never delivered otherwise, so neither confirmation nor de-duplication can hide a bypass.
 *
 * `forged`: the attempt says something RM never signed (or is outside what the trigger may accept);
 * a run from it is an accepted-bad. Attempts that are not forged (the same content in another
 * encoding, a genuine request through another content type…) may run, but only with what RM signed.
 */
import { generateKeyPairSync, type KeyObject } from 'crypto';

import { canonicalJson } from '../../../nodes/RevenueMonster/transport/signature';
import { rmSignature } from '../../../simulator/sign-notification';

export type Json = Record<string, unknown>;

export interface Payment {
	/** what RM would send for it */
	payload: { eventType: string; data: Json };
	/** id RM's API knows it by (transaction id, or order id for recurring) */
	lookupId: string;
	transactionId: string;
}

export interface Attempt {
	label: string;
	method: 'POST' | 'GET';
	/** `?…` or '' */
	query: string;
	body: Buffer;
	headers: Record<string, string>;
	forged: boolean;
	payment: Payment;
	/** sent this many times at once */
	copies?: number;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** The genuine request RM would send for a payment. */
export function genuineAttempt(key: KeyObject, payment: Payment, label = 'genuine'): Attempt {
	const text = canonicalJson(payment.payload);
	return {
		label,
		method: 'POST',
		query: '',
		body: Buffer.from(text),
		headers: { ...JSON_TYPE, ...rmSignature(key, text) },
		forged: false,
		payment,
	};
}

/** A copy of the payload's data with one change (online: order.amount; recurring: amount). */
export function withData(payment: Payment, change: (data: Json) => void): { eventType: string; data: Json } {
	const copy = JSON.parse(JSON.stringify(payment.payload)) as { eventType: string; data: Json };
	change(copy.data);
	return copy;
}

export function raiseAmount(data: Json): void {
	const order = data.order as Json | undefined;
	if (order && typeof order.amount === 'number') order.amount += 1;
	else data.amount = Number(data.amount) + 1;
}

function post(payment: Payment, label: string, bodyText: string, headers: Record<string, string>, forged: boolean): Attempt {
	return { label, method: 'POST', query: '', body: Buffer.from(bodyText), headers: { ...JSON_TYPE, ...headers }, forged, payment };
}

export type Fresh = () => Payment;

// -------------------------------------------------------------------------------------------------
// Canonicalisation ambiguities: the body changed, the genuine signature kept.

export function canonicalisationAttempts(key: KeyObject, fresh: Fresh): Attempt[] {
	const attempts: Attempt[] = [];
	/** a genuine signature for payment p's canonical body, over another body text */
	const over = (label: string, forged: boolean, bodyOf: (canonical: string, p: Payment) => string) => {
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		attempts.push(post(p, label, bodyOf(canonical, p), rmSignature(key, canonical), forged));
	};
	const forgedText = (p: Payment) => canonicalJson(withData(p, raiseAmount));
	const forgedData = (p: Payment) => canonicalJson(withData(p, raiseAmount).data);

	over('duplicate top-level "data": the second (forged) one wins in JSON.parse', true, (c, p) => `${c.slice(0, -1)},"data":${forgedData(p)}}`);
	// JSON.parse (like Go) keeps the last of duplicate keys: this one carries what RM signed.
	over('duplicate "data", forged first (the signed one wins)', false, (c, p) => `{"data":${forgedData(p)},${c.slice(1)}`);
	over('duplicate "status" inside data', true, (c) => c.replace('"status":"SUCCESS"', '"status":"SUCCESS","status":"FAILED"'));
	over('duplicate "eventType", the other event last', true, (c, p) =>
		`${c.slice(0, -1)},"eventType":"${p.payload.eventType === 'RECURRING_PAYMENT' ? 'PAYMENT_WEB_ONLINE' : 'RECURRING_PAYMENT'}"}`,
	);
	over('keys reordered, amount changed', true, (_c, p) => {
		const forged = withData(p, raiseAmount);
		return JSON.stringify({ data: Object.fromEntries(Object.entries(forged.data).reverse()), eventType: forged.eventType });
	});
	over('keys reordered (same content)', false, (_c, p) =>
		JSON.stringify({ data: Object.fromEntries(Object.entries(p.payload.data).reverse()), eventType: p.payload.eventType }),
	);
	over('pretty-printed (same content)', false, (_c, p) => JSON.stringify(p.payload, null, 2));
	over('pretty-printed, amount changed', true, (_c, p) => JSON.stringify(withData(p, raiseAmount), null, 2));
	over('& written raw instead of \\u0026 (same content)', false, (c) => c.replace(/\\u0026/g, '&').replace(/\\u003c/g, '<'));
	over('\\u0026 kept, amount changed', true, (_c, p) => forgedText(p));
	over('amount as 1000.0 (same value)', false, (c, p) => c.replace(`"amount":${amountOf(p)}`, `"amount":${amountOf(p)}.0`));
	over('amount as 1.0e3 form (same value)', false, (c, p) => c.replace(`"amount":${amountOf(p)}`, `"amount":${amountOf(p) / 1000}e3`));
	over('amount with a fraction', true, (c, p) => c.replace(`"amount":${amountOf(p)}`, `"amount":${amountOf(p)}.5`));
	over('amount as a big integer', true, (c, p) => c.replace(`"amount":${amountOf(p)}`, `"amount":${amountOf(p)}000000000000000000001`));
	over('amount as a string', true, (c, p) => c.replace(`"amount":${amountOf(p)}`, `"amount":"${amountOf(p)}"`));
	over('"__proto__" added', true, (c) => `{"__proto__":{"status":"SUCCESS"},${c.slice(1)}`);
	over('"__proto__" added inside data', true, (c) => c.replace('{"data":{', '{"data":{"__proto__":{"status":"SUCCESS"},'));
	over('"__proto__" carrying the forged data', true, (c, p) => `{"__proto__":{"data":${forgedData(p)}},${c.slice(1)}`);
	over('"constructor" added', true, (c) => `{"constructor":{"prototype":{"status":"SUCCESS"}},${c.slice(1)}`);
	over('byte order mark before the body (same content)', false, (c) => `\uFEFF${c}`);
	over('trailing garbage after the JSON', true, (c) => `${c}{"x":1}`);
	over('NUL inside a string', true, (c) => c.replace('"status":"SUCCESS"', '"status":"SUCCESS\\u0000"'));

	// Bodies that carry nothing, under RM's no-data signature (anyone holding one bodyless callback has it).
	for (const [label, body] of [
		['empty body', ''],
		['whitespace-only body', ' \n'],
		['null body', 'null'],
		['{} body', '{}'],
	] as const) {
		const p = fresh();
		attempts.push(post(p, `${label} under a no-data signature`, body, rmSignature(key, undefined), true));
	}
	return attempts;
}

function amountOf(p: Payment): number {
	const order = p.payload.data.order as Json | undefined;
	return Number(order?.amount ?? p.payload.data.amount);
}

// -------------------------------------------------------------------------------------------------
// Header variants.

export function headerAttempts(key: KeyObject, fresh: Fresh): Attempt[] {
	const attempts: Attempt[] = [];
	const variant = (label: string, forgedBody: boolean, change: (headers: Record<string, string>) => Record<string, string>) => {
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		const body = forgedBody ? canonicalJson(withData(p, raiseAmount)) : canonical;
		attempts.push(post(p, `${label}${forgedBody ? ', body changed' : ''}`, body, change(rmSignature(key, canonical)), forgedBody));
	};
	const signatureOf = (headers: Record<string, string>) => headers['X-Signature'].slice('sha256 '.length);
	for (const forged of [true, false]) {
		variant('header names in capitals', forged, (h) => ({ 'X-SIGNATURE': h['X-Signature'], 'X-NONCE-STR': h['X-Nonce-Str'], 'X-TIMESTAMP': h['X-Timestamp'] }));
		variant('"SHA256" prefix', forged, (h) => ({ ...h, 'X-Signature': `SHA256 ${signatureOf(h)}` }));
		variant('base64url signature', forged, (h) => ({
			...h,
			'X-Signature': `sha256 ${signatureOf(h).replace(/\+/g, '-').replace(/\//g, '_')}`,
		}));
		variant('padding removed', forged, (h) => ({ ...h, 'X-Signature': `sha256 ${signatureOf(h).replace(/=+$/, '')}` }));
		variant('extra whitespace', forged, (h) => ({ ...h, 'X-Signature': `  sha256   ${signatureOf(h)}  ` }));
		variant('tab separator', forged, (h) => ({ ...h, 'X-Signature': `sha256\t${signatureOf(h)}` }));
	}
	// Two X-Signature headers (Node joins them with ", "): a forged one first, or the genuine one first.
	for (const genuineFirst of [true, false]) {
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		const headers = rmSignature(key, canonical);
		const other = rmSignature(key, canonicalJson(withData(p, raiseAmount)), { nonce: headers['X-Nonce-Str'], timestamp: headers['X-Timestamp'] });
		const both = genuineFirst ? `${headers['X-Signature']}, ${other['X-Signature']}` : `${other['X-Signature']}, ${headers['X-Signature']}`;
		attempts.push(post(p, `two X-Signature values (${genuineFirst ? 'genuine' : 'forged-body one'} first), body changed`, canonicalJson(withData(p, raiseAmount)), { ...headers, 'X-Signature': both }, true));
	}
	// A nonce or timestamp carrying sign-string separators.
	{
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		const headers = rmSignature(key, canonical);
		attempts.push(post(p, 'nonce with "&signType=sha256&timestamp=…" appended', canonical, { ...headers, 'X-Nonce-Str': `${headers['X-Nonce-Str']}&signType=sha256&timestamp=${headers['X-Timestamp']}` }, true));
	}
	return attempts;
}

// -------------------------------------------------------------------------------------------------
// Timestamps.

export function timestampAttempts(key: KeyObject, fresh: Fresh): Attempt[] {
	const attempts: Attempt[] = [];
	const now = Math.floor(Date.now() / 1000);
	const signedAt = (label: string, timestamp: string, forged: boolean) => {
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		attempts.push(post(p, label, canonical, rmSignature(key, canonical, { timestamp }), forged));
	};
	signedAt('signed an hour in the future', String(now + 3600), true);
	signedAt('signed 6 minutes in the future', String(now + 360), true);
	signedAt('signed an hour ago (captured, replayed late)', String(now - 3600), true);
	signedAt('negative timestamp', String(-now), true);
	signedAt('timestamp 0', '0', true);
	signedAt('huge timestamp', '99999999999999999999', true);
	signedAt('milliseconds an hour ago', String((now - 3600) * 1000), true);
	signedAt('milliseconds, now (same moment)', String(now * 1000), false);
	signedAt('seconds with a fraction', `${now}.5`, true);
	signedAt('timestamp with a plus sign', `+${now}`, true);
	// A genuine signature, the timestamp header changed to look fresh.
	{
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		const headers = rmSignature(key, canonical, { timestamp: String(now - 3600) });
		attempts.push(post(p, 'old signature, X-Timestamp rewritten to now', canonical, { ...headers, 'X-Timestamp': String(now) }, true));
	}
	return attempts;
}

// -------------------------------------------------------------------------------------------------
// GET query notifications (RM signs a bodyless request without data).

export function queryOf(payload: { eventType: string; data: Json }, extra = ''): string {
	return `?eventType=${encodeURIComponent(payload.eventType)}&data=${encodeURIComponent(JSON.stringify(payload.data))}${extra}`;
}

export function queryAttempts(key: KeyObject, fresh: Fresh): Attempt[] {
	const attempts: Attempt[] = [];
	const get = (label: string, forged: boolean, payloadOf: (p: Payment) => { eventType: string; data: Json }, signed: 'get' | 'post' | 'none' = 'get', extra = '') => {
		const p = fresh();
		const headers = signed === 'none' ? {} : rmSignature(key, undefined, { method: signed });
		attempts.push({ label, method: 'GET', query: queryOf(payloadOf(p), extra), body: Buffer.alloc(0), headers, forged, payment: p });
	};
	get('no-data signature (method=get), status "SUCCESS2"', true, (p) => withData(p, (d) => (d.status = 'SUCCESS2')));
	get('no-data signature (method=post), status "SUCCESS2"', true, (p) => withData(p, (d) => (d.status = 'SUCCESS2')));
	get('no-data signature, amount changed', true, (p) => withData(p, raiseAmount));
	get('no-data signature, currency changed', true, (p) => withData(p, (d) => ('currencyType' in d ? (d.currencyType = 'SGD') : (d.currency = 'SGD'))));
	get('no-data signature, event swapped', true, (p) => ({
		eventType: p.payload.eventType === 'RECURRING_PAYMENT' ? 'PAYMENT_WEB_ONLINE' : 'RECURRING_PAYMENT',
		data: { ...p.payload.data, orderId: (p.payload.data.order as Json | undefined)?.id ?? p.payload.data.orderId, transactionId: p.transactionId },
	}));
	get('no-data signature, status " SUCCESS" (space)', true, (p) => withData(p, (d) => (d.status = 'SUCCESS ')));
	get('unsigned, status "SUCCESS2"', true, (p) => withData(p, (d) => (d.status = 'SUCCESS2')), 'none');
	get('no-data signature, extra params trying to override (ignored)', false, (p) => p.payload, 'get', '&status=FAILED&amount=1');
	get('no-data signature, data exactly as RM says (a hint: runs only with RM’s record)', false, (p) => p.payload);
	{
		// A number JSON.parse reads as Infinity (issue 9, item 5: this made a 500).
		const p = fresh();
		const dataText = JSON.stringify(p.payload.data).replace(/^\{/, '{"junk":1e999,');
		attempts.push({
			label: 'no-data signature, data with 1e999',
			method: 'GET',
			query: `?eventType=${p.payload.eventType}&data=${encodeURIComponent(dataText)}`,
			body: Buffer.alloc(0),
			headers: rmSignature(key, undefined, { method: 'get' }),
			forged: true,
			payment: p,
		});
	}
	{
		// data nested 5,000 arrays deep: never a 500.
		const p = fresh();
		attempts.push({
			label: 'no-data signature, data nested 5,000 deep',
			method: 'GET',
			// Brackets unescaped, as an attacker sends them: 10 KB of URL, under Node's 16 KB header limit.
			query: `?eventType=${p.payload.eventType}&data=${'['.repeat(5000)}${']'.repeat(5000)}`,
			body: Buffer.alloc(0),
			headers: rmSignature(key, undefined, { method: 'get' }),
			forged: true,
			payment: p,
		});
	}
	{
		const p = fresh();
		attempts.push({
			label: 'no-data signature, whitespace body, forged query',
			method: 'GET',
			query: queryOf(withData(p, (d) => (d.status = 'SUCCESS2'))),
			body: Buffer.from('  '),
			headers: rmSignature(key, undefined, { method: 'get' }),
			forged: true,
			payment: p,
		});
	}
	return attempts;
}

// -------------------------------------------------------------------------------------------------
// Content types.

export function contentTypeAttempts(key: KeyObject, fresh: Fresh): Attempt[] {
	const attempts: Attempt[] = [];
	for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/octet-stream', 'application/json; charset=utf-8', '']) {
		for (const forged of [false, true]) {
			const p = fresh();
			const canonical = canonicalJson(p.payload);
			const body = forged ? canonicalJson(withData(p, raiseAmount)) : canonical;
			const headers: Record<string, string> = { ...rmSignature(key, canonical) };
			if (type) headers['Content-Type'] = type;
			attempts.push({ label: `${type || 'no content type'}${forged ? ', body changed' : ''}`, method: 'POST', query: '', body: Buffer.from(body), headers, forged, payment: p });
		}
	}
	return attempts;
}

// -------------------------------------------------------------------------------------------------
// Sizes and nesting.

export const THREE_MB = 3 * 1024 * 1024;

export function sizeAttempts(key: KeyObject, fresh: Fresh): Attempt[] {
	const attempts: Attempt[] = [];
	{
		// 3 MB of small objects, a fresh timestamp and any signature (issue 9, item 3).
		const p = fresh();
		const junk = Array.from({ length: 250_000 }, (_, i) => ({ i }));
		const body = JSON.stringify({ eventType: p.payload.eventType, data: { ...p.payload.data, junk } });
		attempts.push(post(p, `${(body.length / 1024 / 1024).toFixed(1)} MB body, another body’s signature`, body, rmSignature(key, canonicalJson(p.payload)), true));
	}
	{
		const p = fresh();
		const canonical = canonicalJson(p.payload);
		attempts.push(post(p, 'genuine body padded with whitespace past 64 KB', canonical + ' '.repeat(70 * 1024), rmSignature(key, canonical), true));
	}
	{
		const p = fresh();
		const deep = `{"eventType":"${p.payload.eventType}","data":${'['.repeat(5000)}${']'.repeat(5000)}}`;
		attempts.push(post(p, 'nested 5,000 arrays deep, signed by RM’s key', deep, rmSignature(key, deep), true));
	}
	{
		const p = fresh();
		const deep = `{"eventType":"${p.payload.eventType}","data":${'['.repeat(5000)}${']'.repeat(5000)}}`;
		attempts.push(post(p, 'nested 5,000 arrays deep, unsigned', deep, {}, true));
	}
	{
		const p = fresh();
		const infinite = canonicalJson(p.payload).replace(`"amount":${amountOf(p)}`, '"amount":1e999');
		attempts.push(post(p, 'amount 1e999, signed by RM’s key', infinite, rmSignature(key, infinite), true));
	}
	{
		const p = fresh();
		const wrong = JSON.stringify({ eventType: p.payload.eventType, data: { ...p.payload.data, transactionId: { $gt: '' }, orderId: ['x'] } });
		attempts.push(post(p, 'ids of the wrong type, signed by RM’s key', wrong, rmSignature(key, wrong), true));
	}
	return attempts;
}

// -------------------------------------------------------------------------------------------------
// Nonce reuse with another body.

export function nonceAttempts(key: KeyObject, fresh: Fresh): Array<{ first: Attempt; second: Attempt }> {
	const pairs: Array<{ first: Attempt; second: Attempt }> = [];
	for (let i = 0; i < 4; i++) {
		const a = fresh();
		const b = fresh();
		const first = genuineAttempt(key, a, 'first payment (genuine)');
		const nonce = first.headers['X-Nonce-Str'];
		const timestamp = first.headers['X-Timestamp'];
		const bText = canonicalJson(b.payload);
		const second =
			i % 2 === 0
				? post(b, 'another payment, signed by RM’s key with the same nonce', bText, rmSignature(key, bText, { nonce, timestamp }), true)
				: post(b, 'another payment’s body under the first one’s headers', bText, { ...first.headers }, true);
		pairs.push({ first, second });
	}
	return pairs;
}

// -------------------------------------------------------------------------------------------------
// Confirmation mismatches: correctly signed by RM's key (as a notification of another merchant's
// payment, or of an altered one, would be), describing a real transaction differently.

export function mismatchAttempts(key: KeyObject, fresh: Fresh, freshOf: (kind: 'online' | 'recurring') => Payment): Attempt[] {
	const attempts: Attempt[] = [];
	const signed = (label: string, payloadOf: (p: Payment) => { eventType: string; data: Json }, p: Payment = fresh()) => {
		const text = canonicalJson(payloadOf(p));
		attempts.push(post(p, label, text, rmSignature(key, text), true));
	};
	for (const status of ['SUCCESS ', 'success', '', 'SUCCESS2', 'FAILED']) {
		signed(`status ${JSON.stringify(status)}`, (p) => withData(p, (d) => (d.status = status)));
	}
	signed('status missing', (p) => withData(p, (d) => delete d.status));
	signed('amount +1 cent', (p) => withData(p, raiseAmount));
	signed('amount as text', (p) => withData(p, (d) => {
		const order = d.order as Json | undefined;
		if (order) order.amount = String(order.amount);
		else d.amount = String(d.amount);
	}));
	signed('currency SGD', (p) => withData(p, (d) => ('currencyType' in d ? (d.currencyType = 'SGD') : (d.currency = 'SGD'))));
	signed('order id of another order', (p) => withData(p, (d) => {
		const order = d.order as Json | undefined;
		if (order) order.id = `${String(order.id)}X`;
		else d.orderId = `${String(d.orderId)}X`;
	}));
	signed('online payment notified as RECURRING_PAYMENT', (p) => ({
		eventType: 'RECURRING_PAYMENT',
		data: { amount: amountOf(p), currency: 'MYR', orderId: (p.payload.data.order as Json).id, status: 'SUCCESS' },
	}), freshOf('online'));
	const recurring = freshOf('recurring');
	signed('recurring charge notified as PAYMENT_WEB_ONLINE', (p) => ({
		eventType: 'PAYMENT_WEB_ONLINE',
		data: { transactionId: p.transactionId, order: { id: p.payload.data.orderId, amount: p.payload.data.amount }, currencyType: 'MYR', status: 'SUCCESS' },
	}), recurring);
	return attempts;
}

let stranger: KeyObject | undefined;
/** An RSA key that is not RM's (a forger's own). */
export function strangerKey(): KeyObject {
	stranger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
	return stranger;
}
