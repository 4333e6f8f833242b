import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as deleteToken from './delete.operation';
import * as getMany from './getMany.operation';

export const operations: ResourceOperations = { getMany, delete: deleteToken };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['token'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Forget one card a checkout customer saved, so it can no longer be used to pay',
				action: 'Delete a card token',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the cards a checkout customer saved, one item each, with the token to pay with',
				action: 'Get many card tokens',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...deleteToken.description,
];
