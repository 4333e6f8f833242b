/**
 * The one signing module: canonical JSON, the sign string and RSA-SHA256 signatures, exactly as
 * Revenue Monster's server checks them (shared/docs/revenue-monster-api.md §3–§4). Reading the keys
 * is in keys.ts. The credential, the trigger's verification, the simulator and the tests all use this file.
 */
import { createSign, randomBytes, verify, type KeyObject } from 'crypto';

export const SIGN_TYPE = 'sha256';

// ---------------------------------------------------------------------------------------------
// Canonical JSON: byte for byte what RM's Go server makes of a body it receives. Its SDK shows the
// sequence (signature.go): mxj.NewMapJson (encoding/json decodes into map[string]interface{}, numbers
// as float64) → m.Json(true) (encoding/json.Marshal, HTML-safe) → json.Compact; `{}`/`null` sign no
// data. test/differential runs that sequence in real Go against this code. What follows from it:
// - keys sorted by their UTF-8 bytes (Go compares strings bytewise), at every depth;
// - strings: `"` `\` `\n` `\r` `\t` `\b` `\f` short escapes, other C0 controls as lowercase \u00xx,
//   `<>&` and U+2028/U+2029 as lowercase \u escapes, everything else raw UTF-8;
// - a lone surrogate (half an emoji, e.g. from .slice()) becomes U+FFFD, as Go's decoder makes it;
// - numbers as float64: JavaScript's shortest round-trip form, which is Go's form too, `-0` included.
// Go <= 1.21 wrote U+0008/U+000C as \u0008/\u000c; outgoing requests use the Go >= 1.22 form
// (every supported Go since August 2024); canonicalJsonForms gives both for verifying notifications.
// ---------------------------------------------------------------------------------------------

/** Characters RM's Go encoder escapes that JSON.stringify leaves raw. */
const GO_HTML_ESCAPES = /[<>&\u2028\u2029]/g;

/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text Go holds after decoding: every lone surrogate replaced by U+FFFD. */
function wellFormed(text: string): string {
	return text.replace(LONE_SURROGATE, '\ufffd');
}

function quoteJsonString(text: string): string {
	return JSON.stringify(wellFormed(text)).replace(
		GO_HTML_ESCAPES,
		(char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'),
	);
}

/**
 * Orders well-formed strings by code point, which is their UTF-8 byte order (Go's). Plain `<`
 * compares UTF-16 code units, which puts U+E000–U+FFFF after the surrogate pairs of U+10000 and up.
 */
export function compareUtf8(a: string, b: string): number {
	const shorter = Math.min(a.length, b.length);
	for (let index = 0; index < shorter; index++) {
		let x = a.charCodeAt(index);
		let y = b.charCodeAt(index);
		if (x === y) continue;
		// Move surrogates (U+D800–U+DFFF) above U+E000–U+FFFF, where the code points they encode sort.
		if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
		if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
		return x - y;
	}
	return a.length - b.length;
}

function encodeNumber(value: number): string {
	if (!Number.isFinite(value)) throw new TypeError('Cannot sign a non-finite number');
	// JSON.stringify(-0) is "0"; Go's float64 -0 prints "-0".
	return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

function encodeCanonical(value: unknown): string | undefined {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
			return quoteJsonString(value);
		case 'number':
			return encodeNumber(value);
		case 'bigint':
			// RM's server reads every number as a float64; a larger integer would arrive changed.
			if (value > BigInt(2 ** 53) || value < -BigInt(2 ** 53)) {
				throw new TypeError('Cannot sign an integer beyond 2^53: Revenue Monster reads numbers as float64');
			}
			return value.toString();
		case 'boolean':
			return value ? 'true' : 'false';
		case 'object':
			break;
		default:
			// undefined, functions and symbols are dropped, as JSON does
			return undefined;
	}
	if (Array.isArray(value)) {
		return '[' + value.map((element) => encodeCanonical(element) ?? 'null').join(',') + ']';
	}
	const withToJson = value as { toJSON?: () => unknown };
	if (typeof withToJson.toJSON === 'function') return encodeCanonical(withToJson.toJSON());

	const record = value as Record<string, unknown>;
	// Keys that differ only in their lone surrogates meet as one key in Go's map; the last one wins there.
	const members = new Map<string, string>();
	for (const key of Object.keys(record)) {
		const encoded = encodeCanonical(record[key]);
		if (encoded !== undefined) members.set(wellFormed(key), encoded);
	}
	const keys = [...members.keys()].sort(compareUtf8);
	return '{' + keys.map((key) => quoteJsonString(key) + ':' + members.get(key)).join(',') + '}';
}

/**
 * The JSON RM's server re-encodes a body to (see the notes above): keys in UTF-8 byte order at every
 * depth, compact, Go's string escaping, lone surrogates as U+FFFD, numbers as Go prints float64.
 */
export function canonicalJson(value: unknown): string {
	return encodeCanonical(value) ?? 'null';
}

/**
 * Every canonical form a Go server may have produced for the same value, for verifying what RM
 * signed: Go >= 1.22 writes U+0008/U+000C as `\b`/`\f`, older Go as `\u0008`/`\u000c`.
 * The first form is the one this package sends.
 */
export function canonicalJsonForms(value: unknown): string[] {
	const current = canonicalJson(value);
	// Every backslash in JSON output starts an escape, so matching pairs never splits one.
	const legacy = current.replace(/\\(.)/g, (pair, char: string) =>
		char === 'b' ? '\\u0008' : char === 'f' ? '\\u000c' : pair,
	);
	return legacy === current ? [current] : [current, legacy];
}

/** The `data` part of a sign string, or undefined where RM signs no data (no body, `{}` or `null`). */
export function signDataOf(canonicalBody: string | undefined): string | undefined {
	if (canonicalBody === undefined || canonicalBody === '' || canonicalBody === '{}' || canonicalBody === 'null') {
		return undefined;
	}
	return Buffer.from(canonicalBody, 'utf8').toString('base64');
}

/** signDataOf for a body held as bytes (a received notification), without decoding it to text first. */
export function signDataOfBytes(body: Buffer): string | undefined {
	if (body.length === 0) return undefined;
	if (body.length === 2 && body[0] === 0x7b && body[1] === 0x7d) return undefined; // {}
	if (body.length === 4 && body.toString('latin1') === 'null') return undefined;
	return body.toString('base64');
}

export interface SignStringParts {
	/** base64 of the canonical body; omitted when there is none */
	data?: string;
	/** HTTP verb, any case */
	method: string;
	nonceStr: string;
	/** absolute URL as sent; omitted for notifications (callback form) */
	requestUrl?: string;
	timestamp: string;
}

/** `data=…&method=…&nonceStr=…&requestUrl=…&signType=sha256&timestamp=…`, in that fixed order. */
export function buildSignString(parts: SignStringParts): string {
	const data = parts.data !== undefined ? `data=${parts.data}&` : '';
	const requestUrl = parts.requestUrl !== undefined ? `&requestUrl=${parts.requestUrl}` : '';
	return `${data}method=${parts.method.toLowerCase()}&nonceStr=${parts.nonceStr}${requestUrl}&signType=${SIGN_TYPE}&timestamp=${parts.timestamp}`;
}

/** RSA PKCS#1 v1.5 with SHA-256 over the UTF-8 string; base64 output. */
export function signText(privateKey: KeyObject, text: string): string {
	return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKey, 'base64');
}

