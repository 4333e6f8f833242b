import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';

export const description: INodeProperties[] = [];

/**
 * RM answers with a map keyed by bank code; each bank becomes one item {code, name, isOnline}.
 * Codes have changed format over the years, so they are always read live, never hard-coded.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const response = await revenueMonsterRequest.call(this, {
		method: 'GET',
		path: '/v3/payment/fpx-bank',
		itemIndex,
	});
	const banks = response.item && typeof response.item === 'object' ? (response.item as IDataObject) : {};
	return Object.entries(banks).map(([code, bank]) => {
		const details = bank && typeof bank === 'object' ? (bank as IDataObject) : {};
		return { json: { code, ...details, isOnline: details.isOnline === true } };
	});
}
