import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { customerUserIdField } from '../fields';
import { textFrom } from '../validation';

const show = { resource: ['token'], operation: ['delete'] };

export const description: INodeProperties[] = [
	customerUserIdField(show),
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'The saved card to forget: the "token" of an item from Card Token → Get Many',
		displayOptions: { show },
	},
];

/**
 * Forgets one saved card. Outputs one item confirming the deletion with the cards that remain, so
 * the workflow goes on even when the last card was deleted.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerUserId = textFrom(this, itemIndex, 'customerUserId', 'Customer User ID', { required: true });
	const token = textFrom(this, itemIndex, 'token', 'Token', { required: true });
	// RM reads the token from a JSON body on DELETE; it is signed like any other body.
	const response = await revenueMonsterRequest.call(this, {
		method: 'DELETE',
		path: apiPath('/v3/payment/tokens', customerUserId),
		body: { token },
		itemIndex,
	});
	const remainingTokens = Array.isArray(response.item) ? (response.item as IDataObject[]) : [];
	return [{ json: { deleted: true, customerUserId, token, remainingTokens } }];
}
