import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { textUpTo } from '../validation';

export const description: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'INV-2024-0001',
		description: 'Your own order ID, as given when the checkout was created',
		displayOptions: { show: { resource: ['transaction'], operation: ['getByOrderId'] } },
	},
];

/**
 * The payment made for one of your order IDs. The way to confirm a checkout was paid, and to find
 * out what happened to a payment whose outcome was unknown. TRANSACTION_NOT_FOUND means no payment.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const orderId = textUpTo(this, itemIndex, 'Order ID', this.getNodeParameter('orderId', itemIndex), {
		required: true,
	});
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/payment/transaction/order', orderId),
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
