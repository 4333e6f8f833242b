import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../../transport/pagination';
import { wholeNumberAtLeast } from '../validation';

const show = { resource: ['transaction'], operation: ['getMany'] };

/** RM's page size is its `limit` query parameter; 100 is the largest page asked for. */
const MAX_PAGE_SIZE = 100;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

/** The merchant's payments, newest first, one output item per transaction, page after page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? undefined
		: wholeNumberAtLeast(
				this,
				itemIndex,
				'Limit',
				this.getNodeParameter('limit', itemIndex, 50, { skipValidation: true }),
				1,
			);
	const transactions = await revenueMonsterRequestAllItems.call(this, {
		path: '/v3/payment/transactions',
		limit,
		pageSizeParameter: 'limit',
		maxPageSize: MAX_PAGE_SIZE,
		itemIndex,
	});
	return transactions.map((json) => ({ json }));
}
