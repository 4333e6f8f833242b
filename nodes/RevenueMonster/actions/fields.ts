/**
 * Fields several operations show, each with its reader beside it. Every factory takes `show` first
 * (the resource and operation it belongs to, plus any other condition), so one call places a field.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	absoluteUrl,
	amountInCents,
	invalidParameter,
	MINIMUM_AMOUNT,
	ringgitCurrency,
	wholeNumberAtLeast,
} from './validation';

export type Show = NonNullable<IDisplayOptions['show']>;

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

/** The Currency field's value, checked: an expression can put anything there. */
export function currencyFrom(context: IExecuteFunctions, itemIndex: number): 'MYR' {
	return ringgitCurrency(context, itemIndex, 'Currency', context.getNodeParameter('currency', itemIndex));
}

/**
 * Amount in cents. No numberPrecision on purpose: the editor would round a typed 12.5 silently, and
 * the value must reach validation as typed. `meaning` starts the description ("How much …").
 */
export function amountField(show: Show, meaning: string, extra?: string): INodeProperties {
	const rule = `${meaning}, in cents: 1000 is RM 10.00. At least ${MINIMUM_AMOUNT.cents} (${MINIMUM_AMOUNT.ringgit}).`;
	return {
		displayName: 'Amount (Cents)',
		name: 'amount',
		type: 'number',
		required: true,
		// Empty, not 0: the user types the amount (n8n marks the empty required field) instead of editing a zero.
		default: null,
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
	if (amount === null || amount === undefined || amount === '') {
		throw invalidParameter(context, itemIndex, 'Amount', amount, 'is empty: type the amount in cents (1000 is RM 10.00)');
	}
	return amountInCents(context, itemIndex, 'Amount', amount);
}

/** A required one-line text field: an ID or a reference the user types or maps. */
function requiredTextField(
	show: Show,
	field: Pick<INodeProperties, 'displayName' | 'name' | 'placeholder' | 'description'>,
): INodeProperties {
	return { ...field, type: 'string', required: true, default: '', displayOptions: { show } };
}

/** Revenue Monster's ID of a recurring or tokenized customer. `description` says which one it is. */
export function customerIdField(show: Show, description: string): INodeProperties {
	return requiredTextField(show, {
		displayName: 'Customer ID',
		name: 'customerId',
		placeholder: '1671703158559365205',
		description,
	});
}

/** Revenue Monster's transactionId of a payment. */
export function transactionIdField(show: Show, description: string): INodeProperties {
	return requiredTextField(show, {
		displayName: 'Transaction ID',
		name: 'transactionId',
		placeholder: '230101123456010000000001',
		description,
	});
}

/** The merchant's own order ID of a payment. */
export function orderIdField(show: Show, description: string): INodeProperties {
	return requiredTextField(show, {
		displayName: 'Order ID',
		name: 'orderId',
		placeholder: 'INV-2024-0001',
		description,
	});
}

/** The checkout ID Checkout → Create outputs. */
export function checkoutIdField(show: Show): INodeProperties {
	return requiredTextField(show, {
		displayName: 'Checkout ID',
		name: 'checkoutId',
		placeholder: '1548316308361173347',
		description: 'The checkoutId in the output of Checkout → Create',
	});
}

/** The checkout customer whose saved cards are listed or deleted. */
export function customerUserIdField(show: Show): INodeProperties {
	return requiredTextField(show, {
		displayName: 'Customer User ID',
		name: 'customerUserId',
		placeholder: 'customer-42',
		description:
			'Your own ID for the customer, as sent in Customer User ID when the checkout that saved the card was created',
	});
}

/** Where the customer's browser goes afterwards. `description` says when, and what the page is (not) proof of. */
export function redirectUrlField(show: Show, placeholder: string, description: string): INodeProperties {
	return requiredTextField(show, { displayName: 'Redirect URL', name: 'redirectUrl', placeholder, description });
}

/** Where Revenue Monster reports payments: a Revenue Monster Trigger's URL. `what` starts the description. */
export function notifyUrlField(show: Show, what: string): INodeProperties {
	return requiredTextField(show, {
		displayName: 'Notify URL',
		name: 'notifyUrl',
		placeholder: 'https://n8n.example.com/webhook/…/notify',
		description: `${what}. Paste the URL of a Revenue Monster Trigger node here.`,
	});
}

/** The Redirect URL and Notify URL fields' values, each checked to be an absolute http(s) URL. */
export function returnUrlsFrom(context: IExecuteFunctions, itemIndex: number): { redirectUrl: string; notifyUrl: string } {
	return {
		redirectUrl: absoluteUrl(context, itemIndex, 'Redirect URL', context.getNodeParameter('redirectUrl', itemIndex)),
		notifyUrl: absoluteUrl(context, itemIndex, 'Notify URL', context.getNodeParameter('notifyUrl', itemIndex)),
	};
}

/** The "Additional Fields" collection of an operation, holding its optional fields. */
export function additionalFieldsCollection(show: Show, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options,
	};
}

/** How many items at once, and a cap on calls per second: every operation has them, in its Options. */
const CONCURRENCY_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 16 },
		default: 1,
		description:
			'How many items are sent to Revenue Monster at the same time. A charge whose outcome is unknown is never retried, whatever this is.',
	},
	{
		displayName: 'Max Requests per Second',
		name: 'maxRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Upper limit on calls to Revenue Monster per second across all items; 0 means no limit',
	},
];

/**
 * The one "Options" collection of an operation: `extra` (e.g. Timeout) plus Concurrency and Max Requests
 * per Second, sorted by name as n8n lists them.
 */
export function optionsCollection(show: Show, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [...extra, ...CONCURRENCY_OPTIONS].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/**
 * Before the options were one collection, Concurrency and Max Requests per Second lived in a node-level
 * "Request Options" (`requestOptions`). Kept as a hidden parameter so n8n does not drop it from saved
 * workflows (it drops parameters the node no longer describes); read when `options` does not set them.
 */
export const LEGACY_REQUEST_OPTIONS: INodeProperties = {
	displayName: 'Request Options (Before Version 0.2)',
	name: 'requestOptions',
	type: 'hidden',
	default: {},
};

/** "Options" for the operations that move money (charge, refund, reverse): Timeout, and `extra`. */
export function timeoutOptions(show: Show, extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection(show, [
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'How long to wait for Revenue Monster’s answer. Without an answer the outcome is unknown and the request is not sent again, so nothing is charged or refunded twice: look the transaction up before retrying.',
		},
		...extra,
	]);
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
