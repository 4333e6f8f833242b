/* eslint-disable */
/**
 * CONTROL ONLY: the transport as it was before issue 9 (git 899ee77, nodes/RevenueMonster/transport/request.ts),
 * kept verbatim but for its import paths, so the attack suite can show its attacks succeed against it.
 * Never imported by the package.
 */
/**
 * The node's one way to call the Open API: through n8n's httpRequestWithAuthentication, so the
 * credential's preAuthentication (token) and authenticate (signature) run and the user's proxy
 * settings apply. Retries only what cannot double-charge: 429s, and reads.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { revenueMonsterApiError, revenueMonsterErrorOf, type RevenueMonsterError } from '../../../nodes/RevenueMonster/transport/errors';
import { throttleFor } from '../../../nodes/RevenueMonster/transport/throttle';

export const CREDENTIAL_TYPE = 'revenueMonsterApi';

export type RevenueMonsterContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
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
	/** extra tries after a 429 (any method: RM rejected the call before doing anything) */
	rateLimitRetries: 4,
	/** extra tries of a GET after a network error, a timeout or a 5xx */
	readRetries: 2,
	/** first wait; doubles each time */
	baseDelayMs: 500,
	maxDelayMs: 8_000,
};

const TOKEN_ERRORS = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID']);
const NO_ANSWER_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ERR_CANCELED', 'ESOCKETTIMEDOUT']);

interface FailedCall {
	status?: number;
	rmError?: RevenueMonsterError;
	/** the request may have reached RM but no answer came back */
	noAnswer: boolean;
	retryAfterMs?: number;
	cause: unknown;
}

function describeFailure(error: unknown): FailedCall {
	const wrapped = error as {
		httpCode?: string | null;
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
	return {
		status: Number.isFinite(status) ? status : undefined,
		rmError: revenueMonsterErrorOf(body, (text) => text),
		noAnswer:
			!response &&
			(axiosError?.isAxiosError === true ||
				NO_ANSWER_CODES.has(axiosError?.code ?? '') ||
				NO_ANSWER_CODES.has(wrapped.code ?? '')),
		retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
		cause: error,
	};
}

function backoff(attempt: number, retryAfterMs?: number): number {
	const exponential = retryPolicy.baseDelayMs * 2 ** attempt;
	return Math.min(retryAfterMs ?? exponential, retryPolicy.maxDelayMs);
}

function outcomeUnknownError(
	context: RevenueMonsterContext,
	request: RevenueMonsterRequest,
	failure: FailedCall,
): NodeApiError {
	const what = failure.noAnswer
		? 'no answer came back (timeout or dropped connection)'
		: `Revenue Monster answered HTTP ${failure.status}`;
	const message = `Outcome unknown: ${request.method} ${request.path} was sent but ${what}. It was not retried, so nothing was charged twice.`;
	// A fresh error body on purpose: wrapping the network error would let n8n replace this message
	// with its generic one for the error code (which, for timeouts, suggests "Retry on Fail").
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

/** Calls RM and returns its JSON body; throws NodeApiError for any error body, also inside HTTP 200. */
export async function revenueMonsterRequest(
	this: RevenueMonsterContext,
	request: RevenueMonsterRequest,
): Promise<IDataObject> {
	const isRead = request.method === 'GET';
	let rateLimitTries = 0;
	let readTries = 0;
	let tokenRetryStatus: number | undefined;

	const throttle = throttleFor(this);
	for (;;) {
		let failure: FailedCall;
		await throttle?.wait();
		try {
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
				tokenRetryStatus ? { preAuthenticationRetryStatusCode: [401, tokenRetryStatus] } : undefined,
			)) as IDataObject;
			const rmError = revenueMonsterErrorOf(body, (text) => text);
			if (!rmError) return body ?? {};
			failure = { status: 200, rmError, noAnswer: false, cause: body };
		} catch (error) {
			failure = describeFailure(error);
		}

		const { rmError, status } = failure;
		const rateLimited = status === 429 || rmError?.code === 'TOO_MANY_REQUEST_PER_SECOND';
		if (rateLimited && rateLimitTries < retryPolicy.rateLimitRetries) {
			await sleep(backoff(rateLimitTries++, failure.retryAfterMs));
			continue;
		}
		// n8n refreshes the token on 401 by itself; a token error under another status gets one more
		// try with that status marked as "token expired", so n8n refreshes once and re-signs.
		if (
			rmError &&
			TOKEN_ERRORS.has(rmError.code) &&
			status !== undefined &&
			status !== 401 &&
			status >= 400 &&
			tokenRetryStatus === undefined
		) {
			tokenRetryStatus = status;
			continue;
		}
		// A 5xx or no answer: a read is tried again; a write may have happened, so it never is.
		const transient = failure.noAnswer || (status !== undefined && status >= 500);
		if (transient && isRead && readTries < retryPolicy.readRetries) {
			await sleep(backoff(readTries++));
			continue;
		}
		if (transient && !isRead) throw outcomeUnknownError(this, request, failure);
		if (rmError) {
			throw revenueMonsterApiError(this.getNode(), rmError, {
				httpCode: status ? String(status) : undefined,
				itemIndex: request.itemIndex,
			});
		}
		// Nothing was sent: the token could not be fetched or the request could not be signed.
		if (status === undefined && !failure.noAnswer) {
			const inner = (failure.cause as { cause?: Error })?.cause ?? (failure.cause as Error);
			throw new NodeOperationError(this.getNode(), inner?.message ?? 'Revenue Monster request failed', {
				itemIndex: request.itemIndex,
			});
		}
		if (failure.cause instanceof NodeApiError) {
			if (request.itemIndex !== undefined) failure.cause.context.itemIndex = request.itemIndex;
			throw failure.cause;
		}
		throw new NodeApiError(this.getNode(), (failure.cause ?? {}) as never, { itemIndex: request.itemIndex });
	}
}
