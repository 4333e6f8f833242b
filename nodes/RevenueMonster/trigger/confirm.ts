/**
 * Confirmation: before a workflow acts on a notification, ask Revenue Monster's API (with the
 * merchant's own credential) whether this payment really succeeded, and that it is the payment the
 * notification describes: status, amount, currency, order id and transaction id, and a transaction type
 * that fits the event. RM's own WooCommerce plugin trusts only this query. RM's server key is the same
 * for every merchant, so a valid signature alone never proves a payment is yours; this does.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { revenueMonsterRequest } from '../transport/request';
import { apiPath } from '../transport/url';
import { paymentIdOf, paymentKey, RECURRING_PAYMENT, type PaymentNotification } from './notification';

/** A webhook must answer quickly; RM resends later if this is not enough. */
const CONFIRMATION_TIMEOUT_MS = 10_000;
const PAID = 'SUCCESS';

export type Confirmation =
	/** `key`: the payment's key from RM's record (transaction id and its status) */
	| { confirmed: true; transaction: IDataObject; key: string }
	/** RM's records do not show this payment as paid, or not as described: nothing will start */
	| { confirmed: false; unavailable: false; reason: string }
	/** RM could not be asked (network, RM error, credential): try again later */
	| { confirmed: false; unavailable: true; reason: string };

function notConfirmed(reason: string): Confirmation {
	return { confirmed: false, unavailable: false, reason };
}

interface Claim {
	field: string;
	claimed: unknown;
	recorded: unknown;
	/** RM always sends it: a notification without it is not RM's */
	required: boolean;
}

/** What the notification claims, next to what RM recorded. */
function claimsOf(notification: PaymentNotification, transaction: IDataObject): Claim[] {
	const { data } = notification;
	const order = (transaction.order ?? {}) as IDataObject;
	if (notification.eventType === RECURRING_PAYMENT) {
		return [
			{ field: 'status', claimed: data.status, recorded: transaction.status, required: true },
			{ field: 'amount', claimed: data.amount, recorded: order.amount, required: true },
			{ field: 'currency', claimed: data.currency, recorded: transaction.currencyType, required: true },
			{ field: 'orderId', claimed: data.orderId, recorded: order.id, required: true },
			{ field: 'transactionId', claimed: data.transactionId, recorded: transaction.transactionId, required: false },
		];
	}
	const claimedOrder = (typeof data.order === 'object' && data.order !== null ? data.order : {}) as IDataObject;
	return [
		{ field: 'status', claimed: data.status, recorded: transaction.status, required: true },
		{ field: 'transactionId', claimed: data.transactionId, recorded: transaction.transactionId, required: true },
		{ field: 'order.amount', claimed: claimedOrder.amount, recorded: order.amount, required: true },
		{ field: 'currencyType', claimed: data.currencyType, recorded: transaction.currencyType, required: true },
		{ field: 'order.id', claimed: claimedOrder.id, recorded: order.id, required: true },
		{ field: 'type', claimed: data.type, recorded: transaction.type, required: false },
	];
}

/** Query-string hints carry numbers as text: "4500" may stand for 4500. Bodies must match exactly. */
function sameValue(claimed: unknown, recorded: unknown, fromQuery: boolean): boolean {
	if (claimed === recorded) return true;
	return fromQuery && typeof recorded === 'number' && typeof claimed === 'string' && claimed === String(recorded);
}

/** A value for the log: short, whatever the sender put there. */
function shown(value: unknown): string {
	const textValue = JSON.stringify(value) ?? 'missing';
	return textValue.length > 40 ? `${textValue.slice(0, 40)}…` : textValue;
}

/** RM's transaction type for the event: recurring charges are RECURRING_PAYMENT; online payments never are. */
function typeFitsEvent(eventType: string, type: unknown): boolean {
	if (typeof type !== 'string' || type === '') return false;
	return eventType === RECURRING_PAYMENT ? type === RECURRING_PAYMENT : type !== RECURRING_PAYMENT;
}

/**
 * @param fromQuery the notification is an unsigned query-string hint: fields it leaves out are not
 *   required (whatever it does say must still match)
 */
export async function confirmPayment(
	this: IWebhookFunctions,
	notification: PaymentNotification,
	fromQuery: boolean,
): Promise<Confirmation> {
	const id = paymentIdOf(notification);
	const recurring = notification.eventType === RECURRING_PAYMENT;
	if (id === undefined) {
		return notConfirmed(`the notification has no ${recurring ? 'data.orderId' : 'data.transactionId'} to look up`);
	}
	const path = recurring
		? apiPath('/v3/payment/transaction/order', id)
		: apiPath('/v3/payment/transaction', id);

	let transaction: IDataObject;
	try {
		const response = await revenueMonsterRequest.call(this, {
			method: 'GET',
			path,
			timeout: CONFIRMATION_TIMEOUT_MS,
		});
		transaction = (response.item ?? {}) as IDataObject;
	} catch (error) {
		const context = (error as { context?: IDataObject }).context;
		if (context?.revenueMonsterCode === 'TRANSACTION_NOT_FOUND') {
			return notConfirmed(
				`Revenue Monster has no transaction ${id} (is the credential for the same environment as the payment?)`,
			);
		}
		return { confirmed: false, unavailable: true, reason: (error as Error).message };
	}

	const status = transaction.status;
	if (status !== PAID) {
		return notConfirmed(`Revenue Monster reports transaction ${id} as ${String(status)}, not ${PAID}`);
	}
	if (typeof transaction.transactionId !== 'string' || transaction.transactionId === '') {
		return notConfirmed(`Revenue Monster's record of ${id} has no transaction id`);
	}
	if (!typeFitsEvent(notification.eventType, transaction.type)) {
		return notConfirmed(
			`Revenue Monster records ${id} as a ${String(transaction.type)} transaction, which is not a ${notification.eventType}`,
		);
	}
	for (const claim of claimsOf(notification, transaction)) {
		if (claim.claimed === undefined && (fromQuery || !claim.required)) continue;
		if (!sameValue(claim.claimed, claim.recorded, fromQuery)) {
			return notConfirmed(
				`the notification's ${claim.field} (${shown(claim.claimed)}) differs from Revenue Monster's record of ${id} (${shown(claim.recorded)})`,
			);
		}
	}
	return { confirmed: true, transaction, key: paymentKey('transaction', transaction.transactionId, PAID) };
}