export function verifyText(publicKey: KeyObject, text: string, signatureBase64: string): boolean {
	return verifyBytes(publicKey, Buffer.from(text, 'utf8'), Buffer.from(signatureBase64, 'base64'));
}

/** RSA PKCS#1 v1.5 with SHA-256; one-shot (no streaming Verify object: cheaper per call). */
function verifyBytes(publicKey: KeyObject, data: Buffer, signature: Buffer): boolean {
	try {
		return verify(SIGN_TYPE, data, publicKey, signature);
	} catch {
		return false;
	}
}

/** `X-Signature` header value: literal `sha256`, one space, base64 signature. */
export function formatSignatureHeader(signatureBase64: string): string {
	return `${SIGN_TYPE} ${signatureBase64}`;
}

/** The base64 part of an `X-Signature` header, or undefined when it is not of the `sha256 …` form. */
export function parseSignatureHeader(header: string | undefined): string | undefined {
	const text = (header ?? '').trim();
	const prefix = `${SIGN_TYPE} `;
	if (!text.startsWith(prefix)) return undefined;
	const base64 = text.slice(prefix.length);
	return isPaddedBase64(base64) ? base64 : undefined;
}

/** A character that is neither base64 nor padding. */
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

/**
 * Whether the text matches `^[A-Za-z0-9+/]+={0,2}$`. Written as a search for a stray character plus a
 * look at the padding: on the ~350 characters of every notification's signature that costs a fifth of
 * the anchored pattern, which cost more than everything else around the RSA check.
 */
