/**
 * Card details for Checkout → Pay (GoBiz card and saved-card modes): the fields, their checks, and
 * keeping the card number and CVC out of every error and output. A card number is only ever shown
 * masked (first six and last four digits, as Revenue Monster labels cards); a CVC never.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { invalidParameter } from '../validation';

export const CARD_COUNTRY_CODE = 'MY';

export interface CardDetails {
	name: string;
	number: string;
	cvc: string;
	month: number;
	year: number;
	save: boolean;
}

export function cardFields(show: IDataObject): INodeProperties[] {
	const displayOptions = { show: { ...show, mode: ['gobizCard'] } };
	return [
		{
			displayName: 'Name on Card',
			name: 'cardName',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'TAN AH KOW',
			description: 'The card holder’s name as printed on the card',
			displayOptions,
		},
		{
			displayName: 'Card Number',
			name: 'cardNumber',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The full card number; spaces and dashes are ignored. It is sent to Revenue Monster only and never shown in outputs or errors. Handling card numbers yourself requires PCI DSS compliance.',
			displayOptions,
		},
		{
			displayName: 'CVC',
			name: 'cardCvc',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The 3 or 4 digit security code; never shown in outputs or errors',
			displayOptions,
		},
		{
			displayName: 'Expiry Month',
			name: 'cardExpiryMonth',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 12 },
			required: true,
			default: 1,
			description: 'Month the card expires, 1 to 12',
			displayOptions,
		},
		{
			displayName: 'Expiry Year',
			name: 'cardExpiryYear',
			type: 'number',
			required: true,
			default: 2030,
			description: 'Year the card expires, four digits (two digits are read as 20xx)',
			displayOptions,
		},
		{
			displayName: 'Save Card',
			name: 'saveCard',
			type: 'boolean',
			default: false,
			description:
				'Whether Revenue Monster keeps the card for later payments (Saved Card mode). Needs the checkout to have been created with a Customer User ID.',
			displayOptions,
		},
	];
}

/** Card number as shown anywhere: first six and last four digits, the rest starred. */
export function maskCardNumber(number: string): string {
	const digits = number.replace(/\D/g, '');
	if (digits.length < 12) return '*'.repeat(digits.length || 4);
	return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

function passesLuhn(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

function wholeNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value.trim());
	return undefined;
}

/** Reads and checks the card fields; errors show the number masked and never the CVC. */
export function readCard(context: IExecuteFunctions, itemIndex: number): CardDetails {
	const name = String(context.getNodeParameter('cardName', itemIndex, '') ?? '').trim();
	if (name === '') throw invalidParameter(context, itemIndex, 'Name on Card', name, 'is required');

	const rawNumber = String(context.getNodeParameter('cardNumber', itemIndex, '') ?? '');
	const number = rawNumber.replace(/[\s-]/g, '');
	if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
		throw invalidParameter(
			context,
			itemIndex,
			'Card Number',
			number === '' ? '' : maskCardNumber(number),
			number === '' ? 'is required' : 'is not a valid card number (check the digits)',
		);
	}

	const cvc = String(context.getNodeParameter('cardCvc', itemIndex, '') ?? '').trim();
	if (!/^\d{3,4}$/.test(cvc)) {
		throw invalidParameter(context, itemIndex, 'CVC', cvc === '' ? '' : '(hidden)', cvc === '' ? 'is required' : 'is not 3 or 4 digits');
	}

	const monthValue = context.getNodeParameter('cardExpiryMonth', itemIndex, undefined, { skipValidation: true });
	const month = wholeNumber(monthValue);
	if (month === undefined || month < 1 || month > 12) {
		throw invalidParameter(context, itemIndex, 'Expiry Month', monthValue, 'is not a month from 1 to 12');
	}
	const yearValue = context.getNodeParameter('cardExpiryYear', itemIndex, undefined, { skipValidation: true });
	let year = wholeNumber(yearValue);
	if (year !== undefined && year < 100) year += 2000;
	if (year === undefined || year < 2000 || year > 2099) {
		throw invalidParameter(context, itemIndex, 'Expiry Year', yearValue, 'is not a four-digit year');
	}
	// A card is valid to the end of its expiry month; UTC is never later than Malaysian time.
	const now = new Date();
	if (year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
		throw invalidParameter(context, itemIndex, 'Expiry Year', `${month}/${year}`, 'is in the past: the card has expired');
	}

	return { name, number, cvc, month, year, save: context.getNodeParameter('saveCard', itemIndex, false) === true };
}

