/** Fields several operations show: money, timeouts, the store picker, list limits. */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { amountInCents, invalidParameter, wholeNumberAtLeast } from './validation';

type Show = NonNullable<IDisplayOptions['show']>;

/** Currency: MYR is the only one Revenue Monster takes for these calls. `what` ends "Currency of the …". */
export function currencyField(show: Show, what: string): INodeProperties {
	return {
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		options: [{ name: 'MYR (Malaysian Ringgit)', value: 'MYR' }],
		default: 'MYR',
		description: `Currency of the ${what}`,
		displayOptions: { show },
	};
}

/**
 * Amount in cents. No numberPrecision on purpose: the editor would round a typed 12.5 silently, and
 * the value must reach validation as typed. `meaning` starts the description ("How much …").
 */
export function amountField(show: Show, meaning: string, extra?: string): INodeProperties {
	const rule = `${meaning}, in cents: 1000 is RM 10.00. At least 10 (RM 0.10).`;
	return {
		displayName: 'Amount (Cents)',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 0 },
		placeholder: '1000',
		description: extra ? [rule, extra].join(' ') : rule,
		displayOptions: { show },
	};
}

/**
 * The Amount field's value in cents, validated. Read unvalidated by n8n, so "RM10" or "12.50" from an
 * expression gets our error naming the field, the item and the value.
 */
export function amountFrom(context: IExecuteFunctions, itemIndex: number): number {
	const amount = context.getNodeParameter('amount', itemIndex, undefined, { skipValidation: true });
	return amountInCents(context, itemIndex, 'Amount', amount);
}

/** "Options → Timeout" for the operations that move money (charge, refund, reverse). */
export function timeoutOptions(show: Show): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description:
					'How long to wait for Revenue Monster’s answer. Without an answer the outcome is unknown and the request is not sent again, so nothing is charged or refunded twice: look the transaction up before retrying.',
			},
		],
	};
}

/** The timeout in milliseconds for the transport, or undefined for its default. */
export function timeoutFrom(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.timeout === undefined || options.timeout === '') return undefined;
	const seconds = Number(options.timeout);
	if (!Number.isFinite(seconds) || seconds <= 0) {
		throw invalidParameter(context, itemIndex, 'Timeout (Seconds)', options.timeout, 'is not a positive number of seconds');
	}
	return Math.round(seconds * 1000);
}

/** The store picker, loaded live from RM; an ID by expression works too. `purpose` ends "The store …". */
export function storeIdField(show: Show, purpose: string): INodeProperties {
	return {
		displayName: 'Store Name or ID',
		name: 'storeId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStores' },
		required: true,
		default: '',
		description: `The store ${purpose}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		displayOptions: { show },
	};
}

/** Return All and Limit, for the operations that follow RM's list cursor. */
export function listFields(show: Show): INodeProperties[] {
	return [
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
}

/** How many elements to return: undefined for all. */
export function listLimitFrom(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex, 50, { skipValidation: true });
	return wholeNumberAtLeast(context, itemIndex, 'Limit', limit, 1);
}
