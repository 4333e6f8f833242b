/** The Currency and Amount fields every money-moving operation shows, worded for what it does. */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter } from './validation';

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
