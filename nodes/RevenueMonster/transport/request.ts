/**
 * The node's one way to call the Open API: through n8n's httpRequestWithAuthentication, so the
 * credential's preAuthentication (token) and authenticate (signature) run and the user's proxy
 * settings apply.
 *
 * Every send is decided here, never inside n8n: n8n-core's own "refresh the token and resend" is
 * switched off (an empty preAuthenticationRetryStatusCode), because after it the node could not
 * tell how often a charge had gone out (should an n8n version resend by itself anyway, the node sees
 * the new token n8n put into the credential and counts that as the one resend). The rules, for every
 * request:
 * - a token error (HTTP 401, or TOKEN_EXPIRED / TOKEN_INVALID under any status) is RM refusing
 *   before acting: one new token, one resend, at most once per request;
 * - after that resend, a POST is never sent again: any further failure is "Outcome unknown"
 *   (only an RM error code that gives a reason, e.g. INSUFFICIENT_REFUND_AMOUNT, is reported as is);
 * - a 429 / TOO_MANY_REQUEST_PER_SECOND is RM refusing before acting (its rate limiter runs before
 *   the payment does): waited out and resent, any method, until the token resend above;
 * - a 5xx or no answer: a GET is tried again; a POST/PUT/DELETE never is ("Outcome unknown").
 * Every error thrown is built here from scratch: no axios error, request options or headers
 * (which hold the access token) are attached to it, not even as a non-enumerable `cause`.
 */
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	connectionProblem,
	revenueMonsterApiError,
	revenueMonsterErrorOf,
	secretRedactor,
	type Redact,
	type RevenueMonsterError,
} from './errors';
import { throttleFor } from './throttle';

export const CREDENTIAL_TYPE = 'revenueMonsterApi';

export type RevenueMonsterContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IPollFunctions
	| IWebhookFunctions;

export interface RevenueMonsterRequest {
	method: IHttpRequestMethods;
	/** path from the API origin, ids already encoded with apiPath() */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** the item this call is made for, named in errors */
	itemIndex?: number;
	/** milliseconds; default 60 s */
	timeout?: number;
}


/** Tunable so the tests do not wait for real backoff; production values are the defaults. */
export const retryPolicy = {
	/**
	 * Extra tries after a 429 (any method). The one place a POST is resent on RM's word: RM's rate
	 * limiter answers before the payment runs, so a 429 means nothing was done.
	 */
	rateLimitRetries: 4,
	/** extra tries of a GET after a network error, a timeout or a 5xx */
	readRetries: 2,
	/** first wait; doubles each time */
	baseDelayMs: 500,
	maxDelayMs: 8_000,
};

/**
 * n8n-core resends after a refresh on these statuses (default 401). None: the node makes the one
 * refresh and resend itself, so no status stays marked "token expired" for a later answer.
 */
const NO_AUTOMATIC_RESEND: IAdditionalCredentialOptions = { preAuthenticationRetryStatusCode: [] };

const TOKEN_ERRORS = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID']);
const NO_ANSWER_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ERR_CANCELED', 'ESOCKETTIMEDOUT']);
/** The connection was never made: the request did not leave this machine. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

interface FailedCall {
	status?: number;
	rmError?: RevenueMonsterError;
	/** the request may have reached RM but no answer came back */
	noAnswer: boolean;
	/** the connection could not be made (refused, unknown host): nothing reached RM */
	notConnected: boolean;
	/** the network error code, e.g. ECONNREFUSED */
	networkCode?: string;
	retryAfterMs?: number;
	/** the failure happened before sending (token or signing): its message, already free of secrets */
	beforeSending?: string;
}

/** Reads what is needed from n8n's error and lets go of it: the error itself is never rethrown. */
function describeFailure(error: unknown, redact: Redact): FailedCall {
	const wrapped = error as {
		httpCode?: string | null;
		message?: string;
		context?: IDataObject;
		cause?: {
			code?: string;
			isAxiosError?: boolean;
			message?: string;
			response?: { status?: number; data?: unknown; headers?: IDataObject };
		};
		code?: string;
	};
	const axiosError = wrapped.cause ?? (wrapped as unknown as typeof wrapped.cause);
	const response = axiosError?.response;
	const status = response?.status ?? (wrapped.httpCode ? Number(wrapped.httpCode) : undefined);
	const body = response?.data ?? wrapped.context?.data;
	const retryAfter = Number(response?.headers?.['retry-after']);
	const networkCode = axiosError?.code ?? wrapped.code;
	const isNetworkError =
		!response &&
		(axiosError?.isAxiosError === true || NO_ANSWER_CODES.has(networkCode ?? '') || NOT_SENT_CODES.has(networkCode ?? ''));
	const notConnected = isNetworkError && NOT_SENT_CODES.has(networkCode ?? '');
	const failure: FailedCall = {
		status: Number.isFinite(status) ? status : undefined,
		rmError: revenueMonsterErrorOf(body, redact),
		noAnswer: isNetworkError && !notConnected,
		notConnected,
		networkCode: isNetworkError ? networkCode : undefined,
		retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
	};
	if (failure.status === undefined && !isNetworkError) {
		// The token could not be fetched or the request could not be signed; those messages are ours.
		// (the token service's answer may echo a secret: its code is part of the message)
		failure.beforeSending = redact(axiosError?.message ?? wrapped.message ?? 'Revenue Monster request failed');
	}
	return failure;
}

