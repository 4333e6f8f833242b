import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as create from './create.operation';

export const operations: ResourceOperations = { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					"Charge a customer's saved card now. A declined card is an error naming the transaction and the reason, so it can go to the error output.",
				action: 'Charge the saved card of a customer',
			},
		],
		default: 'create',
	},
	...create.description,
];
