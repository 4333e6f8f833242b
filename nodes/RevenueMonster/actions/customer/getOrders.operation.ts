import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../../transport/pagination';
import { apiPath } from '../../transport/url';
import { listFields, listLimitFrom } from '../fields';
import { textFrom } from '../validation';
import { createdCustomerIdField } from './shared';

const show = { resource: ['customer'], operation: ['getOrders'] };

export const description: INodeProperties[] = [
	createdCustomerIdField(show),
	...listFields(show),
];

/**
 * Every charge made to the customer's card, one output item each: status SUCCESS or FAILED, amount,
 * transactionId, and for a failed charge a paymentUrl the customer can pay by hand.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerId = textFrom(this, itemIndex, 'customerId', 'Customer ID', { required: true });
	const limit = listLimitFrom(this, itemIndex);
	const orders = await revenueMonsterRequestAllItems.call(this, {
		path: apiPath('/v3/customer', customerId, 'orders'),
		limit,
		itemIndex,
	});
	return orders.map((order: IDataObject) => ({ json: order }));
}
