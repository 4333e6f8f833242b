/**
 * One notification in, at most one workflow run out. Cheapest refusal first: size (413), signature
 * and time window (401), shape (400), event filter (200, no run), replay and duplicate checks (200 or
 * 409, no run), confirmation with RM's API (409/503, no run), then one run. Never throws: an error
 * thrown here would make n8n answer 500 and record a failed execution, so every outcome is an explicit
 * answer with a generic body (no keys, tokens or internals), and the reason goes to n8n's log.
 *
 * Answers, and why RM gets them (it resends until it gets a 200):
 * - 200, empty body: accepted (one run started), or nothing to do (event not selected, already accepted).
 * - 413 `{"error":"notification too large"}`: over 64 KB; RM's notifications are a few KB.
 * - 401 `{"error":"invalid signature"}`: not provably from RM, or outside the time window.
 * - 401 `{"error":"unverified notification"}`: a GET whose data is in the query string (no signature
 *   can cover it) while Confirm With API is off, so nothing could vouch for it.
 * - 400 `{"error":"invalid notification"}`: not a `{eventType, data}` notification with a payment id.
 * - 409 `{"error":"payment not confirmed"}`: RM's API does not show this payment as paid, or not as
 *   the notification describes it. Not a 200, so RM tries again: a payment still settling is accepted
 *   on a later try; a forged one never is.
 * - 409 `{"error":"notification is already being processed"}`: a copy arriving while the same payment
 *   (or the same signed request) is being handled; if that one fails, RM's resend gets its own chance.
 * - 503 `{"error":"payment could not be confirmed"}`: RM's API could not be asked; RM tries again later.
 * - 500 `{"error":"notification receiver is not configured"}`: the credential's server public key is
 *   missing or unreadable (activation checks this, but the credential can change afterwards).
 * - 500 `{"error":"notification could not be handled"}`: anything unexpected (logged).
 */
import type { KeyObject } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/request';
import { parsePublicKey } from '../transport/keys';
import { confirmPayment } from './confirm';
import { NotificationMemory } from './duplicates';
import {
	inFlightKeyOf,
	MAX_NOTIFICATION_BYTES,
	notificationFromBody,
	notificationFromQuery,
	paymentIdOf,
	paymentKey,
	RECURRING_PAYMENT,
	type PaymentNotification,
} from './notification';
import { triggerOptions } from './options';
import {
	plainNonce,
	VERIFICATION_FAILURE_TEXT,
	verifyNotification,
	type HeaderBag,
	type VerificationResult,
} from './verify';

const LOG_PREFIX = 'Revenue Monster Trigger:';
const PAID = 'SUCCESS';

/**
 * Why nothing started goes to n8n's log. While the editor listens for a test event n8n shows nothing
 * for a request that starts no run (it keeps waiting), so there the reason is logged as a warning,
 * which n8n's default log level prints.
 */
function logNoRun(context: IWebhookFunctions, reason: string, level: 'debug' | 'warn' = 'warn'): void {
	const testEvent = context.getMode?.() === 'manual';
	const message = `${LOG_PREFIX} ${testEvent ? 'test event: ' : ''}${reason}`;
	if (level === 'warn' || testEvent) context.logger.warn(message);
	else context.logger.debug(message);
}

/** 200 with an empty body (what n8n itself answers for an accepted one); no run starts. */
function acknowledge(context: IWebhookFunctions): IWebhookResponseData {
	const response = context.getResponseObject();
	if (!response.headersSent) response.status(200).end();
	return { noWebhookResponse: true };
}

/** Answered here with a non-200 status; no run starts. */
function refuse(context: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	const response = context.getResponseObject();
	if (!response.headersSent) response.status(status).json({ error });
	return { noWebhookResponse: true };
}

