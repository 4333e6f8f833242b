import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { textUpTo } from '../validation';
import { timeoutFrom, timeoutOptions } from '../fields';

const operation = ['reverse'];

export const description: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'INV-2024-0001',
		description: 'Your own order ID of the payment to cancel',
		displayOptions: { show: { resource: ['transaction'], operation } },
	},
	timeoutOptions({ resource: ['transaction'], operation }),
];

/**
 * Cancels a payment by its order ID, typically one whose outcome was unknown after a timeout:
 * whether or not it went through, the customer ends up not charged. Only possible shortly after the
 * payment (about 15 minutes); later, refund it instead.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const orderId = textUpTo(this, itemIndex, 'Order ID', this.getNodeParameter('orderId', itemIndex), {
		required: true,
	});
	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/payment/reverse',
		body: { orderId },
		itemIndex,
		timeout: timeoutFrom(this, itemIndex),
	});
	return [{ json: response.item as IDataObject }];
}
