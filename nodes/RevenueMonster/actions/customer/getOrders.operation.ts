import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../../transport/pagination';
import { apiPath } from '../../transport/url';
import { textUpTo, wholeNumberAtLeast } from '../validation';
import { customerIdField } from './shared';

const operation = ['getOrders'];
const show = { resource: ['customer'], operation };

export const description: INodeProperties[] = [
	customerIdField(operation),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

/**
 * Every charge made to the customer's card, one output item each: status SUCCESS or FAILED, amount,
 * transactionId, and for a failed charge a paymentUrl the customer can pay by hand.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerId = textUpTo(this, itemIndex, 'Customer ID', this.getNodeParameter('customerId', itemIndex), {
		required: true,
	});
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? undefined
		: wholeNumberAtLeast(this, itemIndex, 'Limit', this.getNodeParameter('limit', itemIndex, 50), 1);
	const orders = await revenueMonsterRequestAllItems.call(this, {
		path: apiPath('/v3/customer', customerId, 'orders'),
		limit,
		itemIndex,
	});
	return orders.map((order: IDataObject) => ({ json: order }));
}