function backoff(attempt: number, retryAfterMs?: number): number {
	const exponential = retryPolicy.baseDelayMs * 2 ** attempt;
	return Math.min(retryAfterMs ?? exponential, retryPolicy.maxDelayMs);
}

function answerInWords(failure: FailedCall): string {
	if (failure.noAnswer) return 'no answer came back (timeout or dropped connection)';
	const code = failure.rmError ? ` ${failure.rmError.code}` : '';
	return `Revenue Monster answered HTTP ${failure.status}${code}`;
}

function outcomeUnknownError(
	context: RevenueMonsterContext,
	request: RevenueMonsterRequest,
	failure: FailedCall,
	resentAfterNewToken: boolean,
): NodeApiError {
	const message = resentAfterNewToken
		? `Outcome unknown: ${request.method} ${request.path} was sent a second time, with a new access token, and ${answerInWords(failure)}. It was not sent again.`
		: `Outcome unknown: ${request.method} ${request.path} was sent but ${answerInWords(failure)}. It was not retried, so nothing was charged twice.`;
	// A fresh error body on purpose: wrapping the network error would let n8n replace this message
	// with its generic one for the error code (which, for timeouts, suggests "Retry on Fail"), and
	// would carry the request (and its access token) along as the error's cause.
	return new NodeApiError(context.getNode(), { message } as JsonObject, {
		message,
		description:
			'The payment, refund or reversal may or may not have happened. Before trying again, look it up: ' +
			'Transaction → Get by Order ID (or Customer → Get Orders for a card charge). Only retry if it is not there. ' +
			'Do not turn on "Retry On Fail" for this node: it would send the request again.',
		itemIndex: request.itemIndex,
		httpCode: failure.status ? String(failure.status) : undefined,
	});
}

/** RM (or something in between) answered an HTTP error without RM's error body, e.g. an HTML 404. */
function unexpectedAnswerError(
	context: RevenueMonsterContext,
	request: RevenueMonsterRequest,
	failure: FailedCall,
): NodeApiError {
	const message = `Revenue Monster answered HTTP ${failure.status} without an error code (${request.method} ${request.path})`;
	return new NodeApiError(context.getNode(), { message } as JsonObject, {
		message,
		description:
			'The answer did not come from the Open API: check the credential’s environment (and, for Custom, the API Base URL), and any proxy between n8n and Revenue Monster.',
		itemIndex: request.itemIndex,
		httpCode: failure.status ? String(failure.status) : undefined,
	});
}

/** No connection, or no answer to a read even after its retries. */
function unreachableError(
	context: RevenueMonsterContext,
	request: RevenueMonsterRequest,
	failure: FailedCall,
): NodeApiError {
	const message = `Could not reach Revenue Monster: ${connectionProblem(failure.networkCode)} (${request.method} ${request.path})`;
	return new NodeApiError(context.getNode(), { message } as JsonObject, {
		message,
		description: failure.notConnected
			? 'Nothing was sent. Check the credential’s environment (and, for Custom, the API Base URL) and this machine’s network.'
			: 'Revenue Monster did not answer in time. This request only reads, so it is safe to run again.',
		itemIndex: request.itemIndex,
	});
}

interface CallCredentials {
	options: IAdditionalCredentialOptions;
	/** n8n replaced the token after a failed send and sent again by itself (see below) */
	resentByN8n: () => boolean;
	/** takes this credential's secrets (and every token this call used) out of a text RM returned */
	redact: Redact;
}

/**
 * The credential handed to n8n for one call, with or without its cached token (without: n8n fetches
 * a new one before sending). It notes every new token n8n puts into it: a new token beyond the one
 * fetched before sending means n8n refreshed after a failure and resent on its own — what n8n
 * versions that ignore an empty preAuthenticationRetryStatusCode, or always refresh on a 401, do.
 * That resend then counts as this request's one token resend.
 */
/** The credential's data, and which stored credential it is (for `credentialsDecrypted`). */
interface ReadCredential {
	data: ICredentialDataDecryptedObject;
	id: string;
	name: string;
}

/**
 * The credential, read once per node execution (docs/PERFORMANCE.md: without it n8n reads and decrypts
 * it from its database for every request). A token n8n fetches during the execution is written back
 * into it (below), so the requests that follow sign with the new token. Its id and name are read
 * with it: n8n's getNode() deep-copies the whole node (all its parameters) on every call.
 */
const credentialOfExecution = new WeakMap<object, Promise<ReadCredential>>();

async function readCredential(context: RevenueMonsterContext): Promise<ReadCredential> {
	const data = await context.getCredentials(CREDENTIAL_TYPE);
	const details = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return { data, id: details?.id ?? '', name: details?.name ?? '' };
}

