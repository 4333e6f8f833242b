import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { orderIdField } from '../fields';
import { textFrom } from '../validation';

export const description: INodeProperties[] = [
	orderIdField(
		{ resource: ['transaction'], operation: ['getByOrderId'] },
		'Your own order ID, as given when the checkout was created',
	),
];

/**
 * The payment made for one of your order IDs. The way to confirm a checkout was paid, and to find
 * out what happened to a payment whose outcome was unknown. TRANSACTION_NOT_FOUND means no payment.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const orderId = textFrom(this, itemIndex, 'orderId', 'Order ID', { required: true });
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/payment/transaction/order', orderId),
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
