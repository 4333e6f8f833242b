/**
 * What a Revenue Monster notification says (revenue-monster-api.md §4): `{eventType, data}` in a JSON
 * body, or, for the GET recurring callback, possibly in the query string.
 */
import type { IDataObject } from 'n8n-workflow';

import { canonicalJson } from '../transport/signature';

export const PAYMENT_WEB_ONLINE = 'PAYMENT_WEB_ONLINE';
export const RECURRING_PAYMENT = 'RECURRING_PAYMENT';

export interface PaymentNotification {
	eventType: string;
	data: IDataObject;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fromObject(value: unknown): PaymentNotification | undefined {
	if (!isObject(value)) return undefined;
	const { eventType, data } = value;
	if (typeof eventType !== 'string' || eventType === '' || !isObject(data)) return undefined;
	return { eventType, data };
}

/** The notification carried in the exact bytes received (the ones the signature covers). */
export function notificationFromBody(rawBody: string): PaymentNotification | undefined {
	if (rawBody.trim() === '') return undefined;
	try {
		return fromObject(JSON.parse(rawBody));
	} catch {
		return undefined;
	}
}

/**
 * A GET notification without a body: `eventType` plus either `data` (JSON text or a nested object)
 * or the data fields themselves as query parameters.
 */
export function notificationFromQuery(query: unknown): PaymentNotification | undefined {
	if (!isObject(query) || typeof query.eventType !== 'string') return undefined;
	const { eventType, data, ...fields } = query;
	if (typeof data === 'string') {
		try {
			return fromObject({ eventType, data: JSON.parse(data) });
		} catch {
			return undefined;
		}
	}
	if (isObject(data)) return { eventType, data };
	return Object.keys(fields).length > 0 ? { eventType, data: fields } : undefined;
}

/** The JSON a query-string notification stands for: what RM would have signed as the body. */
export function signedFormOfQueryNotification(notification: PaymentNotification): string {
	return canonicalJson(notification);
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/**
 * The id RM's API knows this payment by: the transaction id of an online payment, the order id of
 * a recurring charge (its notification has no transaction id).
 */
export function paymentIdOf(notification: PaymentNotification): string | undefined {
	const { data } = notification;
	if (notification.eventType === RECURRING_PAYMENT) return text(data.orderId);
	return text(data.transactionId);
}

/** `eventType:id:status`: the same payment in the same state is the same notification. */
export function duplicateKeyOf(notification: PaymentNotification): string | undefined {
	const id = paymentIdOf(notification);
	if (id === undefined) return undefined;
	return `${notification.eventType}:${id}:${text(notification.data.status) ?? ''}`;
}
