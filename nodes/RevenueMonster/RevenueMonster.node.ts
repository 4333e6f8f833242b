import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperties } from './actions/operations';
import { LEGACY_REQUEST_OPTIONS, optionsCollection } from './actions/fields';
import { router } from './actions/router';
import { getFpxBanks, getStores } from './methods/loadOptions';

export class RevenueMonster implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Revenue Monster',
		name: 'revenueMonster',
		icon: { light: 'file:../../icons/revenueMonster.svg', dark: 'file:../../icons/revenueMonster.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Charge cards, take payments, refund and look up transactions with Revenue Monster',
		defaults: { name: 'Revenue Monster' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Card Token', value: 'token', description: 'Cards a checkout customer saved' },
					{ name: 'Checkout', value: 'checkout', description: 'Take a payment through a payment page, QR code or bank' },
					{
						name: 'Customer',
						value: 'customer',
						description: 'Customers whose card is saved: billed on a schedule by RM (recurring) or by you (tokenized)',
					},
					{ name: 'FPX Bank', value: 'fpx', description: 'Malaysian online banking (FPX) banks' },
					{ name: 'Order', value: 'order', description: "Charge a customer's saved card now" },
					{ name: 'Transaction', value: 'transaction', description: 'Look up, refund or reverse payments' },
				],
				default: 'customer',
			},
			...operationProperties,
			// Every operation has one "Options" collection; the money operations define theirs with Timeout.
			optionsCollection({ resource: ['customer', 'checkout', 'token', 'fpx'] }),
			optionsCollection({ resource: ['transaction'], operation: ['get', 'getByOrderId', 'getMany'] }),
			LEGACY_REQUEST_OPTIONS,
		],
	};

	methods = { loadOptions: { getStores, getFpxBanks } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
