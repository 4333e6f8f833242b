/** Turning Revenue Monster's error bodies into errors a merchant can act on (revenue-monster-api.md §5). */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { MINIMUM_AMOUNT } from '../actions/validation';

export interface RevenueMonsterError {
	code: string;
	message: string;
	/** sandbox only: RM's own canonical JSON, base64 and sign string for INVALID_REQUEST_SIGNATURE */
	debug?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Secrets echoed back

/**
 * Takes the credential's secrets out of a text RM (or a proxy in between) returned, before it reaches
 * an error, an item or n8n's log: RM's sandbox debug, an error message, an OAuth error code may echo
 * the request. Removed: the access tokens, the client secret, the Basic authorization value, any
 * `Bearer …`/`Basic …` value, and every run of 16 or more characters of the private key's base64.
 */
export type Redact = (text: string) => string;

const REDACTED = '[redacted]';
/** Shorter runs of the key's base64 are kept (16 base64 characters: 96 bits, never matched by chance). */
const KEY_RUN = 16;
/** Values shorter than this are not searched for (an empty or trivial secret would blank the text). */
const MIN_SECRET = 8;
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/:=-]{8,}/gi;

/** For tests only: the controls turn redaction off to show the secrets tests can fail. */
export const redaction = { on: true };

/** Every 16-character run of a key's base64 body, by key text (a few keys per process). */
const keyRunsByKey = new Map<string, Set<string>>();

function keyRunsOf(keyText: string): Set<string> {
	const known = keyRunsByKey.get(keyText);
	if (known) return known;
	const body = keyText
		.replace(/\\n/g, '\n')
		.replace(/-----[A-Z ]+-----/g, '')
		.replace(/[^A-Za-z0-9+/=]/g, '');
	const runs = new Set<string>();
	for (let start = 0; start + KEY_RUN <= body.length; start++) runs.add(body.slice(start, start + KEY_RUN));
	if (keyRunsByKey.size >= 16) keyRunsByKey.delete(keyRunsByKey.keys().next().value as string);
	keyRunsByKey.set(keyText, runs);
	return runs;
}

/** Replaces every stretch of the text made of the key's 16-character runs. */
function withoutKeyRuns(text: string, runs: Set<string>): string {
	if (runs.size === 0) return text;
	return text.replace(/[A-Za-z0-9+/=]{16,}/g, (candidate) => {
		const covered = new Uint8Array(candidate.length);
		let found = false;
		for (let start = 0; start + KEY_RUN <= candidate.length; start++) {
			if (!runs.has(candidate.slice(start, start + KEY_RUN))) continue;
			covered.fill(1, start, start + KEY_RUN);
			found = true;
		}
		if (!found) return candidate;
		let result = '';
		for (let index = 0; index < candidate.length; index++) {
			if (!covered[index]) result += candidate[index];
			else if (index === 0 || !covered[index - 1]) result += REDACTED;
		}
		return result;
	});
}

/**
 * The redaction for one request's credential.
 * @param tokens every access token the request used (the stored `owner:token` form too)
 */
export function secretRedactor(credentials: IDataObject, tokens: Iterable<string>): Redact {
	const values = new Set<string>();
	const add = (value: unknown) => {
		if (typeof value !== 'string' || value.trim().length < MIN_SECRET) return;
		values.add(value);
		values.add(value.trim());
		values.add(encodeURIComponent(value));
		values.add(JSON.stringify(value).slice(1, -1));
	};
	const clientSecret = String(credentials.clientSecret ?? '');
	add(clientSecret);
	add(clientSecret.trim());
	if (clientSecret.trim()) {
		add(Buffer.from(`${String(credentials.clientId ?? '').trim()}:${clientSecret.trim()}`).toString('base64'));
	}
	for (const token of [...tokens, String(credentials.accessToken ?? '')]) {
		add(token);
		// the cached form is `<owner>:<token>` (authenticate.ts); RM sees the token alone
		if (token.includes(':')) add(token.slice(token.indexOf(':') + 1));
	}
	const ordered = [...values].filter((value) => value.length >= MIN_SECRET).sort((a, b) => b.length - a.length);
	const runs = typeof credentials.privateKey === 'string' ? keyRunsOf(credentials.privateKey) : new Set<string>();
	return (text: string) => {
		if (!redaction.on || typeof text !== 'string') return text;
		let result = text;
		for (const value of ordered) if (result.includes(value)) result = result.split(value).join(REDACTED);
		result = result.replace(AUTHORIZATION_VALUE, `$1$2${REDACTED}`);
		return withoutKeyRuns(result, runs);
	};
}

/** A JSON value with every string (keys too) redacted; depth-limited, as RM's bodies are shallow. */
function redactedValue(value: unknown, redact: Redact, depth = 0): unknown {
	if (typeof value === 'string') return redact(value);
	if (!value || typeof value !== 'object' || depth > 32) return typeof value === 'object' && value ? REDACTED : value;
	if (Array.isArray(value)) return value.map((entry) => redactedValue(entry, redact, depth + 1));
	return Object.fromEntries(
		Object.entries(value as IDataObject).map(([key, entry]) => [redact(key), redactedValue(entry, redact, depth + 1)]),
	);
}