async function credentialOf(context: RevenueMonsterContext): Promise<ReadCredential> {
	// Only a node execution runs many requests; editor look-ups, polls and webhooks read it each time.
	if (typeof (context as IExecuteFunctions).getInputData !== 'function') return await readCredential(context);
	let read = credentialOfExecution.get(context);
	if (!read) {
		read = readCredential(context);
		credentialOfExecution.set(context, read);
		// A credential that could not be read is read again next time, and fails with n8n's own message.
		read.catch(() => credentialOfExecution.delete(context));
	}
	return await read;
}

async function callCredentials(context: RevenueMonsterContext, withoutToken: boolean): Promise<CallCredentials> {
	const { data: credentials, id, name } = await credentialOf(context);
	let token = withoutToken ? '' : String(credentials.accessToken ?? '');
	const fetchedBeforeSending = token === '' ? 1 : 0;
	let newTokens = 0;
	const tokensUsed = new Set([String(credentials.accessToken ?? '')]);
	const data = { ...credentials };
	Object.defineProperty(data, 'accessToken', {
		enumerable: true,
		configurable: true,
		get: () => token,
		set: (value: unknown) => {
			const next = String(value ?? '');
			if (next === token) return;
			token = next;
			tokensUsed.add(next);
			credentials.accessToken = next;
			newTokens++;
		},
	});
	return {
		options: {
			...NO_AUTOMATIC_RESEND,
			credentialsDecrypted: { id, name, type: CREDENTIAL_TYPE, data },
		},
		resentByN8n: () => newTokens > fetchedBeforeSending,
		redact: (text) => secretRedactor(credentials, tokensUsed)(text),
	};
}

/** Calls RM and returns its JSON body; throws NodeApiError for any error body, also inside HTTP 200. */
export async function revenueMonsterRequest(
	this: RevenueMonsterContext,
	request: RevenueMonsterRequest,
): Promise<IDataObject> {
	const isRead = request.method === 'GET';
	let rateLimitTries = 0;
	let readTries = 0;
	/** the one token refresh and resend this request may have was made */
	let resentAfterNewToken = false;
	let fetchNewToken = false;

	const throttle = throttleFor(this);
	for (;;) {
		let failure: FailedCall;
		let call: CallCredentials | undefined;
		if (throttle) await throttle.wait();
		try {
			call = await callCredentials(this, fetchNewToken);
			fetchNewToken = false;
			const body = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				{
					method: request.method,
					url: request.path,
					body: request.body,
					qs: request.qs,
					json: true,
					timeout: request.timeout ?? 60_000,
				},
				call.options,
			)) as IDataObject;
			const rmError = revenueMonsterErrorOf(body, call.redact);
			if (!rmError) return body ?? {};
			failure = { status: 200, rmError, noAnswer: false, notConnected: false };
		} catch (error) {
			// Before the credential was read (n8n's own message) there is nothing of it to echo.
			failure = describeFailure(error, call?.redact ?? ((text) => text));
		}

		const { rmError, status } = failure;
		// n8n made a token refresh and resend on its own: that was this request's one resend.
		if (call?.resentByN8n()) resentAfterNewToken = true;
		// Nothing was sent: the token could not be fetched or the request could not be signed.
		if (failure.beforeSending !== undefined) {
			throw new NodeOperationError(this.getNode(), failure.beforeSending, { itemIndex: request.itemIndex });
		}
		if (failure.notConnected) throw unreachableError(this, request, failure);

		// After the resend with a new token, a write goes out no more: whatever came back, it may
		// have been done. Only an RM code giving a reason for a refusal is reported as that refusal.
		const tokenError = status === 401 || (rmError !== undefined && TOKEN_ERRORS.has(rmError.code));
		const rateLimited = status === 429 || rmError?.code === 'TOO_MANY_REQUEST_PER_SECOND';
		const transient = failure.noAnswer || (status !== undefined && status >= 500);
		if (!isRead && resentAfterNewToken && (tokenError || rateLimited || transient || !rmError)) {
			throw outcomeUnknownError(this, request, failure, true);
		}

		if (rateLimited && rateLimitTries < retryPolicy.rateLimitRetries) {
			await sleep(backoff(rateLimitTries++, failure.retryAfterMs));
			continue;
		}
		// RM refused the token before acting: one new token and one resend, once per request.
		if (tokenError && !resentAfterNewToken) {
			resentAfterNewToken = true;
			fetchNewToken = true;
			continue;
		}
		// A 5xx or no answer: a read is tried again; a write may have happened, so it never is.
		if (transient && isRead && readTries < retryPolicy.readRetries) {
			await sleep(backoff(readTries++));
			continue;
		}
		if (transient && !isRead) throw outcomeUnknownError(this, request, failure, false);
		if (rmError) {
			throw revenueMonsterApiError(this.getNode(), rmError, {
				httpCode: status ? String(status) : undefined,
				itemIndex: request.itemIndex,
			});
		}
		if (failure.noAnswer) throw unreachableError(this, request, failure);
		throw unexpectedAnswerError(this, request, failure);
	}
}
