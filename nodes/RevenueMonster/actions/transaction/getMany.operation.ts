import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../../transport/pagination';
import { listFields, listLimitFrom } from '../fields';

const show = { resource: ['transaction'], operation: ['getMany'] };

/** RM's page size is its `limit` query parameter; 100 is the largest page asked for. */
const MAX_PAGE_SIZE = 100;

export const description: INodeProperties[] = listFields(show);

/** The merchant's payments, newest first, one output item per transaction, page after page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = listLimitFrom(this, itemIndex);
	const transactions = await revenueMonsterRequestAllItems.call(this, {
		path: '/v3/payment/transactions',
		limit,
		pageSizeParameter: 'limit',
		maxPageSize: MAX_PAGE_SIZE,
		itemIndex,
	});
	return transactions.map((json) => ({ json }));
}
