/**
 * Bad notifications, generated from genuine ones: every way an attacker, a broken proxy or a replay
 * could present a payment notification to the trigger. Each case is the exact bytes and headers to
 * send; none of them may start a workflow run.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'crypto';

import { canonicalJson, createNonce, unixTimestamp } from '../../../nodes/RevenueMonster/transport/signature';
import { rmSignature, signNotification } from '../../../simulator/sign-notification';

export interface NotificationCase {
	/** table row it is counted in */
	group: NotificationGroup;
	/** what was done to it */
	mutation: string;
	body: Buffer;
	headers: Record<string, string>;
}

export type NotificationGroup =
	| 'Forged: body bytes flipped'
	| 'Forged: signature headers removed (unsigned)'
	| 'Forged: signature headers changed'
	| 'Wrong key'
	| 'Stale or future timestamp'
	| 'Malformed body';

export interface GenuineNotification {
	/** what RM signed */
	payload: Record<string, unknown>;
	body: Buffer;
	headers: Record<string, string>;
}

export interface Keys {
	server: KeyObject;
	/** the merchant's own key: it signs requests, never notifications */
	merchant: KeyObject;
}

let strangers: Record<string, KeyObject> | undefined;
/** RSA keys that are not RM's, of the sizes a forger might use. */
function strangerKeys(): Record<string, KeyObject> {
	strangers ??= {
		'2048-bit': generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
		'1024-bit': generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
		'3072-bit': generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey,
	};
	return strangers;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** A notification signed the way RM's server signs one, with a chosen key, timestamp and nonce. */
export function signAs(
	key: KeyObject,
	payload: unknown,
	options: { timestamp?: string; nonce?: string; rawBody?: string } = {},
): { body: Buffer; headers: Record<string, string> } {
	const timestamp = options.timestamp ?? unixTimestamp();
	const nonce = options.nonce ?? createNonce();
	if (options.rawBody !== undefined) {
		// RM's signature over these exact bytes (for bodies that are not canonical JSON)
		return { body: Buffer.from(options.rawBody), headers: { ...JSON_TYPE, ...rmSignature(key, options.rawBody, { nonce, timestamp }) } };
	}
	const signed = signNotification(key, payload, 'post', nonce, timestamp);
	return { body: Buffer.from(signed.rawBody), headers: { ...JSON_TYPE, ...signed.headers } };
}

export function genuine(keys: Keys, payload: Record<string, unknown>): GenuineNotification {
	return { payload, ...signAs(keys.server, payload) };
}

/** What a body says, as canonical JSON (undefined when it is not JSON): equal content, equal text. */
export function contentOf(body: Buffer | unknown): string | undefined {
	try {
		return canonicalJson(Buffer.isBuffer(body) ? JSON.parse(body.toString('utf8')) : body);
	} catch {
		return undefined;
	}
}

function flipCharacter(text: string, index: number): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const current = text[index];
	const replacement = alphabet[(alphabet.indexOf(current) + 17) % alphabet.length];
	return text.slice(0, index) + replacement + text.slice(index + 1);
}

/**
 * 38 bad variants, each made from its own genuine notification (`fresh()`: a payment never
 * delivered otherwise), so no duplicate check can hide a variant the signature check lets through.
 */
