import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { textUpTo } from '../validation';

export const description: INodeProperties[] = [
	{
		displayName: 'Transaction ID',
		name: 'transactionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '230101123456010000000001',
		description: 'The transactionId Revenue Monster gave the payment',
		displayOptions: { show: { resource: ['transaction'], operation: ['get'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const transactionId = textUpTo(this, itemIndex, 'Transaction ID', this.getNodeParameter('transactionId', itemIndex), {
		required: true,
	});
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/payment/transaction', transactionId),
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
