/**
 * Confirmation: before a workflow acts on a notification, ask Revenue Monster's API whether the
 * payment really succeeded, for the amount the notification says. RM's own WooCommerce plugin trusts
 * only this query; with the signature it makes a forged or altered notification useless.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { revenueMonsterRequest } from '../transport/request';
import { apiPath } from '../transport/url';
import { paymentIdOf, RECURRING_PAYMENT, type PaymentNotification } from './notification';

/** A webhook must answer quickly; RM resends later if this is not enough. */
const CONFIRMATION_TIMEOUT_MS = 10_000;

export type Confirmation =
	| { confirmed: true; transaction: IDataObject }
	/** RM's records do not show this payment as paid: nothing will start */
	| { confirmed: false; unavailable: false; reason: string }
	/** RM could not be asked (network, RM error, credential): try again later */
	| { confirmed: false; unavailable: true; reason: string };

function notConfirmed(reason: string): Confirmation {
	return { confirmed: false, unavailable: false, reason };
}

/** The amount (cents) the notification claims: `order.amount` of an online payment, `amount` of a recurring one. */
function claimedAmount(notification: PaymentNotification): unknown {
	const { data } = notification;
	const amount = notification.eventType === RECURRING_PAYMENT ? data.amount : (data.order as IDataObject | undefined)?.amount;
	// Query-string notifications carry numbers as text.
	return typeof amount === 'string' && /^\d+$/.test(amount) ? Number(amount) : amount;
}

export async function confirmPayment(
	this: IWebhookFunctions,
	notification: PaymentNotification,
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
	if (status !== 'SUCCESS') {
		return notConfirmed(`Revenue Monster reports transaction ${id} as ${String(status)}, not SUCCESS`);
	}
	const claimed = claimedAmount(notification);
	const order = (transaction.order ?? {}) as IDataObject;
	if (claimed !== undefined && claimed !== order.amount && claimed !== transaction.finalAmount) {
		return notConfirmed(
			`the notification says ${String(claimed)} cents but Revenue Monster recorded ${String(order.amount)} for ${id}`,
		);
	}
	return { confirmed: true, transaction };
}
