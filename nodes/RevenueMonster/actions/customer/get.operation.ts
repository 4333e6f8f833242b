import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { textFrom } from '../validation';
import { createdCustomerIdField } from './shared';

export const description: INodeProperties[] = [
	createdCustomerIdField({ resource: ['customer'], operation: ['get'] }),
];

/** Revenue Monster only knows a customer once their card has been bound through paymentUrl. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerId = textFrom(this, itemIndex, 'customerId', 'Customer ID', { required: true });
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/customer', customerId),
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
