import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as createRecurring from './createRecurring.operation';
import * as createTokenized from './createTokenized.operation';
import * as get from './get.operation';
import * as getOrders from './getOrders.operation';
import * as toggleStatus from './toggleStatus.operation';

export const operations: ResourceOperations = { createRecurring, createTokenized, get, toggleStatus, getOrders };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Create Recurring',
				value: 'createRecurring',
				description:
					'Set up a subscription: Revenue Monster charges the card on a schedule once the customer has entered it at the returned payment URL',
				action: 'Create a recurring customer',
			},
			{
				name: 'Create Tokenized',
				value: 'createTokenized',
				description:
					'Save a customer’s card for later: you charge it whenever you want with Order → Create, once the customer has entered it at the returned payment URL',
				action: 'Create a tokenized customer',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Look up a customer whose card is saved: active or not, the masked card, the schedule',
				action: 'Get a customer',
			},
			{
				name: 'Get Orders',
				value: 'getOrders',
				description: 'List the charges made to a customer’s card, one item each, paid or failed',
				action: 'Get orders of a customer',
			},
			{
				name: 'Toggle Status',
				value: 'toggleStatus',
				description:
					'Stop or resume charging a customer: flips them between active and inactive (Revenue Monster has no “set”; see Wanted Status)',
				action: 'Toggle the status of a customer',
			},
		],
		default: 'createRecurring',
	},
	...createRecurring.description,
	...createTokenized.description,
	...get.description,
	...toggleStatus.description,
	...getOrders.description,
];