export function isPaddedBase64(text: string): boolean {
	if (text.length === 0 || NOT_BASE64.test(text)) return false;
	const padding = text.indexOf('=');
	if (padding === -1) return true;
	// at least one base64 character, then one or two '=' and nothing else
	const last = text.length - 1;
	return padding > 0 && padding >= last - 1 && (padding === last || text.charCodeAt(last) === 0x3d);
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 random alphanumerics: unique per request, fresh on every retry. */
export function createNonce(length = 32): string {
	const bytes = randomBytes(length);
	let nonce = '';
	for (const byte of bytes) nonce += NONCE_ALPHABET[byte % NONCE_ALPHABET.length];
	return nonce;
}

/** Unix time in seconds, as RM wants it (not milliseconds). */
export function unixTimestamp(nowMs: number = Date.now()): string {
	return Math.floor(nowMs / 1000).toString();
}

export interface SignedHeaders {
	'X-Signature': string;
	'X-Nonce-Str': string;
	'X-Timestamp': string;
}

export interface RequestToSign {
	method: string;
	/** the absolute URL exactly as it will be sent */
	url: string;
	/** the canonical JSON that will be sent, if any */
	body?: string;
	nonceStr?: string;
	timestamp?: string;
}

/** Signs one Open API request; returns the three signature headers and the string that was signed. */
export function signRequest(
	privateKey: KeyObject,
	request: RequestToSign,
): { headers: SignedHeaders; signString: string } {
	const nonceStr = request.nonceStr ?? createNonce();
	const timestamp = request.timestamp ?? unixTimestamp();
	const signString = buildSignString({
		data: signDataOf(request.body),
		method: request.method,
		nonceStr,
		requestUrl: request.url,
		timestamp,
	});
	return {
		signString,
		headers: {
			'X-Signature': formatSignatureHeader(signText(privateKey, signString)),
			'X-Nonce-Str': nonceStr,
			'X-Timestamp': timestamp,
		},
	};
}

export interface NotificationToVerify {
	/** the request body exactly as received */
	rawBody: string | Buffer;
	method: string;
	signatureHeader?: string;
	nonceStr?: string;
	timestamp?: string;
}

/** Deeper JSON than any RM notification is never canonicalised (the recursion would be the attacker's). */
const MAX_VERIFIED_NESTING = 32;

/** Whether every array/object in `value` sits at most `limit` levels deep (iterative: no recursion to exhaust). */
export function nestingWithin(value: unknown, limit: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (typeof current !== 'object' || current === null) continue;
		if (depth > limit) return false;
		for (const child of Object.values(current as Record<string, unknown>)) {
			if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
		}
	}
	return true;
}

/**
 * What a valid notification signature was made over:
 * - `raw`: the exact bytes received (what RM sends is its canonical JSON);
 * - `canonical`: the same JSON in another form (key order, whitespace, escapes; either Go escaping of
 *   U+0008/U+000C) — the parsed value is what RM signed;
 * - `noData`: nothing but method, nonce and time. RM signs a bodyless request so (and `{}`/`null`
 *   bodies): such a signature authenticates no data at all, whatever the query string says.
 */
export type NotificationSignatureForm = 'raw' | 'canonical' | 'noData';

/**
 * Checks a notification's signature (callback form: no requestUrl) and says what it covers.
 * Cheapest first: one RSA check over the raw bytes, the form RM sends; only when that fails is the
 * body parsed and its canonical forms tried. Never throws; undefined when nothing matches.
 * Checks only the signature; the caller checks the time window and the size.
 */
export function verifyNotificationSignatureForm(
	publicKey: KeyObject,
	notification: NotificationToVerify,
): NotificationSignatureForm | undefined {
	const signatureBase64 = parseSignatureHeader(notification.signatureHeader);
	if (!signatureBase64 || !notification.nonceStr || !notification.timestamp) return undefined;
	const signature = Buffer.from(signatureBase64, 'base64');
	// The bytes as received: their base64 goes into the sign string without a round trip through text.
	const rawBytes = Buffer.isBuffer(notification.rawBody)
		? notification.rawBody
		: Buffer.from(notification.rawBody, 'utf8');
	/** 'data' or 'noData' when the signature is over these body bytes (no data part for none, `{}`, `null`), else undefined */
	const matches = (body: Buffer): 'data' | 'noData' | undefined => {
		const data = signDataOfBytes(body);
		const signString = buildSignString({
			data,
			method: notification.method,
			nonceStr: notification.nonceStr!,
			timestamp: notification.timestamp!,
		});
		if (!verifyBytes(publicKey, Buffer.from(signString, 'utf8'), signature)) return undefined;
		return data === undefined ? 'noData' : 'data';
	};

	// An empty body is signed without a data part: that signature covers nothing.
	const rawMatch = matches(rawBytes);
	if (rawMatch) return rawMatch === 'noData' ? 'noData' : 'raw';
	if (rawBytes.length === 0) return undefined;

	let forms: string[];
	try {
		const parsed: unknown = JSON.parse(rawBytes.toString('utf8'));
		if (!nestingWithin(parsed, MAX_VERIFIED_NESTING)) return undefined;
		forms = canonicalJsonForms(parsed);
	} catch {
		// not JSON, or not encodable (non-finite numbers): only the raw bytes could have matched
		return undefined;
	}
	for (const form of forms) {
		const formBytes = Buffer.from(form, 'utf8');
		if (formBytes.equals(rawBytes)) continue; // already tried
		const match = matches(formBytes);
		if (match) return match === 'noData' ? 'noData' : 'canonical';
	}
	return undefined;
}

/** Whether the notification's signature is valid over the body received (or, for an empty body, over no data). */
export function verifyNotificationSignature(publicKey: KeyObject, notification: NotificationToVerify): boolean {
	return verifyNotificationSignatureForm(publicKey, notification) !== undefined;
}