/** The exact bytes received (n8n keeps them as `rawBody` when it parses the body). */
async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer> {
	const request = context.getRequestObject();
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

async function serverPublicKey(context: IWebhookFunctions): Promise<KeyObject | undefined> {
	try {
		const credentials = await context.getCredentials(CREDENTIAL_TYPE);
		return parsePublicKey(credentials.serverPublicKey as string | undefined);
	} catch (error) {
		context.logger.error(`${LOG_PREFIX} cannot verify notifications: ${(error as Error).message}`);
		return undefined;
	}
}

/** What a query-string hint's item says about the payment: RM's record, in the notification's shape. */
function confirmedFacts(eventType: string, transaction: IDataObject): IDataObject {
	if (eventType !== RECURRING_PAYMENT) return transaction;
	const order = (transaction.order ?? {}) as IDataObject;
	const store = (transaction.store ?? {}) as IDataObject;
	return {
		amount: order.amount,
		currency: transaction.currencyType,
		orderId: order.id,
		status: transaction.status,
		storeId: store.id,
		transactionId: transaction.transactionId,
		createdAt: transaction.createdAt,
		updatedAt: transaction.updatedAt,
	};
}

export async function receiveNotification(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await receive.call(this);
	} catch (error) {
		this.logger.error(`${LOG_PREFIX} could not handle a notification: ${(error as Error).message}`);
		return refuse(this, 500, 'notification could not be handled');
	}
}

async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = triggerOptions(this);
	const method = (this.getRequestObject().method ?? 'POST').toUpperCase();
	const rawBody = await rawBodyOf(this);
	const headers = this.getHeaderData() as HeaderBag;

	// Size first: nothing larger than any RM notification is parsed, canonicalised or RSA-checked.
	if (rawBody.length > MAX_NOTIFICATION_BYTES) {
		logNoRun(this, `refused a request (413): ${rawBody.length} bytes, over the ${MAX_NOTIFICATION_BYTES}-byte limit`);
		return refuse(this, 413, 'notification too large');
	}

	let signed: Extract<VerificationResult, { valid: true }> | undefined;
	if (options.verifySignature) {
		const publicKey = await serverPublicKey(this);
		if (!publicKey) return refuse(this, 500, 'notification receiver is not configured');
		const result = verifyNotification(publicKey, { method, rawBody, headers }, { toleranceSeconds: options.toleranceSeconds });
		if (!result.valid) {
			logNoRun(this, `refused a notification (401): ${VERIFICATION_FAILURE_TEXT[result.reason]}`);
			return refuse(this, 401, 'invalid signature');
		}
		signed = result;
	}

	// A bodyless GET may carry the notification in its query string, which no RM signature covers.
	const fromQuery = rawBody.length === 0 && method === 'GET';
	const notification: PaymentNotification | undefined = fromQuery
		? notificationFromQuery(this.getQueryData())
		: notificationFromBody(rawBody.toString('utf8'));
	if (!notification || paymentIdOf(notification) === undefined) {
		logNoRun(this, 'refused a request (400): it is not an {eventType, data} notification naming a payment');
		return refuse(this, 400, 'invalid notification');
	}
	if (signed && !fromQuery && !signed.coversBody) {
		// Unreachable for a parsable notification ({} and null are the only bodies signed without data); kept as a guard.
		logNoRun(this, 'refused a notification (401): its signature covers no data');
		return refuse(this, 401, 'invalid signature');
	}
	if (fromQuery && !options.confirmWithApi) {
		logNoRun(
			this,
			'refused a GET notification (401): its data is in the query string, which no signature covers, and Confirm With API is off',
		);
		return refuse(this, 401, 'unverified notification');
	}
	const events = this.getNodeParameter('events', []) as string[];
	if (!events.includes(notification.eventType)) {
		logNoRun(this, `ignored a ${notification.eventType.slice(0, 40)} notification (event not selected)`, 'debug');
		return acknowledge(this);
	}

	return await claimConfirmAndRun(this, { notification, fromQuery, signed, headers });
}