/**
 * Any body with `error` is a failure, whatever the HTTP status (RM sends some inside a 200). Its
 * code, message and debug are redacted here, so nothing built from them can carry a secret.
 */
export function revenueMonsterErrorOf(body: unknown, redact: Redact): RevenueMonsterError | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const error = (body as IDataObject).error;
	if (!error || typeof error !== 'object') return undefined;
	const { code, message, debug } = error as IDataObject;
	return {
		code: typeof code === 'string' && code ? redact(code) : 'UNKNOWN_ERROR',
		message: typeof message === 'string' && message ? redact(message) : 'Revenue Monster returned an error',
		...(debug !== undefined ? { debug: redactedValue(debug, redact) } : {}),
	};
}

/** What the merchant can do about the codes worth handling by name. */
const HINTS: Record<string, string> = {
	INVALID_REQUEST_SIGNATURE:
		'The private key in the credential does not match the public key uploaded in the Revenue Monster portal, or the environment is wrong.',
	INVALID_TIMESTAMP: "This machine's clock differs from Revenue Monster's by more than 2 minutes.",
	TOKEN_EXPIRED: 'The access token expired and a new one was refused: test the credential.',
	TOKEN_INVALID: 'The access token was refused: test the credential, and check its environment.',
	UNAUTHORIZED: 'The credential is not allowed to do this: check its environment and the application’s permissions.',
	TOO_MANY_REQUEST_PER_SECOND: 'Revenue Monster is rate limiting: lower the request rate and try again later.',
	STORE_NOT_FOUND: 'No store with this ID belongs to the merchant of this credential.',
	ORDER_ID_DUPLICATE:
		"This order ID was used before, perhaps by an earlier run of this step: every checkout needs a new one. Use an expression that is new on every run and item, such as {{ 'ORD' + $now.toFormat('yyMMddHHmmssSSS') + '-' + $itemIndex }} (the Order ID field's default; at most 24 characters).",
	TRANSACTION_DUPLICATE: 'This transaction was already submitted.',
	TRANSACTION_NOT_FOUND: 'No transaction matches: check the ID and the environment.',
	MINIMUM_AMOUNT_REQUIRED: `The amount is below Revenue Monster’s minimum (${MINIMUM_AMOUNT.cents} cents = ${MINIMUM_AMOUNT.ringgit}).`,
	NOT_ALLOW_REFUND: 'Revenue Monster does not allow refunding this transaction.',
	INSUFFICIENT_REFUND_AMOUNT: 'The refund is larger than what is left of the transaction (its balanceAmount).',
	PAYMENT_FULLY_REFUNDED: 'This transaction is already fully refunded.',
	EXCEED_TIME_FOR_REVERSE_TRANSACTION: 'Too late to reverse: refund the transaction instead.',
};

/**
 * A NodeApiError with RM's code, message, hint and (sandbox) debug, for "Continue on fail" to route.
 * Built from RM's body alone: no HTTP error (whose request holds the access token) rides along.
 */
export function revenueMonsterApiError(
	node: INode,
	error: RevenueMonsterError,
	options: { httpCode?: string; itemIndex?: number } = {},
): NodeApiError {
	const hint = HINTS[error.code];
	const debug =
		error.debug === undefined
			? undefined
			: typeof error.debug === 'string'
				? error.debug
				: JSON.stringify(error.debug, null, 2);
	const description = [hint, debug ? `Revenue Monster debug (sandbox):\n${debug}` : undefined]
		.filter(Boolean)
		.join('\n\n');
	const apiError = new NodeApiError(
		node,
		{ error: { code: error.code, message: error.message } } as JsonObject,
		{
			message: `Revenue Monster: ${error.message} [${error.code}]`,
			description: description || undefined,
			httpCode: options.httpCode,
			itemIndex: options.itemIndex,
		},
	);
	apiError.context.revenueMonsterCode = error.code;
	if (error.debug !== undefined) apiError.context.revenueMonsterDebug = error.debug as IDataObject;
	return apiError;
}

/**
 * A connection failure in words. Raw codes such as ECONNREFUSED are left out on purpose: n8n swaps
 * any message containing one for its own generic text, which would lose what we name.
 */
export function connectionProblem(code: string | undefined): string {
	const words: Record<string, string> = {
		ECONNREFUSED: 'the connection was refused',
		ENOTFOUND: 'the host name was not found',
		EAI_AGAIN: 'the host name could not be resolved',
		ETIMEDOUT: 'the connection timed out',
		ECONNABORTED: 'the request timed out',
		ECONNRESET: 'the connection was closed',
	};
	return words[code ?? ''] ?? 'the connection failed';
}
