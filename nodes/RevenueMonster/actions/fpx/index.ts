import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as getBanks from './getBanks.operation';

export const operations: ResourceOperations = { getBanks };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['fpx'] } },
		options: [
			{
				name: 'Get Banks',
				value: 'getBanks',
				description:
					'List the banks customers can pay from with FPX online banking, one item each, with whether the bank is online right now',
				action: 'Get FPX banks',
			},
		],
		default: 'getBanks',
	},
	...getBanks.description,
];
