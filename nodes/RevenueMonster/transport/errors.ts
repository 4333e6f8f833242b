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

/** Any body with `error` is a failure, whatever the HTTP status (RM sends some inside a 200). */
export function revenueMonsterErrorOf(body: unknown): RevenueMonsterError | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const error = (body as IDataObject).error;
	if (!error || typeof error !== 'object') return undefined;
	const { code, message, debug } = error as IDataObject;
	return {
		code: typeof code === 'string' && code ? code : 'UNKNOWN_ERROR',
		message: typeof message === 'string' && message ? message : 'Revenue Monster returned an error',
		...(debug !== undefined ? { debug } : {}),
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
