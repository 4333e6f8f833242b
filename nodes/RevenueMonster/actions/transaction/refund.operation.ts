import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { oneOfValues, textFrom } from '../validation';
import {
	amountField,
	amountFrom,
	currencyField,
	currencyFrom,
	timeoutFrom,
	timeoutOptions,
	transactionIdField,
} from '../fields';

const show = { resource: ['transaction'], operation: ['refund'] };

export const description: INodeProperties[] = [
	transactionIdField(show, 'The payment to refund (its transactionId)'),
	{
		displayName: 'Refund Type',
		name: 'refundType',
		type: 'options',
		options: [
			{
				name: 'Full',
				value: 'FULL',
				description:
					'Give back everything that is left of the payment: the node reads its balanceAmount from Revenue Monster and refunds that',
			},
			{
				name: 'Partial',
				value: 'PARTIAL',
				description: 'Give back part of the payment; more partial refunds can follow up to the balance',
			},
		],
		default: 'FULL',
		description: 'Whether the whole remaining amount or only part of it goes back to the customer',
		displayOptions: { show },
	},
	currencyField(show, 'refund'),
	// Only a partial refund asks for an amount; a full one refunds the balance Revenue Monster reports.
	amountField(
		{ ...show, refundType: ['PARTIAL'] },
		'How much goes back to the customer',
		'At most what is left of the payment (its balanceAmount, shown by Transaction → Get).',
	),
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Customer returned the item',
		description: 'Why the money is given back, kept with the refund',
		displayOptions: { show },
	},
	timeoutOptions(show),
];

/**
 * What is left to refund of a payment, read from Revenue Monster (a read: safe to retry). RM wants a full
 * refund's amount to be exactly this balance, so the user never has to look it up.
 */
async function balanceOf(context: IExecuteFunctions, itemIndex: number, transactionId: string): Promise<number> {
	const response = await revenueMonsterRequest.call(context, {
		method: 'GET',
		path: apiPath('/v3/payment/transaction', transactionId),
		itemIndex,
	});
	const transaction = (response.item ?? {}) as IDataObject;
	const balance = transaction.balanceAmount;
	if (typeof balance !== 'number' || !Number.isSafeInteger(balance) || balance <= 0) {
		const status = typeof transaction.status === 'string' ? transaction.status : 'unknown';
		throw new NodeOperationError(
			context.getNode(),
			`Nothing left to refund: transaction ${transactionId} has a balance of ${String(balance ?? 0)} cents (status ${status})`,
			{
				itemIndex,
				description:
					'Revenue Monster reports no balance on this payment (already fully refunded or reversed, or not paid). Nothing was sent.',
			},
		);
	}
	return balance;
}

/**
 * Gives money back to the customer's card, wallet or bank. Outputs the transaction afterwards
 * (status FULL_REFUNDED or PARTIAL_REFUNDED, balanceAmount what is left). Never retried when the
 * answer is lost (transport), so a refund is never made twice.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const transactionId = textFrom(this, itemIndex, 'transactionId', 'Transaction ID', { required: true });
	const type = oneOfValues(this, itemIndex, 'Refund Type', this.getNodeParameter('refundType', itemIndex), [
		'FULL',
		'PARTIAL',
	] as const);
	const currencyType = currencyFrom(this, itemIndex);
	const reason = textFrom(this, itemIndex, 'reason', 'Reason', { required: true });
	const amount =
		type === 'FULL' ? await balanceOf(this, itemIndex, transactionId) : amountFrom(this, itemIndex);
	const body: IDataObject = { transactionId, refund: { type, currencyType, amount }, reason };
	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/payment/refund',
		body,
		itemIndex,
		timeout: timeoutFrom(this, itemIndex),
	});
	return [{ json: response.item as IDataObject }];
}
