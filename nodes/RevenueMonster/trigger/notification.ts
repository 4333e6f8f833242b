/**
 * What a Revenue Monster notification says (revenue-monster-api.md §4): `{eventType, data}` in a JSON
 * body, or, for the GET recurring callback, possibly in the query string.
 *
 * Trust: RM signs the body (base64 of its canonical JSON); a bodyless request is signed without any
 * data. So a query-string notification is never covered by a signature: it is only a hint of which
 * payment to look up, and its fields are kept apart as unverified.
 */
import type { IDataObject } from 'n8n-workflow';

import { nestingWithin } from '../transport/signature';

export const PAYMENT_WEB_ONLINE = 'PAYMENT_WEB_ONLINE';
export const RECURRING_PAYMENT = 'RECURRING_PAYMENT';

/** RM notifications are a few KB; anything larger is refused (413) before it is parsed or verified. */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;
/** A Transaction nests 3 levels; nothing RM sends comes near this. */
const MAX_NESTING = 16;

export interface PaymentNotification {
	eventType: string;
	data: IDataObject;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** No non-finite numbers anywhere (JSON.parse reads 1e999 as Infinity). */
function finiteThroughout(value: unknown): boolean {
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		const current = stack.pop();
		if (typeof current === 'number' && !Number.isFinite(current)) return false;
		if (typeof current === 'object' && current !== null) {
			for (const child of Object.values(current as object)) stack.push(child);
		}
	}
	return true;
}

function fromObject(value: unknown): PaymentNotification | undefined {
	if (!isObject(value)) return undefined;
	const { eventType, data } = value;
	if (typeof eventType !== 'string' || eventType === '' || !isObject(data)) return undefined;
	return { eventType, data };
}

/** The notification carried in the exact bytes received (the ones the signature covers). */
export function notificationFromBody(rawBody: string): PaymentNotification | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody);
	} catch {
		return undefined;
	}
	if (!nestingWithin(parsed, MAX_NESTING) || !finiteThroughout(parsed)) return undefined;
	return fromObject(parsed);
}

/** Query values that are plain fields: text, or a number or flag. */
function scalarFields(value: IDataObject): IDataObject {
	const fields: IDataObject = {};
	for (const [key, field] of Object.entries(value)) {
		if (key === '__proto__') continue;
		if (typeof field === 'string' || typeof field === 'boolean') fields[key] = field;
		else if (typeof field === 'number' && Number.isFinite(field)) fields[key] = field;
	}
	return fields;
}

/** Data a notification may carry: an object, no deeper than RM nests, no non-finite numbers. */
function acceptableData(value: unknown): value is IDataObject {
	return isObject(value) && nestingWithin(value, MAX_NESTING) && finiteThroughout(value);
}

/**
 * A GET notification without a body: `eventType` plus either `data` (JSON text) or the data fields
 * themselves as query parameters. A hint, never a fact: every field it states is compared with RM's
 * record before anything runs, and it is shown apart, labelled unverified.
 */
export function notificationFromQuery(query: unknown): PaymentNotification | undefined {
	if (!isObject(query) || typeof query.eventType !== 'string' || query.eventType === '') return undefined;
	const { eventType, data, ...fields } = query;
	if (typeof data === 'string') {
		try {
			const parsed: unknown = JSON.parse(data);
			return acceptableData(parsed) ? { eventType, data: parsed } : undefined;
		} catch {
			return undefined;
		}
	}
	if (data !== undefined) return acceptableData(data) ? { eventType, data } : undefined;
	const flat = scalarFields(fields as IDataObject);
	return Object.keys(flat).length > 0 ? { eventType, data: flat } : undefined;
}

/** RM's ids are about 24 characters; anything far longer is not one. */
const MAX_ID_LENGTH = 64;

function idText(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '' && value.length <= MAX_ID_LENGTH) return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/**
 * The id RM's API knows this payment by: the transaction id of an online payment, the order id of
 * a recurring charge (its notification has no transaction id).
 */
export function paymentIdOf(notification: PaymentNotification): string | undefined {
	const { data } = notification;
	if (notification.eventType === RECURRING_PAYMENT) return idText(data.orderId);
	return idText(data.transactionId);
}

/**
 * Held while a notification for this payment is being handled, so copies arriving together wait
 * (409) instead of being confirmed and run twice. Only a lock: what is remembered afterwards is
 * {@link paymentKey}.
 */
export function inFlightKeyOf(notification: PaymentNotification): string | undefined {
	const id = paymentIdOf(notification);
	return id === undefined ? undefined : `lookup:${notification.eventType}:${id}`;
}

/**
 * The key of a payment in a state: `transaction:<id>:<status>` from RM's confirmed transaction, or,
 * without confirmation, from the verified notification's own id (`order:<id>` for a recurring
 * charge, whose notification has no transaction id). Every item carries it as `eventKey`.
 */
export function paymentKey(kind: 'transaction' | 'order', id: string, status: string): string {
	return `${kind}:${id}:${status}`;
}
