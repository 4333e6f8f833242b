/**
 * `code: "SUCCESS"` only means RM answered; the money moved only when the transaction's status is
 * SUCCESS (revenue-monster-api.md §5). A declined charge becomes an error naming the transaction and
 * RM's reason, so "On Error → Continue (using error output)" can route it to a follow-up.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export type PaymentState = 'paid' | 'pending' | 'declined';

/** Adds `paid` (true only for SUCCESS) and throws for FAILED; IN_PROCESS passes through, unpaid. */
export function checkChargeOutcome(
	context: IExecuteFunctions,
	itemIndex: number,
	transaction: IDataObject,
): IDataObject {
	const status = String(transaction.status ?? '');
	if (status === 'FAILED') {
		const reason = String((transaction.error as IDataObject | undefined)?.message ?? 'no reason given');
		const transactionId = String(transaction.transactionId ?? '');
		const error = new NodeApiError(context.getNode(), { transaction } as never, {
			message: `Charge declined: transaction ${transactionId || '(no id)'} failed (Revenue Monster reason: ${reason})`,
			description:
				'No money was taken. The customer may need to update their card: Customer → Get Orders shows a paymentUrl they can pay by hand.',
			itemIndex,
		});
		error.context.transactionId = transactionId;
		error.context.revenueMonsterCode = 'CHARGE_DECLINED';
		error.context.reason = reason;
		throw error;
	}
	return { ...transaction, paid: status === 'SUCCESS' };
}
