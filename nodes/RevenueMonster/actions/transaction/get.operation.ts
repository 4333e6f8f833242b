import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { transactionIdField } from '../fields';
import { textFrom } from '../validation';

export const description: INodeProperties[] = [
	transactionIdField(
		{ resource: ['transaction'], operation: ['get'] },
		'The transactionId Revenue Monster gave the payment',
	),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const transactionId = textFrom(this, itemIndex, 'transactionId', 'Transaction ID', { required: true });
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: apiPath('/v3/payment/transaction', transactionId),
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
