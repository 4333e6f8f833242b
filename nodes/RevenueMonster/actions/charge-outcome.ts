/**
 * `code: "SUCCESS"` only means RM answered; the money moved only when the transaction's status is
 * SUCCESS (revenue-monster-api.md §5). A declined charge becomes an error naming the transaction and
 * RM's reason, so "On Error → Continue (using error output)" can route it to a follow-up.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export type PaymentState = 'paid' | 'pending' | 'declined';

/** "Order → Create", from the node's own parameters, for errors that must say which call it was. */
function operationName(context: IExecuteFunctions, itemIndex: number): string {
	const words = (name: string) => {
		const value = String(context.getNodeParameter(name, itemIndex, '') ?? '');
		return value.charAt(0).toUpperCase() + value.slice(1);
	};
	return `${words('resource')} → ${words('operation')}`;
}

/**
 * Adds `paid` (true only for SUCCESS) and throws for FAILED; IN_PROCESS passes through, unpaid.
 * `answer` is RM's whole body: when it holds no transaction at all (e.g. a bare non-SUCCESS `code`),
 * the error names the operation and that code instead of failing on a missing object. `declinedHint`
 * is what the error for a declined charge tells the user to do.
 */
export function checkChargeOutcome(
	context: IExecuteFunctions,
	itemIndex: number,
	transaction: unknown,
	answer?: IDataObject,
	declinedHint = 'No money was taken. The customer may need to update their card: Customer → Get Orders shows a paymentUrl they can pay by hand.',
): IDataObject {
	if (!transaction || typeof transaction !== 'object' || Array.isArray(transaction)) {
		const code = typeof answer?.code === 'string' && answer.code ? answer.code : '(none)';
		const message = `${operationName(context, itemIndex)}: Revenue Monster's answer holds no transaction (Revenue Monster code: ${code})`;
		const error = new NodeApiError(context.getNode(), { message } as never, {
			message,
			description:
				'Whether money was taken is unknown. Do not run this charge again before looking it up: Transaction → Get by Order ID, or Customer → Get Orders for a card charge.',
			itemIndex,
		});
		error.context.revenueMonsterCode = code;
		throw error;
	}
	const charge = transaction as IDataObject;
	const status = String(charge.status ?? '');
	if (status === 'FAILED') {
		const reason = String((charge.error as IDataObject | undefined)?.message ?? 'no reason given');
		const transactionId = String(charge.transactionId ?? '');
		const error = new NodeApiError(context.getNode(), { transaction: charge } as never, {
			message: `Charge declined: transaction ${transactionId || '(no id)'} failed (Revenue Monster reason: ${reason})`,
			description: declinedHint,
			itemIndex,
		});
		error.context.transactionId = transactionId;
		error.context.revenueMonsterCode = 'CHARGE_DECLINED';
		error.context.reason = reason;
		throw error;
	}
	return { ...charge, paid: status === 'SUCCESS' };
}
