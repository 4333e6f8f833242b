/** The Currency and Amount fields every money-moving operation shows, worded for what it does. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

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
