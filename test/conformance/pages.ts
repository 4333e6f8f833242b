/**
 * Revenue Monster's pages, as data: for each endpoint, one row per row of the page's request table
 * (name with its nesting, JSON type, required, enum, maximum length), and the page's example bodies.
 * Sources (RevenueMonster/doc-v2 on GitHub, the sites docs.revenuemonster.my / doc.revenuemonster.my):
 * - "Create Recurring Customer"   docs/payment/customer/recurringpayment/create-recurring-customer.md
 * - "Create Tokenized Customer"   docs/payment/customer/tokenizedpayment/create-tokenized-customer.md
 * - "Create Customer Order"       docs/payment/customer/create-adhoc-order.md
 * - "Online Payment"              docs/v2/payment/online-payment.md (Hosted Payment Checkout, Direct
 *                                 Payment Checkout modes; "GoBiz w/ Card" and "GoBiz w/ Token" as
 *                                 published until commit 43387ff, May 2024)
 * - "Refund"                      docs/payment/refund.mdx
 * Where the node deliberately sends something else, the row says so (`nodeSends`) with its source,
 * and the README's API notes name the choice.
 */
export type JsonType = 'string' | 'integer' | 'boolean' | 'array' | 'object';

export interface FieldRow {
	/** dotted path: `card.isSave`, `order.amount` */
	field: string;
	type: JsonType;
	required: boolean;
	enum?: Array<string | boolean>;
	max?: number;
	/** the node sends this type instead of the page's, on purpose (see README, API notes) */
	nodeSends?: JsonType;
	/** the value the page's example sends, which the node must send with its default parameters */
	example?: unknown;
	/** the field has a meaning only when another field has one of these values; otherwise it is not sent */
	onlyWhen?: { field: string; values: string[] };
}

export interface Deviation {
	field: string;
	/** why the node differs from the page, with the source it follows instead */
	because: string;
}

export interface PageEndpoint {
	page: string;
	method: 'POST' | 'DELETE';
	/** path as the simulator sees it (ids filled in by the test) */
	path: string;
	rows: FieldRow[];
	/** fields the node sends that the page does not list, or leaves out although listed, with why */
	deviations?: Deviation[];
	/** the page's example request bodies, replayed through the simulator */
	examples?: Array<Record<string, unknown>>;
	/** the fields of `item` in the page's response table, which the node's output must carry */
	answer?: string[];
}

const AMOUNT_AS_INTEGER =
	'the 2022 page types amount as String; the 2026 page and RM Go SDK (int64) as an integer; the node sends an integer';

