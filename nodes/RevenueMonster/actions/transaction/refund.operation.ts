import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { oneOfValues, ringgitCurrency, textUpTo } from '../validation';
import { amountField, amountFrom, currencyField, timeoutFrom, timeoutOptions } from '../fields';

const operation = ['refund'];
const show = { resource: ['transaction'], operation };

export const description: INodeProperties[] = [
	{
		displayName: 'Transaction ID',
		name: 'transactionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '230101123456010000000001',
		description: 'The payment to refund (its transactionId)',
		displayOptions: { show },
	},
	{
		displayName: 'Refund Type',
		name: 'refundType',
		type: 'options',
		options: [
			{
				name: 'Full',
				value: 'FULL',
				description: 'Give back everything that is left of the payment (its balanceAmount)',
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
	amountField(show, 'How much goes back to the customer', 'For a full refund, the balanceAmount Transaction → Get shows; a partial refund can be at most that.'),
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
	timeoutOptions({ resource: ['transaction'], operation }),
];

/**
 * Gives money back to the customer's card, wallet or bank. Outputs the transaction afterwards
 * (status FULL_REFUNDED or PARTIAL_REFUNDED, balanceAmount what is left). Never retried when the
 * answer is lost (transport), so a refund is never made twice.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const transactionId = textUpTo(this, itemIndex, 'Transaction ID', this.getNodeParameter('transactionId', itemIndex), {
		required: true,
	});
	const body: IDataObject = {
		transactionId,
		refund: {
			type: oneOfValues(this, itemIndex, 'Refund Type', this.getNodeParameter('refundType', itemIndex), [
				'FULL',
				'PARTIAL',
			] as const),
			currencyType: ringgitCurrency(this, itemIndex, 'Currency', this.getNodeParameter('currency', itemIndex)),
			amount: amountFrom(this, itemIndex),
		},
		reason: textUpTo(this, itemIndex, 'Reason', this.getNodeParameter('reason', itemIndex), { required: true }),
	};
	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/payment/refund',
		body,
		itemIndex,
		timeout: timeoutFrom(this, itemIndex),
	});
	return [{ json: response.item as IDataObject }];
}