export function badVariants(keys: Keys, fresh: () => GenuineNotification, flips = 8): NotificationCase[] {
	const cases: NotificationCase[] = [];
	const add = (group: NotificationGroup, mutation: string, body: Buffer, headers: Record<string, string>) =>
		cases.push({ group, mutation, body, headers });
	let body: Buffer = Buffer.alloc(0);
	let headers: Record<string, string> = {};
	let payload: Record<string, unknown> = {};
	/** the next genuine notification to mutate */
	const next = () => {
		({ body, headers, payload } = fresh());
		return { body, headers, payload };
	};

	// Body bytes flipped (headers untouched): any change to what RM signed.
	for (let flip = 0; flip < flips; flip++) {
		next();
		const mutated = Buffer.from(body);
		const position = Math.floor(((flip + Math.random()) / flips) * mutated.length) % mutated.length;
		mutated[position] ^= 1 + randomBytes(1)[0] % 255;
		add('Forged: body bytes flipped', `byte ${position} flipped`, mutated, headers);
	}

	// Signature headers removed.
	const without = (...names: string[]) => {
		next();
		return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
	};
	for (const names of [['X-Signature'], ['X-Nonce-Str'], ['X-Timestamp'], ['X-Signature', 'X-Nonce-Str', 'X-Timestamp']]) {
		const kept = without(...names);
		add('Forged: signature headers removed (unsigned)', `no ${names.join(', ')}`, body, kept);
	}

	// Signature headers changed.
	const changed = (mutation: string, replace: (signature: string) => Record<string, string>) => {
		next();
		const signature = headers['X-Signature'].slice('sha256 '.length);
		add('Forged: signature headers changed', mutation, body, { ...headers, ...replace(signature) });
	};
	changed('signature: one base64 character changed', (signature) => ({ 'X-Signature': `sha256 ${flipCharacter(signature, 10)}` }));
	changed('signature: truncated', (signature) => ({ 'X-Signature': `sha256 ${signature.slice(0, signature.length - 8)}` }));
	changed('signature: another notification’s signature', () => ({ 'X-Signature': fresh().headers['X-Signature'] }));
	changed('signature: "sha1" instead of "sha256"', (signature) => ({ 'X-Signature': `sha1 ${signature}` }));
	changed('signature: empty', () => ({ 'X-Signature': 'sha256 ' }));
	changed('signature: not base64', () => ({ 'X-Signature': 'sha256 !!not-a-signature!!' }));
	changed('nonce: one character changed', () => ({ 'X-Nonce-Str': flipCharacter(headers['X-Nonce-Str'], 3) }));
	changed('timestamp: one second later than signed', () => ({ 'X-Timestamp': String(Number(headers['X-Timestamp']) + 1) }));
	changed('timestamp: same time in milliseconds', () => ({ 'X-Timestamp': `${headers['X-Timestamp']}000` }));

	// Signed, but not with RM's server key.
	for (const [size, key] of Object.entries(strangerKeys())) {
		add('Wrong key', `signed by a ${size} key that is not RM’s`, ...bodyAndHeaders(signAs(key, next().payload)));
	}
	add('Wrong key', 'signed by the merchant’s own private key', ...bodyAndHeaders(signAs(keys.merchant, next().payload)));

	// Genuinely signed by RM's key, outside the time window (default tolerance 300 s).
	const now = Math.floor(Date.now() / 1000);
	for (const [mutation, seconds] of [
		// 330 s: outside the 300 s window with room for the time the suite takes to send it
		['5½ minutes old', now - 330],
		['an hour old', now - 3600],
		['a day old', now - 86_400],
		['5½ minutes in the future', now + 330],
		['a day in the future', now + 86_400],
	] as const) {
		const signed = signAs(keys.server, next().payload, { timestamp: String(seconds) });
		add('Stale or future timestamp', `signed ${mutation}`, ...bodyAndHeaders(signed));
	}
	add('Stale or future timestamp', 'signed with timestamp "0"', ...bodyAndHeaders(signAs(keys.server, next().payload, { timestamp: '0' })));

	// Bodies that are not a notification, some even signed with RM's key (the signature alone is not enough).
	const signedRaw = (mutation: string, rawBody: (text: string) => string, contentType = 'text/plain') => {
		const signed = signAs(keys.server, undefined, { rawBody: rawBody(next().body.toString('utf8')) });
		add('Malformed body', mutation, signed.body, { ...signed.headers, 'Content-Type': contentType });
	};
	signedRaw('truncated JSON, signed by RM’s key', (text) => text.slice(0, text.length - 9));
	signedRaw('JSON array, signed by RM’s key', () => JSON.stringify([payload]), 'application/json');
	signedRaw('no data, signed by RM’s key', () => JSON.stringify({ eventType: payload.eventType }), 'application/json');
	signedRaw('data is a string, signed by RM’s key', () => JSON.stringify({ eventType: payload.eventType, data: 'PAID' }), 'application/json');
	signedRaw('empty body, signed by RM’s key', () => '');
	const truncated = next().body.toString('utf8');
	add('Malformed body', 'truncated JSON, unsigned', Buffer.from(truncated.slice(0, truncated.length - 9)), { 'Content-Type': 'text/plain' });
	add('Malformed body', 'not JSON at all, original headers', Buffer.from('eventType=PAYMENT_WEB_ONLINE&status=SUCCESS'), {
		...next().headers,
		'Content-Type': 'application/x-www-form-urlencoded',
	});
	return cases;
}

function bodyAndHeaders(signed: { body: Buffer; headers: Record<string, string> }): [Buffer, Record<string, string>] {
	return [signed.body, signed.headers];
}
