import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { customerUserIdField } from '../fields';
import { textFrom } from '../validation';

export const description: INodeProperties[] = [customerUserIdField({ resource: ['token'], operation: ['getMany'] })];

/** One output item per saved card: the token to pay with (Checkout → Pay, GoBiz token) and the masked card. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerUserId = textFrom(this, itemIndex, 'customerUserId', 'Customer User ID', { required: true });
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/payment/tokens', customerUserId),
		itemIndex,
	});
	const tokens = Array.isArray(response.item) ? (response.item as IDataObject[]) : [];
	return tokens.map((token) => ({ json: token }));
}
