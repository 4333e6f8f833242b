import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { additionalFieldsCollection } from '../fields';
import { oneOfValues, textFrom } from '../validation';
import { createdCustomerIdField } from './shared';

const show = { resource: ['customer'], operation: ['toggleStatus'] };

export const description: INodeProperties[] = [
	createdCustomerIdField(show),
	additionalFieldsCollection(show, [
		{
			displayName: 'Wanted Status',
			name: 'wantedStatus',
			type: 'options',
			options: [
				{
					name: 'Active',
					value: 'active',
					description: 'Switch on only if the customer is inactive; an active customer is left as it is',
				},
				{
					name: 'Inactive',
					value: 'inactive',
					description: 'Switch off only if the customer is active; an inactive customer is left as it is',
				},
			],
			default: 'inactive',
			description:
				'Revenue Monster can only flip the status. Set the status you want and the customer is flipped only if needed, so running the workflow twice does not switch them back.',
		},
	]),
];

/**
 * Flips the customer between active (charged on schedule, can be charged) and inactive (no charges).
 * RM has no "set": with a wanted status, the customer is read first and flipped only if needed.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerId = textFrom(this, itemIndex, 'customerId', 'Customer ID', { required: true });
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const path = apiPath('/v3/customer', customerId);

	if (additionalFields.wantedStatus !== undefined) {
		const wanted = oneOfValues(this, itemIndex, 'Wanted Status', additionalFields.wantedStatus, [
			'active',
			'inactive',
		] as const);
		const current = await revenueMonsterRequest.call(this, { method: 'GET', path, itemIndex });
		const customer = current.item as IDataObject;
		if (Boolean(customer.isActive) === (wanted === 'active')) return [{ json: customer }];
	}

	const response = await revenueMonsterRequest.call(this, { method: 'PUT', path: `${path}/status`, itemIndex });
	return [{ json: response.item as IDataObject }];
}
