import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { checkoutIdField } from '../fields';
import { textFrom } from '../validation';

export const description: INodeProperties[] = [checkoutIdField({ resource: ['checkout'], operation: ['get'] })];

/**
 * The checkout's state (status, order, methods offered, transactionId once paid). It is not the
 * payment itself: Transaction → Get with its transactionId shows that.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const checkoutId = textFrom(this, itemIndex, 'checkoutId', 'Checkout ID', { required: true });
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: '/v3/payment/online',
		qs: { checkoutId },
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