export const PAGES: Record<string, PageEndpoint> = {
	createRecurringCustomer: {
		page: 'Create Recurring Customer',
		method: 'POST',
		path: '/v3/recurring-payment',
		rows: [
			{ field: 'storeId', type: 'string', required: true },
			{ field: 'email', type: 'string', required: true },
			{ field: 'name', type: 'string', required: false },
			{ field: 'countryCode', type: 'string', required: false },
			{ field: 'phoneNumber', type: 'string', required: false },
			{ field: 'productName', type: 'string', required: false },
			{ field: 'productDescription', type: 'string', required: false },
			{ field: 'currency', type: 'string', required: true, enum: ['MYR'] },
			{ field: 'amount', type: 'string', required: true, nodeSends: 'integer' },
			{ field: 'redirectUrl', type: 'string', required: true },
			{ field: 'notifyUrl', type: 'string', required: true },
			{ field: 'recurringInterval', type: 'string', required: true, enum: ['MONTHLY', 'WEEKLY', 'DAILY'] },
			// "Recurring Target Rules" name values for WEEKLY and MONTHLY only.
			{ field: 'recurringTarget', type: 'string', required: false, onlyWhen: { field: 'recurringInterval', values: ['WEEKLY', 'MONTHLY'] } },
			{ field: 'recurringRepetition', type: 'integer', required: false },
		],
		deviations: [{ field: 'amount', because: AMOUNT_AS_INTEGER }],
	},
	createTokenizedCustomer: {
		page: 'Create Tokenized Customer',
		method: 'POST',
		path: '/v3/tokenized-payment',
		rows: [
			{ field: 'storeId', type: 'string', required: true },
			{ field: 'email', type: 'string', required: true },
			{ field: 'name', type: 'string', required: false },
			{ field: 'countryCode', type: 'string', required: false },
			{ field: 'phoneNumber', type: 'string', required: false },
			{ field: 'productName', type: 'string', required: false },
			{ field: 'productDescription', type: 'string', required: false },
			{ field: 'currency', type: 'string', required: true, enum: ['MYR'] },
			{ field: 'amount', type: 'string', required: true },
			{ field: 'redirectUrl', type: 'string', required: true },
			{ field: 'notifyUrl', type: 'string', required: true },
		],
		deviations: [
			{
				field: 'currency',
				because:
					"listed as required, but a tokenized customer has no amount of its own (each charge names one); RM's Go SDK RequestCreateTokenizedPaymentCustomer has no currency",
			},
			{ field: 'amount', because: "as currency: RM's Go SDK RequestCreateTokenizedPaymentCustomer has no amount" },
		],
	},
	createCustomerOrder: {
		page: 'Create Customer Order',
		method: 'POST',
		path: '/v3/customer/{customerId}/order',
		rows: [
			{ field: 'currency', type: 'string', required: true, enum: ['MYR'] },
			{ field: 'amount', type: 'string', required: true, nodeSends: 'integer' },
		],
		deviations: [
			{ field: 'amount', because: AMOUNT_AS_INTEGER },
			{ field: 'title', because: "RM's Go SDK RequestCreateOrderWithTokenizedCustomer sends title" },
			{ field: 'description', because: "RM's Go SDK RequestCreateOrderWithTokenizedCustomer sends description" },
		],
	},
	hostedCheckout: {
		page: 'Online Payment: Hosted Payment Checkout',
		method: 'POST',
		path: '/v3/payment/online',
		rows: [
			{ field: 'storeId', type: 'string', required: true },
			{ field: 'redirectUrl', type: 'string', required: true },
			{ field: 'notifyUrl', type: 'string', required: true },
			{ field: 'layoutVersion', type: 'string', required: true, enum: ['v1', 'v2', 'v3', 'v4'] },
			{ field: 'type', type: 'string', required: true, enum: ['WEB_PAYMENT', 'MOBILE_PAYMENT'] },
			{ field: 'method', type: 'array', required: false },
			{ field: 'order.id', type: 'string', required: true, max: 24 },
			{ field: 'order.title', type: 'string', required: true, max: 32 },
			{ field: 'order.currencyType', type: 'string', required: true, enum: ['MYR'] },
			{ field: 'order.amount', type: 'integer', required: true },
			{ field: 'order.detail', type: 'string', required: false, max: 600 },
			{ field: 'order.additionalData', type: 'string', required: false, max: 128 },
			{ field: 'customer.userId', type: 'string', required: false },
			{ field: 'customer.email', type: 'string', required: false },
			{ field: 'customer.countryCode', type: 'string', required: false },
			{ field: 'customer.phoneNumber', type: 'string', required: false },
		],
		answer: ['checkoutId', 'url'],
		examples: [
			// 2022 "Web/Mobile Payment Transaction" page's example request.
			{
				order: { title: 'hello', detail: 'hello', additionalData: 'world', amount: 100, currencyType: 'MYR', id: '{orderId}' },
				customer: { userId: '13245876', email: '', countryCode: '', phoneNumber: '' },
				method: [],
				type: 'WEB_PAYMENT',
				storeId: '{storeId}',
				redirectUrl: 'https://google.com',
				notifyUrl: 'https://google.com',
				layoutVersion: 'v3',
			},
		],
	},
	payUrl: {
		page: 'Online Payment: Direct Payment Checkout, Mode: URL',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['URL'] },
			{ field: 'method', type: 'string', required: true },
		],
		examples: [{ checkoutId: '{checkoutId}', type: 'URL', method: 'ALIPAYPLUS_MY' }],
	},
	payQrCode: {
		page: 'Online Payment: Direct Payment Checkout, Mode: QRCode',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['QRCODE'] },
			{ field: 'method', type: 'string', required: true },
		],
		examples: [{ checkoutId: '{checkoutId}', type: 'QRCODE', method: 'MAYBANK_MY' }],
	},
	payDuitNowQr: {
		page: 'Online Payment: Direct Payment Checkout, Mode: DuitNow QR',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['DUITNOW_QRCODE'] },
			{ field: 'method', type: 'string', required: true, enum: ['MAYBANK_MY'] },
		],
		examples: [{ checkoutId: '{checkoutId}', method: 'MAYBANK_MY', type: 'DUITNOW_QRCODE' }],
	},
	payMiniProgram: {
		page: 'Online Payment: Direct Payment Checkout, Mode: WechatPay Mini Program',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['MINI_PROGRAM'] },
			{ field: 'method', type: 'string', required: true },
			// Required for WeChat only: the Alipay mode's table has no userId.
			{ field: 'userId', type: 'string', required: false },
		],
		examples: [
			{ checkoutId: '{checkoutId}', type: 'MINI_PROGRAM', method: 'ALIPAY_CN' },
			{ checkoutId: '{checkoutId}', type: 'MINI_PROGRAM', method: 'WECHATPAY_CN', userId: 'oFGqK6w1kZyjDTtNAcOXBDHAa8CY' },
		],
	},
	payFpx: {
		page: 'Online Payment: Direct Payment Checkout, Mode: FPX',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['URL'] },
			{ field: 'method', type: 'string', required: true, enum: ['FPX_MY'] },
			{ field: 'fpx.bankCode', type: 'string', required: true },
		],
		examples: [{ checkoutId: '{checkoutId}', method: 'FPX_MY', type: 'URL', fpx: { bankCode: 'TEST0021' } }],
	},
	payGoBiz: {
		page: 'Online Payment: Direct Payment Checkout, Mode: GoBiz',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['URL'] },
			{ field: 'method', type: 'string', required: true, enum: ['GOBIZ_MY', 'PAYDEE_MY'] },
			{ field: 'gobiz.type', type: 'string', required: true, enum: ['UNIVERSAL_PAYMENT'] },
		],
		examples: [{ checkoutId: '{checkoutId}', method: 'GOBIZ_MY', type: 'URL', gobiz: { type: 'UNIVERSAL_PAYMENT' } }],
	},
	payGoBizCard: {
		page: 'Online Payment: Direct Payment Checkout, Mode: GoBiz w/ Card',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['URL'] },
			{ field: 'method', type: 'string', required: true, enum: ['GOBIZ_MY'] },
			{ field: 'gobiz.type', type: 'string', required: true, enum: ['UNIVERSAL_PAYMENT'] },
			{ field: 'card.isToken', type: 'boolean', required: true, enum: [false] },
			{ field: 'card.isSave', type: 'boolean', required: true },
			{ field: 'card.no', type: 'string', required: true },
			{ field: 'card.cvc', type: 'string', required: true },
			// Not in the table, but in the page's own example request (and RM's Go SDK sends it).
			{ field: 'card.name', type: 'string', required: false },
			{ field: 'card.month', type: 'integer', required: true },
			{ field: 'card.year', type: 'integer', required: true },
			{ field: 'card.countryCode', type: 'string', required: true, enum: ['MY'] },
		],
		answer: ['type', 'url'],
		examples: [
			{
				checkoutId: '{checkoutId}',
				method: 'GOBIZ_MY',
				type: 'URL',
				gobiz: { type: 'UNIVERSAL_PAYMENT' },
				card: {
					isToken: false,
					isSave: true,
					name: 'Test Card',
					no: '5453010000095323',
					cvc: '123',
					month: 12,
					year: 2024,
					countryCode: 'MY',
				},
			},
		],
	},
	payGoBizToken: {
		page: 'Online Payment: Direct Payment Checkout, Mode: GoBiz w/ Token',
		method: 'POST',
		path: '/v3/payment/online/checkout',
		rows: [
			{ field: 'checkoutId', type: 'string', required: true },
			{ field: 'type', type: 'string', required: true, enum: ['URL'] },
			{ field: 'method', type: 'string', required: true, enum: ['GOBIZ_MY'] },
			{ field: 'gobiz.type', type: 'string', required: true, enum: ['DIRECT_PAYMENT'] },
			{ field: 'card.isToken', type: 'boolean', required: true, enum: [true] },
			// "Save the token after made transaction else will delete"; the example sends true.
			{ field: 'card.isSave', type: 'boolean', required: true, example: true },
			{ field: 'card.no', type: 'string', required: true },
		],
		examples: [
			{
				checkoutId: '{checkoutId}',
				method: 'GOBIZ_MY',
				type: 'URL',
				gobiz: { type: 'DIRECT_PAYMENT' },
				card: { isToken: true, isSave: true, no: '{token}' },
			},
		],
	},
	deleteToken: {
		page: 'Online Payment: Card-on-File Tokenization, Delete Customer Token',
		method: 'DELETE',
		path: '/v3/payment/tokens/{userId}',
		rows: [{ field: 'token', type: 'string', required: true }],
		examples: [{ token: '{token}' }],
	},
	refund: {
		page: 'Refund',
		method: 'POST',
		path: '/v3/payment/refund',
		rows: [
			{ field: 'transactionId', type: 'string', required: true },
			{ field: 'refund.type', type: 'string', required: true, enum: ['FULL', 'PARTIAL'] },
			{ field: 'refund.currencyType', type: 'string', required: true, enum: ['MYR'] },
			{ field: 'refund.amount', type: 'integer', required: true },
			{ field: 'reason', type: 'string', required: true },
		],
	},
};

