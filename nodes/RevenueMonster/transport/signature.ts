/**
 * The one signing module: canonical JSON, the sign string, RSA-SHA256 signatures and key parsing,
 * exactly as Revenue Monster's server checks them (shared/docs/revenue-monster-api.md §3–§4).
 * The credential, the trigger's verification, the simulator and the tests all use this file.
 */
import {
	createPrivateKey,
	createPublicKey,
	createSign,
	createVerify,
	randomBytes,
	type KeyObject,
} from 'crypto';

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
	const fields: string[] = [];
	if (parts.data !== undefined) fields.push(`data=${parts.data}`);
	fields.push(`method=${parts.method.toLowerCase()}`);
	fields.push(`nonceStr=${parts.nonceStr}`);
	if (parts.requestUrl !== undefined) fields.push(`requestUrl=${parts.requestUrl}`);
	fields.push(`signType=${SIGN_TYPE}`);
	fields.push(`timestamp=${parts.timestamp}`);
	return fields.join('&');
}

/** RSA PKCS#1 v1.5 with SHA-256 over the UTF-8 string; base64 output. */
export function signText(privateKey: KeyObject, text: string): string {
	return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKey, 'base64');
}

export function verifyText(publicKey: KeyObject, text: string, signatureBase64: string): boolean {
	try {
		return createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKey, signatureBase64, 'base64');
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
	const match = /^sha256 ([A-Za-z0-9+/]+={0,2})$/.exec((header ?? '').trim());
	return match ? match[1] : undefined;
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

/**
 * Checks a notification's signature (callback form: no requestUrl). RM signs the canonical JSON of
 * what it sends, which may be sent in another key order, so both the received bytes and their
 * canonical form are tried. Checks only the signature; the caller checks the time window.
 */
export function verifyNotificationSignature(publicKey: KeyObject, notification: NotificationToVerify): boolean {
	const signature = parseSignatureHeader(notification.signatureHeader);
	if (!signature || !notification.nonceStr || !notification.timestamp) return false;
	const raw = Buffer.isBuffer(notification.rawBody)
		? notification.rawBody.toString('utf8')
		: notification.rawBody;
	const candidates = new Set<string | undefined>([raw.trim() === '' ? undefined : raw]);
	try {
		if (raw.trim() !== '') candidates.add(canonicalJson(JSON.parse(raw)));
	} catch {
		// not JSON: only the raw bytes can match
	}
	for (const body of candidates) {
		const signString = buildSignString({
			data: signDataOf(body),
			method: notification.method,
			nonceStr: notification.nonceStr,
			timestamp: notification.timestamp,
		});
		if (verifyText(publicKey, signString, signature)) return true;
	}
	return false;
}

/** Signs a notification as RM's server does (used by the simulator and tests). */
export function signNotification(
	privateKey: KeyObject,
	body: unknown,
	method = 'post',
	nonceStr: string = createNonce(),
	timestamp: string = unixTimestamp(),
): { rawBody: string; headers: SignedHeaders } {
	const rawBody = canonicalJson(body);
	const signString = buildSignString({ data: signDataOf(rawBody), method, nonceStr, timestamp });
	return {
		rawBody,
		headers: {
			'X-Signature': formatSignatureHeader(signText(privateKey, signString)),
			'X-Nonce-Str': nonceStr,
			'X-Timestamp': timestamp,
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Keys. Users paste PEM (PKCS#1 or PKCS#8 / SPKI), PEM with literal "\n", or the bare base64 body.
// Parsed keys are cached by their text so the per-request path never re-parses a key.
// ---------------------------------------------------------------------------------------------

export class KeyFormatError extends Error {}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const MAX_CACHED_KEYS = 64;
const privateKeyCache = new Map<string, KeyObject>();
const publicKeyCache = new Map<string, KeyObject>();

interface KeyMaterial {
	/** PEM label, when the text had armour */
	label?: string;
	der: Buffer;
}

function readKeyMaterial(text: string): KeyMaterial | undefined {
	const unescaped = text
		.trim()
		.replace(/^["']|["']$/g, '')
		.replace(/\\r\\n|\\n|\\r/g, '\n');
	const pem = PEM_BLOCK.exec(unescaped);
	const label = pem ? pem[1] : undefined;
	let body = pem ? pem[2] : unescaped;
	// Encrypted PEM headers (Proc-Type/DEK-Info) cannot be used without a passphrase.
	if (/Proc-Type:|DEK-Info:/.test(body)) return undefined;
	body = body.replace(/\s+/g, '');
	if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
	return { label, der: Buffer.from(body, 'base64') };
}

function remember(cache: Map<string, KeyObject>, text: string, key: KeyObject): KeyObject {
	if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
	cache.set(text, key);
	return key;
}

function firstParsed<T>(attempts: Array<() => T>): T | undefined {
	for (const attempt of attempts) {
		try {
			return attempt();
		} catch {
			// try the next encoding
		}
	}
	return undefined;
}

const PRIVATE_KEY_HELP =
	'Paste the RSA private key whose public half is uploaded in the Revenue Monster portal: the PEM text ' +
	'("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"), with real or "\\n" line breaks, ' +
	'or only the base64 between those lines.';

/** Parses the merchant private key; the error never contains the key. */
export function parsePrivateKey(text: string | undefined): KeyObject {
	if (!text || text.trim() === '') {
		throw new KeyFormatError(`The private key is empty. ${PRIVATE_KEY_HELP}`);
	}
	const cached = privateKeyCache.get(text);
	if (cached) return cached;

	const material = readKeyMaterial(text);
	if (material?.label && /PUBLIC KEY/.test(material.label)) {
		throw new KeyFormatError(
			`The private key field holds a public key. ${PRIVATE_KEY_HELP}`,
		);
	}
	const key =
		material &&
		firstParsed([
			() => createPrivateKey({ key: material.der, format: 'der', type: 'pkcs8' }),
			() => createPrivateKey({ key: material.der, format: 'der', type: 'pkcs1' }),
		]);
	if (!key) {
		throw new KeyFormatError(`The private key could not be read. ${PRIVATE_KEY_HELP}`);
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw new KeyFormatError(`The private key is not an RSA key. ${PRIVATE_KEY_HELP}`);
	}
	return remember(privateKeyCache, text, key);
}

const PUBLIC_KEY_HELP =
	'Copy it from the Revenue Monster portal (Developer → Applications → Server Public Key): the PEM text, ' +
	'or only its base64 body as the portal shows it.';

/** Parses RM's server public key (SPKI or PKCS#1, PEM or bare base64); errors never contain the key. */
export function parsePublicKey(text: string | undefined): KeyObject {
	if (!text || text.trim() === '') {
		throw new KeyFormatError(`The server public key is empty. ${PUBLIC_KEY_HELP}`);
	}
	const cached = publicKeyCache.get(text);
	if (cached) return cached;

	const material = readKeyMaterial(text);
	if (material?.label && /PRIVATE KEY/.test(material.label)) {
		throw new KeyFormatError(`The server public key field holds a private key. ${PUBLIC_KEY_HELP}`);
	}
	const key =
		material &&
		firstParsed([
			() => createPublicKey({ key: material.der, format: 'der', type: 'spki' }),
			() => createPublicKey({ key: material.der, format: 'der', type: 'pkcs1' }),
		]);
	if (!key || key.asymmetricKeyType !== 'rsa') {
		throw new KeyFormatError(`The server public key could not be read. ${PUBLIC_KEY_HELP}`);
	}
	return remember(publicKeyCache, text, key);
}
