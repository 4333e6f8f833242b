import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../types';
import * as create from './create.operation';
import * as get from './get.operation';
import * as pay from './pay.operation';

export const operations: ResourceOperations = { create, get, pay };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['checkout'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Open a Revenue Monster payment page for one order and get its link to send the customer. No money moves until they pay.',
				action: 'Create a checkout',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Look up a checkout: whether it was paid, and the transaction ID once it is',
				action: 'Get a checkout',
			},
			{
				name: 'Pay',
				value: 'pay',
				description:
					'Pay a checkout one chosen way: a link or QR code for one e-wallet, DuitNow QR, an FPX bank, or a card charged at once',
				action: 'Pay a checkout',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...pay.description,
];
