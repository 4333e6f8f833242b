import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as get from './get.operation';
import * as getByOrderId from './getByOrderId.operation';
import * as getMany from './getMany.operation';
import * as refund from './refund.operation';
import * as reverse from './reverse.operation';

export const operations: ResourceOperations = { get, getByOrderId, getMany, refund, reverse };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transaction'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Look up one payment by its transaction ID: status, amount, method, refunds left',
				action: 'Get a transaction',
			},
			{
				name: 'Get by Order ID',
				value: 'getByOrderId',
				description: 'Look up the payment made for one of your order IDs, e.g. to confirm a checkout was paid',
				action: 'Get a transaction by order ID',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List payments, newest first',
				action: 'Get many transactions',
			},
			{
				name: 'Refund',
				value: 'refund',
				description: 'Give all or part of a payment back to the customer',
				action: 'Refund a transaction',
			},
			{
				name: 'Reverse',
				value: 'reverse',
				description:
					'Cancel a payment by order ID shortly after it was made (about 15 minutes), e.g. after a timeout; the customer is not charged',
				action: 'Reverse a transaction',
			},
		],
		default: 'get',
	},
	...get.description,
	...getByOrderId.description,
	...getMany.description,
	...refund.description,
	...reverse.description,
];
