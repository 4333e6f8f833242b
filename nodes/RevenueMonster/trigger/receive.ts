/**
 * One notification in, at most one workflow run out. In order: verify (401), read (400), event filter
 * (200, no run), replay and duplicate checks (200, no run), confirmation with RM's API (409/503, no
 * run), then one run. Never throws: an error thrown here would make n8n answer 500 and record a failed
 * execution, so every outcome is an explicit answer with a generic body (no keys, tokens or internals).
 *
 * Answers, and why RM gets them (it resends until it gets a 200):
 * - 200 `{"received":true}`: accepted, or nothing to do (event not selected, already accepted).
 * - 401 `{"error":"invalid signature"}`: not provably from RM, or outside the time window.
 * - 400 `{"error":"invalid notification"}`: not a `{eventType, data}` notification.
 * - 409 `{"error":"payment not confirmed"}`: RM's API does not show this payment as paid (yet). Not a
 *   200, so RM tries again: a payment still settling is accepted on a later try; a forged one never is.
 * - 409 `{"error":"notification is already being processed"}`: a copy that arrives while the same
 *   payment is being confirmed; if that one fails, RM's resend of this copy gets its own chance.
 * - 503 `{"error":"payment could not be confirmed"}`: RM's API could not be asked; RM tries again later.
 * - 500 `{"error":"notification receiver is not configured"}`: the credential's server public key is
 *   missing or unreadable (activation checks this, but the credential can change afterwards).
 * - 500 `{"error":"notification could not be handled"}`: anything unexpected (logged).
 */
import type { KeyObject } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/request';
import { parsePublicKey } from '../transport/signature';
import { confirmPayment } from './confirm';
import { NotificationMemory } from './duplicates';
import {
	duplicateKeyOf,
	notificationFromBody,
	notificationFromQuery,
	signedFormOfQueryNotification,
	type PaymentNotification,
} from './notification';
import { triggerOptions } from './options';
import { VERIFICATION_FAILURE_TEXT, verifyNotification, type HeaderBag } from './verify';

const RECEIVED = { received: true };
const LOG_PREFIX = 'Revenue Monster Trigger:';

/** Answered by n8n with HTTP 200; no run starts. */
function acknowledge(): IWebhookResponseData {
	return { webhookResponse: RECEIVED };
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

interface Received {
	method: string;
	rawBody: Buffer;
	notification?: PaymentNotification;
	/** the notification came in the query string of a bodyless GET */
	fromQuery: boolean;
}

async function readRequest(context: IWebhookFunctions): Promise<Received> {
	const method = (context.getRequestObject().method ?? 'POST').toUpperCase();
	const rawBody = await rawBodyOf(context);
	const text = rawBody.toString('utf8');
	if (text.trim() === '' && method === 'GET') {
		const notification = notificationFromQuery(context.getQueryData());
		return { method, rawBody, notification, fromQuery: notification !== undefined };
	}
	return { method, rawBody, notification: notificationFromBody(text), fromQuery: false };
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
	const received = await readRequest(this);
	const { notification } = received;

	let signed: { nonce: string; signedAtSeconds: number } | undefined;
	if (options.verifySignature) {
		const publicKey = await serverPublicKey(this);
		if (!publicKey) return refuse(this, 500, 'notification receiver is not configured');
		const result = verifyNotification(
			publicKey,
			{
				method: received.method,
				rawBody: received.rawBody,
				headers: this.getHeaderData() as HeaderBag,
				queryBody: received.fromQuery && notification ? signedFormOfQueryNotification(notification) : undefined,
			},
			{ toleranceSeconds: options.toleranceSeconds },
		);
		if (!result.valid) {
			this.logger.warn(`${LOG_PREFIX} refused a notification (401): ${VERIFICATION_FAILURE_TEXT[result.reason]}`);
			return refuse(this, 401, 'invalid signature');
		}
		signed = result;
	}

	if (!notification) {
		this.logger.warn(`${LOG_PREFIX} refused a request (400): it is not a {eventType, data} notification`);
		return refuse(this, 400, 'invalid notification');
	}
	const events = this.getNodeParameter('events', []) as string[];
	if (!events.includes(notification.eventType)) {
		this.logger.debug(`${LOG_PREFIX} ignored a ${notification.eventType} notification (event not selected)`);
		return acknowledge();
	}

	const workflowId = this.getWorkflow().id ?? '';
	const node = this.getNode();
	const memory = new NotificationMemory(this.getWorkflowStaticData('node'), `${workflowId}:${node.id ?? node.name}`);
	if (signed && memory.nonceWasAccepted(signed.nonce)) {
		this.logger.debug(`${LOG_PREFIX} ignored a notification already accepted (same nonce)`);
		return acknowledge();
	}
	const key = options.ignoreDuplicates ? duplicateKeyOf(notification) : undefined;
	if (key !== undefined) {
		if (memory.wasAccepted(key)) {
			this.logger.debug(`${LOG_PREFIX} ignored a duplicate notification (${key})`);
			return acknowledge();
		}
		if (!memory.claim(key)) return refuse(this, 409, 'notification is already being processed');
	}

	try {
		let transaction: IDataObject | undefined;
		if (options.confirmWithApi) {
			const confirmation = await confirmPayment.call(this, notification);
			if (!confirmation.confirmed) {
				const status = confirmation.unavailable ? 503 : 409;
				this.logger.warn(`${LOG_PREFIX} started nothing (${status}): ${confirmation.reason}`);
				return confirmation.unavailable
					? refuse(this, 503, 'payment could not be confirmed')
					: refuse(this, 409, 'payment not confirmed');
			}
			transaction = confirmation.transaction;
		}

		memory.remember(
			{ key, nonce: signed?.nonce, signedAtSeconds: signed?.signedAtSeconds },
			{ toleranceSeconds: options.toleranceSeconds },
		);
		const json: IDataObject = {
			eventType: notification.eventType,
			data: notification.data,
			...(transaction ? { transaction } : {}),
			verified: {
				signature: signed !== undefined,
				...(signed ? { signedAt: new Date(signed.signedAtSeconds * 1000).toISOString() } : {}),
				confirmedWithApi: transaction !== undefined,
			},
		};
		return { workflowData: [[{ json }]], webhookResponse: RECEIVED };
	} finally {
		if (key !== undefined) memory.release(key);
	}
}
