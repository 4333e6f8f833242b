/**
 * Checks made before any request is sent, so a bad item fails alone, with an error that names the
 * field, the item and the value, and nothing reaches Revenue Monster.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** RM's smallest amount (its MINIMUM_AMOUNT_REQUIRED), in cents and as ringgit. */
export const MINIMUM_AMOUNT = { cents: 10, ringgit: 'RM 0.10' } as const;

function shown(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (value === undefined) return 'nothing';
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

export function invalidParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	rule: string,
): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`Invalid ${field} in item ${itemIndex}: ${shown(value)} ${rule}`,
		{ itemIndex, description: `Nothing was sent to Revenue Monster for item ${itemIndex}.` },
	);
}

/**
 * An amount in integer cents (100 = RM 1.00), at least the minimum. Accepts a number or a string of digits
 * (expressions often yield strings); refuses decimals, negatives, "RM10", "1e3", blanks.
 */
export function amountInCents(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
): number {
	let cents: number | undefined;
	if (typeof value === 'number' && Number.isInteger(value)) cents = value;
	else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) cents = Number(value.trim());
	if (cents === undefined) {
		const hint =
			(typeof value === 'number' || (typeof value === 'string' && /^\s*-?\d*\.\d+\s*$/.test(value)))
				? ` (amounts are whole cents: RM 12.50 is 1250)`
				: '';
		throw invalidParameter(context, itemIndex, field, value, `is not a whole number of cents${hint}`);
	}
	if (!Number.isSafeInteger(cents)) throw invalidParameter(context, itemIndex, field, value, 'is too large');
	if (cents < MINIMUM_AMOUNT.cents) {
		throw invalidParameter(
			context,
			itemIndex,
			field,
			value,
			`is below Revenue Monster's minimum of ${MINIMUM_AMOUNT.cents} cents (${MINIMUM_AMOUNT.ringgit})`,
		);
	}
	return cents;
}

/**
 * Characters as RM's Go server counts them for its length limits: Unicode code points (Go runes).
 * RM's validation is not public; its Go code uses go-playground/validator tags (rm-go-sdk), whose
 * `max` on a string counts runes. So an emoji is 1 (JavaScript's .length says 2), a flag 2, and a
 * lone surrogate 1, since it arrives as U+FFFD (see canonical JSON in transport/signature.ts).
 */
export function characterCount(text: string): number {
	// String iteration yields code points, and a lone surrogate on its own.
	return [...text].length;
}

/** A required or optional text with a maximum length; returns the trimmed text ('' when absent). */
export function textUpTo(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	options: { max?: number; required?: boolean } = {},
): string {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (options.required && text === '') {
		throw invalidParameter(context, itemIndex, field, value, 'is required');
	}
	const length = options.max === undefined ? 0 : characterCount(text);
	if (options.max !== undefined && length > options.max) {
		throw invalidParameter(
			context,
			itemIndex,
			field,
			value,
			`is ${length} characters long; Revenue Monster accepts at most ${options.max}`,
		);
	}
	return text;
}

/** The text in parameter `name` (shown to the user as `label`), checked as textUpTo does. */
export function textFrom(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	rules: { max?: number; required?: boolean } = {},
): string {
	return textUpTo(context, itemIndex, label, context.getNodeParameter(name, itemIndex, ''), rules);
}

/** An absolute http(s) URL, as RM requires for redirect and notify URLs. */
export function absoluteUrl(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	options: { required?: boolean } = { required: true },
): string {
	const text = textUpTo(context, itemIndex, field, value, { required: options.required });
	if (text === '') return text;
	let valid = false;
	try {
		const parsed = new URL(text);
		valid = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
	} catch {
		valid = false;
	}
	if (!valid) throw invalidParameter(context, itemIndex, field, value, 'is not an absolute http(s) URL');
	return text;
}

export function emailAddress(context: IExecuteFunctions, itemIndex: number, field: string, value: unknown): string {
	const text = textUpTo(context, itemIndex, field, value, { required: true });
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) {
		throw invalidParameter(context, itemIndex, field, value, 'is not an email address');
	}
	return text;
}

// ---------------------------------------------------------------------------------------------
// Customers and orders (recurring schedule, currency, choices an expression may fill in)

/** One of a fixed list: options fields can still receive anything through an expression. */
export function oneOfValues<T extends string>(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: readonly T[],
): T {
	const text = typeof value === 'string' ? value.trim() : value;
	if (typeof text === 'string' && (allowed as readonly string[]).includes(text)) return text as T;
	throw invalidParameter(context, itemIndex, field, value, `is not one of ${allowed.join(', ')}`);
}

/** Revenue Monster charges in Malaysian ringgit only. */
export function ringgitCurrency(context: IExecuteFunctions, itemIndex: number, field: string, value: unknown): 'MYR' {
	if (typeof value === 'string' && value.trim() === 'MYR') return 'MYR';
	throw invalidParameter(
		context,
		itemIndex,
		field,
		value,
		'is not a supported currency: Revenue Monster accepts MYR only',
	);
}

/** A whole number of at least `min`, from a number or a string of digits. */
export function wholeNumberAtLeast(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	min: number,
): number {
	let whole: number | undefined;
	if (typeof value === 'number' && Number.isSafeInteger(value)) whole = value;
	else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) whole = Number(value.trim());
	if (whole === undefined || !Number.isSafeInteger(whole)) {
		throw invalidParameter(context, itemIndex, field, value, 'is not a whole number');
	}
	if (whole < min) throw invalidParameter(context, itemIndex, field, value, `is below the minimum of ${min}`);
	return whole;
}

/**
 * The day a recurring customer is charged, as the string RM expects: WEEKLY "0" (Sunday) to "6"
 * (Saturday); MONTHLY "-1" (last day), "0" (first day) or "1" to "28". DAILY takes none: undefined,
 * so nothing is sent. A number from an expression is accepted and sent as its string.
 */
export function recurringTargetFor(
	context: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	interval: 'DAILY' | 'WEEKLY' | 'MONTHLY',
): string | undefined {
	if (interval === 'DAILY') return undefined;
	const text = value === undefined || value === null ? '' : String(value).trim();
	const day = /^-?\d+$/.test(text) ? Number(text) : undefined;
	if (interval === 'WEEKLY' && (day === undefined || day < 0 || day > 6)) {
		throw invalidParameter(
			context,
			itemIndex,
			field,
			value,
			'is not a day of the week for WEEKLY: use "0" (Sunday) to "6" (Saturday)',
		);
	}
	if (interval === 'MONTHLY' && (day === undefined || day < -1 || day > 28)) {
		throw invalidParameter(
			context,
			itemIndex,
			field,
			value,
			'is not a day of the month for MONTHLY: use "-1" (last day), "0" (first day) or "1" to "28"',
		);
	}
	return String(day);
}
