import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { textUpTo } from '../validation';
import { customerUserIdField } from './shared';

export const description: INodeProperties[] = [customerUserIdField(['getMany'])];

/** One output item per saved card: the token to pay with (Checkout → Pay, GoBiz token) and the masked card. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerUserId = textUpTo(
		this,
		itemIndex,
		'Customer User ID',
		this.getNodeParameter('customerUserId', itemIndex),
		{ required: true },
	);
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/payment/tokens', customerUserId),
		itemIndex,
	});
	const tokens = Array.isArray(response.item) ? (response.item as IDataObject[]) : [];
	return tokens.map((token) => ({ json: token }));
}
