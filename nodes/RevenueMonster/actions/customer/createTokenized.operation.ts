import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { additionalFieldsCollection } from '../fields';
import { customerBody, customerDetailOptions, newCustomerFields, returnUrlFields } from './shared';

const show = { resource: ['customer'], operation: ['createTokenized'] };

export const description: INodeProperties[] = [
	...newCustomerFields(show),
	...returnUrlFields(show),
	additionalFieldsCollection(show, customerDetailOptions()),
];

/**
 * Creates a customer you charge yourself (Order → Create), whenever and for whatever amount you choose.
 * Nothing is charged here: the output's paymentUrl is where the customer saves their card.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/tokenized-payment',
		body: customerBody(this, itemIndex, additionalFields),
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
