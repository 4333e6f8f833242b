import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { textFrom } from '../validation';
import { orderIdField, timeoutFrom, timeoutOptions } from '../fields';

const show = { resource: ['transaction'], operation: ['reverse'] };

export const description: INodeProperties[] = [
	orderIdField(show, 'Your own order ID of the payment to cancel'),
	timeoutOptions(show),
];

/**
 * Cancels a payment by its order ID, typically one whose outcome was unknown after a timeout:
 * whether or not it went through, the customer ends up not charged. Only possible shortly after the
 * payment (about 15 minutes); later, refund it instead.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const orderId = textFrom(this, itemIndex, 'orderId', 'Order ID', { required: true });
	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/payment/reverse',
		body: { orderId },
		itemIndex,
		timeout: timeoutFrom(this, itemIndex),
	});
	return [{ json: response.item as IDataObject }];
}
