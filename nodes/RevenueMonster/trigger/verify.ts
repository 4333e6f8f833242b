/**
 * Is this notification from Revenue Monster, and recent? Checks the X-Signature made with RM's server
 * key over the exact bytes received (callback form of the sign string: no requestUrl), and the
 * X-Timestamp window. Pure and synchronous, so the benchmark can time it on its own.
 */
import type { KeyObject } from 'crypto';

import { verifyNotificationSignatureForm } from '../transport/signature';

export type HeaderBag = Record<string, string | string[] | undefined>;

/** A header by name, whatever its case; the first value when repeated. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() === wanted) return firstText(headers[key]);
	}
	return undefined;
}

function firstText(value: string | string[] | undefined): string | undefined {
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first.trim() : undefined;
}

/** The three signature headers in one pass over the headers, each as headerValue reads it. */
function signatureHeaders(headers: HeaderBag): { signature?: string; nonce?: string; timestamp?: string } {
	const found: { signature?: string; nonce?: string; timestamp?: string } = {};
	let seen = 0;
	for (const key of Object.keys(headers)) {
		// Every name wanted is 11 characters long: skip the others without lower-casing them.
		if (key.length !== 11) continue;
		const lower = key.toLowerCase();
		if (lower === 'x-signature' && !('signature' in found)) {
			found.signature = firstText(headers[key]);
			seen++;
		} else if (lower === 'x-nonce-str' && !('nonce' in found)) {
			found.nonce = firstText(headers[key]);
			seen++;
		} else if (lower === 'x-timestamp' && !('timestamp' in found)) {
			found.timestamp = firstText(headers[key]);
			seen++;
		}
		if (seen === 3) break;
	}
	return found;
}

export interface ReceivedNotification {
	/** HTTP method it arrived with */
	method: string;
	/** the body exactly as received; empty when there was none */
	rawBody: string | Buffer;
	headers: HeaderBag;
}

export type VerificationFailure =
	/** no X-Signature, X-Nonce-Str or X-Timestamp */
	| 'unsigned'
	/** X-Nonce-Str has characters RM never sends ('&', '=', spaces…), which could shift fields of the sign string */
	| 'badNonce'
	/** X-Timestamp is not Unix time */
	| 'badTimestamp'
	/** X-Timestamp is outside the allowed window */
	| 'stale'
	/** the signature does not match RM's server public key and these bytes */
	| 'badSignature';

export type VerificationResult =
	| {
			valid: true;
			nonce: string;
			signedAtSeconds: number;
			/**
			 * The signature covers the body's data. False for RM's sign string without a data part
			 * (an empty, `{}` or `null` body): it proves who sent a request and when, never what it says.
			 */
			coversBody: boolean;
	  }
	| { valid: false; reason: VerificationFailure };

export const VERIFICATION_FAILURE_TEXT: Record<VerificationFailure, string> = {
	unsigned: 'it has no X-Signature, X-Nonce-Str or X-Timestamp header',
	badNonce: 'its X-Nonce-Str is not a plain random string',
	badTimestamp: 'its X-Timestamp is not a Unix time',
	stale: 'its X-Timestamp is outside the allowed time window (replayed, or a clock is wrong)',
	badSignature: "its signature does not match the credential's Server Public Key and the body received",
};

/** RM's nonces are random alphanumerics; a few URL-safe extras are tolerated, never '&', '=' or spaces. */
const NONCE_FORM = /^[A-Za-z0-9._~-]{1,128}$/;

/** The X-Nonce-Str header when it has RM's form, signed or not (replays are refused by nonce either way). */
export function plainNonce(headers: HeaderBag): string | undefined {
	const nonce = headerValue(headers, 'x-nonce-str');
	return nonce !== undefined && NONCE_FORM.test(nonce) ? nonce : undefined;
}

/** Unix seconds; a 13-digit value is read as milliseconds (only for the window; the signature covers the text as sent). */
function timestampSeconds(text: string): number | undefined {
	if (!/^\d{9,13}$/.test(text)) return undefined;
	const value = Number(text);
	return text.length === 13 ? Math.floor(value / 1000) : value;
}

export function verifyNotification(
	publicKey: KeyObject,
	notification: ReceivedNotification,
	options: { toleranceSeconds: number; nowMs?: number },
): VerificationResult {
	const { signature: signatureHeader, nonce, timestamp } = signatureHeaders(notification.headers);
	if (!signatureHeader || !nonce || !timestamp) return { valid: false, reason: 'unsigned' };

	// Cheap checks first: a flood of old or junk requests never costs an RSA verification.
	if (!NONCE_FORM.test(nonce)) return { valid: false, reason: 'badNonce' };
	const signedAtSeconds = timestampSeconds(timestamp);
	if (signedAtSeconds === undefined) return { valid: false, reason: 'badTimestamp' };
	const nowSeconds = (options.nowMs ?? Date.now()) / 1000;
	if (Math.abs(nowSeconds - signedAtSeconds) > options.toleranceSeconds) return { valid: false, reason: 'stale' };

	// RM documents the callback sign string with method=post, and the recurring callback as GET:
	// a GET is checked with the method it came with, then with "post".
	const method = notification.method.toLowerCase();
	for (const signedMethod of method === 'post' ? ['post'] : [method, 'post']) {
		const form = verifyNotificationSignatureForm(publicKey, {
			rawBody: notification.rawBody,
			method: signedMethod,
			signatureHeader,
			nonceStr: nonce,
			timestamp,
		});
		if (form) return { valid: true, nonce, signedAtSeconds, coversBody: form !== 'noData' };
	}
	return { valid: false, reason: 'badSignature' };
}