function jsonTypeOf(value: unknown): JsonType | 'null' | 'number' {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	if (typeof value === 'object') return 'object';
	return typeof value as JsonType;
}

function at(body: Record<string, unknown>, field: string): unknown {
	return field.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), body);
}

/** Every leaf path of a body (objects are walked; arrays are leaves). */
function leaves(value: Record<string, unknown>, prefix = ''): string[] {
	return Object.entries(value).flatMap(([key, entry]) =>
		entry && typeof entry === 'object' && !Array.isArray(entry)
			? leaves(entry as Record<string, unknown>, `${prefix}${key}.`)
			: [`${prefix}${key}`],
	);
}

/**
 * What differs between a body and the page, one line per finding: a required field missing, a wrong
 * JSON type, a value outside the enum, text over the maximum, a field the page does not list.
 * Deviations the endpoint names (with their reason) are not findings.
 */
export function findingsFor(
	endpoint: PageEndpoint,
	body: Record<string, unknown>,
	options: { asNode: boolean; defaults?: boolean },
): string[] {
	const excused = new Set((endpoint.deviations ?? []).map((deviation) => deviation.field));
	const findings: string[] = [];
	for (const row of endpoint.rows) {
		const value = at(body, row.field);
		if (row.onlyWhen && value !== undefined && !row.onlyWhen.values.includes(String(at(body, row.onlyWhen.field)))) {
			findings.push(`${row.field}: sent with ${row.onlyWhen.field} ${JSON.stringify(at(body, row.onlyWhen.field))}, where it has no meaning`);
			continue;
		}
		if (options.defaults && row.example !== undefined && value !== row.example) {
			findings.push(`${row.field}: ${JSON.stringify(value)} by default, the page's example sends ${JSON.stringify(row.example)}`);
		}
		if (value === undefined) {
			if (row.required && !(options.asNode && excused.has(row.field))) findings.push(`${row.field}: required, missing`);
			continue;
		}
		const expected = options.asNode && row.nodeSends ? row.nodeSends : row.type;
		const actual = jsonTypeOf(value);
		if (actual !== expected) findings.push(`${row.field}: ${actual}, the page says ${expected}`);
		if (row.enum && !row.enum.includes(value as string | boolean)) {
			findings.push(`${row.field}: ${JSON.stringify(value)} is not one of ${JSON.stringify(row.enum)}`);
		}
		if (row.max !== undefined && typeof value === 'string' && [...value].length > row.max) {
			findings.push(`${row.field}: ${[...value].length} characters, the page allows ${row.max}`);
		}
	}
	const listed = new Set(endpoint.rows.map((row) => row.field));
	for (const path of leaves(body)) {
		if (!listed.has(path) && !(options.asNode && excused.has(path))) findings.push(`${path}: sent, but the page does not list it`);
	}
	return findings;
}