const SECRET_KEYS = new Set(['cvc', 'cvv', 'cvv2', 'securitycode']);

/**
 * The card number as an answer may echo it: its digits, with spaces or dashes between any of them
 * ("4111 1111 1111 1111", "4111-1111-…").
 */
function echoedNumber(number: string): RegExp | undefined {
	const digits = number.replace(/\D/g, '');
	if (digits.length < 12) return undefined;
	return new RegExp(digits.split('').join('[\\s-]{0,3}'), 'g');
}

/** A CVC-like value after its label, in any quoting: `"cvc":"737"`, `CVV: 737`, `cvc=737`, `security code 737`. */
const LABELLED_CVC = /(\b(?:cvc2?|cvv2?|csc|security[\s_-]?code)\b["'\s]*[:=]?["'\s]*)\d{3,4}(?!\d)/gi;

function maskText(text: string, card: Pick<CardDetails, 'number' | 'cvc'>, anywhere: boolean): string {
	const numberPattern = card.number ? echoedNumber(card.number) : undefined;
	let masked = numberPattern ? text.replace(numberPattern, maskCardNumber(card.number)) : text;
	masked = masked.replace(LABELLED_CVC, '$1***');
	// In an error's text the CVC alone is hidden too; outputs keep other numbers (a URL may hold them).
	if (anywhere && /^\d{3,4}$/.test(card.cvc)) {
		masked = masked.replace(new RegExp(`(?<!\\d)${card.cvc}(?!\\d)`, 'g'), '***');
	}
	return masked;
}

/**
 * A copy of `value` with the card number masked wherever it appears (also spaced or dashed), CVC-like
 * keys removed and labelled CVCs starred; with `anywhere`, the bare CVC digits too (error texts).
 * RM answers with masked cards already; this makes sure of it for outputs and errors.
 */
export function withoutCardSecrets<T>(
	value: T,
	card: Pick<CardDetails, 'number' | 'cvc'>,
	options: { anywhere?: boolean } = {},
	depth = 0,
): T {
	if (depth > 20) return value;
	if (typeof value === 'string') return maskText(value, card, options.anywhere === true) as T;
	if (Array.isArray(value)) return value.map((entry) => withoutCardSecrets(entry, card, options, depth + 1)) as T;
	if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		const copy: IDataObject = {};
		for (const [key, entry] of Object.entries(value as IDataObject)) {
			if (SECRET_KEYS.has(key.toLowerCase())) continue;
			copy[key] = withoutCardSecrets(entry, card, options, depth + 1) as IDataObject[keyof IDataObject];
		}
		return copy as T;
	}
	return value;
}

/** Masks the card in an error's message, description and context before it leaves the node. */
export function scrubCardFromError(
	context: IExecuteFunctions,
	itemIndex: number,
	error: unknown,
	card: Pick<CardDetails, 'number' | 'cvc'>,
): NodeApiError | NodeOperationError {
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) {
		const message = withoutCardSecrets(String((error as Error)?.message ?? error), card, { anywhere: true });
		return new NodeOperationError(context.getNode(), message, { itemIndex });
	}
	// RM's sandbox debug for a bad signature repeats the whole request body, also base64-encoded,
	// where masking cannot reach: for a card request it is left out.
	if (card.number && error.context.revenueMonsterDebug !== undefined) {
		delete error.context.revenueMonsterDebug;
		const debugAt = error.description?.indexOf('Revenue Monster debug (sandbox)') ?? -1;
		if (debugAt >= 0) {
			error.description = `${error.description!.slice(0, debugAt)}Revenue Monster's sandbox debug is not shown for card payments: it contains the card details.`;
		}
	}
	const everywhere = { anywhere: true };
	error.message = withoutCardSecrets(error.message, card, everywhere);
	if (typeof error.description === 'string') error.description = withoutCardSecrets(error.description, card, everywhere);
	error.messages = withoutCardSecrets(error.messages, card, everywhere);
	error.context = withoutCardSecrets(error.context, card, everywhere);
	// The raw request (with the card in its body) may hang on these; keep only what is safe.
	delete (error as { errorResponse?: unknown }).errorResponse;
	const cause = (error as { cause?: unknown }).cause;
	if (cause instanceof Error) {
		Object.defineProperty(error, 'cause', {
			value: { name: cause.name, message: withoutCardSecrets(cause.message, card, everywhere) },
			enumerable: false,
			configurable: true,
			writable: true,
		});
	}
	return error;
}