interface Accepted {
	notification: PaymentNotification;
	fromQuery: boolean;
	signed?: Extract<VerificationResult, { valid: true }>;
	headers: HeaderBag;
}

/**
 * Claims the request's nonce and the payment before the first `await` (so copies arriving together
 * cannot both pass), confirms, then accepts what runs; what it holds is released at the end.
 */
async function claimConfirmAndRun(context: IWebhookFunctions, accepted: Accepted): Promise<IWebhookResponseData> {
	const { notification, fromQuery, signed } = accepted;
	const options = triggerOptions(context);
	const workflowId = context.getWorkflow().id ?? '';
	const node = context.getNode();
	const memory = new NotificationMemory(context.getWorkflowStaticData('node'), `${workflowId}:${node.id ?? node.name}`, {
		toleranceSeconds: options.toleranceSeconds,
		ignoreDuplicates: options.ignoreDuplicates,
	});
	const id = paymentIdOf(notification)!;
	const lookupKey = inFlightKeyOf(notification)!;
	const ignored = (what: string): IWebhookResponseData => {
		logNoRun(context, `ignored a duplicate notification (${what} already started a run)`, 'debug');
		return acknowledge(context);
	};

	// Verified or not, a request's nonce starts at most one run (unsigned ones: only byte-identical replays).
	switch (memory.claim(lookupKey, signed?.nonce ?? plainNonce(accepted.headers), signed?.signedAtSeconds)) {
		case 'sameNonce':
			logNoRun(context, 'ignored a notification already accepted (same nonce)', 'debug');
			return acknowledge(context);
		case 'requestInFlight':
			logNoRun(context, 'answered 409: the same request is being handled right now');
			return refuse(context, 409, 'notification is already being processed');
		case 'duplicate':
			return ignored(`payment ${id}`);
		case 'paymentInFlight':
			logNoRun(context, `answered 409: a notification for payment ${id} is being handled right now`);
			return refuse(context, 409, 'notification is already being processed');
		case 'claimed':
			break;
	}

	try {
		let transaction: IDataObject | undefined;
		let key: string;
		if (options.confirmWithApi) {
			const confirmation = await confirmPayment.call(context, notification, fromQuery);
			if (!confirmation.confirmed) {
				const status = confirmation.unavailable ? 503 : 409;
				logNoRun(context, `started nothing (${status}): ${confirmation.reason}`);
				return confirmation.unavailable
					? refuse(context, 503, 'payment could not be confirmed')
					: refuse(context, 409, 'payment not confirmed');
			}
			transaction = confirmation.transaction;
			key = confirmation.key;
		} else {
			// No API to ask: the verified notification's own id; RM only notifies successes.
			if (notification.data.status !== PAID) {
				logNoRun(context, `started nothing (409): the notification's status is not ${PAID}`);
				return refuse(context, 409, 'payment not confirmed');
			}
			key = paymentKey(notification.eventType === RECURRING_PAYMENT ? 'order' : 'transaction', id, PAID);
		}

		// No await from here on: the check and the commit cannot interleave with another copy.
		if (!memory.accept(key, lookupKey)) return ignored(key);

		const json: IDataObject = {
			eventType: notification.eventType,
			eventKey: key,
			data: fromQuery && transaction ? confirmedFacts(notification.eventType, transaction) : notification.data,
			...(transaction ? { transaction } : {}),
			// What a GET said in its query string: shown, never trusted.
			...(fromQuery ? { unverified: { source: 'query string', data: notification.data } } : {}),
			verified: {
				signature: signed !== undefined,
				...(signed ? { signedAt: new Date(signed.signedAtSeconds * 1000).toISOString() } : {}),
				dataSigned: signed !== undefined && !fromQuery,
				confirmedWithApi: transaction !== undefined,
			},
		};
		return { workflowData: [[{ json }]] };
	} finally {
		memory.release();
	}
}
