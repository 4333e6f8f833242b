/**
 * Revenue Monster's answers, as data (issue #22 part 4): for each endpoint the node reads, where the
 * answer's data sits (`item` object, `item` array, `item` map, `items` list with `meta.cursor`) and the
 * JSON type of every field the page shows, so a test checks the shape of what comes back, not only that
 * a field is there.
 *
 * Rows come from the seed pages first — the pages the product was built from, revenue-monster-api.md §6
 * ("each is one of the seed pages the product is built from"): the charge at its three paths. Rows taken
 * from RM's doc-v2 repository (RevenueMonster/doc-v2 on GitHub, docs.revenuemonster.my) are marked
 * `source: 'doc-v2'`.
 *
 * Seed ids: pages.ts names no S001/S002, so this table names them, in the order §6 lists the charge's
 * seed pages after the SDKs' default: S001 = "Create Recurring Adhoc Order" (2022 docs,
 * `POST /v3/recurring-payment/{id}/order`), S002 = "Customer — Create Order (Payment)" (2026 docs,
 * `POST /v3/recurring-payment/{id}/charge`).
 */
export type FieldType = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'time';

export interface FieldShape {
	type: FieldType;
	enum?: string[];
}

export interface ResponseShape {
	page: string;
	source: 'seed' | 'doc-v2';
	/** the seed's id for the page, where it has one */
	seed?: 'S001' | 'S002';
	method: 'GET' | 'POST' | 'PUT';
	/** as the simulator sees it; {customerId}, {transactionId}, {orderId}, {checkoutId}, {userId}, {storeId} filled in */
	path: string;
	/** where the data is: an object, an array or a map (code → object) under `item`, or `items` with `meta.cursor` */
	container: 'itemObject' | 'itemArray' | 'itemMap' | 'items';
	/** dotted paths of every entry (or of the one object) and their types */
	fields: Record<string, FieldType | FieldShape>;
}

const TRANSACTION_STATUSES = ['SUCCESS', 'FAILED', 'IN_PROCESS', 'FULL_REFUNDED', 'PARTIAL_REFUNDED', 'REVERSED'];

/** The Transaction object (revenue-monster-api.md §6, "Transaction object"). */
const TRANSACTION: ResponseShape['fields'] = {
	transactionId: 'string',
	referenceId: 'string',
	'order.id': 'string',
	'order.title': 'string',
	'order.detail': 'string',
	'order.additionalData': 'string',
	'order.amount': 'integer',
	currencyType: 'string',
	balanceAmount: 'integer',
	finalAmount: 'integer',
	platform: 'string',
	type: 'string',
	method: 'string',
	region: { type: 'string', enum: ['MALAYSIA', 'CHINA', 'SINGAPORE'] },
	status: { type: 'string', enum: TRANSACTION_STATUSES },
	source: 'string',
	'payee.userId': 'string',
	store: 'object',
	extraInfo: 'object',
	transactionAt: 'time',
	createdAt: 'time',
	updatedAt: 'time',
};

/** A charge of the bound card answers a Transaction of type RECURRING_PAYMENT (§6). */
const CHARGE: ResponseShape['fields'] = {
	...TRANSACTION,
	type: { type: 'string', enum: ['RECURRING_PAYMENT'] },
	'extraInfo.card': 'object',
};

export const RESPONSES: Record<string, ResponseShape> = {
	// --- the seed pages: the charge at its three published paths
	chargeS001: {
		page: 'Create Recurring Adhoc Order',
		source: 'seed',
		seed: 'S001',
		method: 'POST',
		path: '/v3/recurring-payment/{customerId}/order',
		container: 'itemObject',
		fields: CHARGE,
	},
	chargeS002: {
		page: 'Customer — Create Order (Payment)',
		source: 'seed',
		seed: 'S002',
		method: 'POST',
		path: '/v3/recurring-payment/{customerId}/charge',
		container: 'itemObject',
		fields: CHARGE,
	},
	chargeCustomerOrder: {
		page: 'Create Customer Order',
		source: 'seed',
		method: 'POST',
		path: '/v3/customer/{customerId}/order',
		container: 'itemObject',
		fields: CHARGE,
	},
	// --- doc-v2 pages: the GET endpoints
	getCustomer: {
		page: 'Get Customer',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/customer/{customerId}',
		container: 'itemObject',
		fields: { id: 'string', isActive: 'boolean', email: 'string', name: 'string', label: 'string', createdAt: 'time', updatedAt: 'time' },
	},
	toggleCustomer: {
		page: 'Toggle Customer Status',
		source: 'doc-v2',
		method: 'PUT',
		path: '/v3/customer/{customerId}/status',
		container: 'itemObject',
		fields: { id: 'string', isActive: 'boolean' },
	},
	getCustomerOrders: {
		page: 'Get Customer Orders',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/customer/{customerId}/orders',
		container: 'items',
		fields: {
			id: 'string',
			status: { type: 'string', enum: ['SUCCESS', 'FAILED', 'IN_PROCESS'] },
			amount: 'integer',
			currency: 'string',
			transactionId: 'string',
			checkoutId: 'string',
			paymentUrl: 'string',
			recurringReference: 'string',
			createdAt: 'time',
		},
	},
	getTransaction: {
		page: 'Query Transaction By ID',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/payment/transaction/{transactionId}',
		container: 'itemObject',
		fields: TRANSACTION,
	},
	getTransactionByOrderId: {
		page: 'Query Transaction By Order ID',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/payment/transaction/order/{orderId}',
		container: 'itemObject',
		fields: TRANSACTION,
	},
	getTransactions: {
		page: 'Get All Transactions',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/payment/transactions?limit=5',
		container: 'items',
		fields: TRANSACTION,
	},
	getCheckout: {
		page: 'Online Payment: Query Checkout',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/payment/online?checkoutId={checkoutId}',
		container: 'itemObject',
		fields: {
			id: 'string',
			type: 'string',
			transactionId: 'string',
			order: 'object',
			platform: 'string',
			method: 'array',
			redirectUrl: 'string',
			notifyUrl: 'string',
			startAt: 'time',
			status: 'string',
			createdAt: 'time',
			updatedAt: 'time',
		},
	},
	getFpxBanks: {
		page: 'Online Payment: FPX Bank List',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/payment/fpx-bank',
		container: 'itemMap',
		fields: { code: 'string', isOnline: 'boolean', name: 'string' },
	},
	getTokens: {
		page: 'Card-on-File Tokenization: Get Customer Tokens',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/payment/tokens/{userId}',
		container: 'itemArray',
		fields: {
			id: 'string',
			label: 'string',
			provider: 'string',
			token: 'string',
			country: 'string',
			createdAt: 'time',
			updatedAt: 'time',
			'card.name': 'string',
			'card.method': 'string',
			'card.lastFourNo': 'string',
			'card.expMonth': 'integer',
			'card.expYear': 'integer',
		},
	},
	getMerchant: {
		page: 'Merchant Profile',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/merchant',
		container: 'itemObject',
		fields: { id: 'string', companyName: 'string', status: 'string' },
	},
	getStores: {
		page: 'Get Stores',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/stores',
		container: 'items',
		fields: { id: 'string', name: 'string', status: 'string' },
	},
	getStore: {
		page: 'Get Store By ID',
		source: 'doc-v2',
		method: 'GET',
		path: '/v3/store/{storeId}',
		container: 'itemObject',
		fields: { id: 'string', name: 'string', status: 'string' },
	},
};

function typeOf(value: unknown): FieldType | 'null' | 'number' | 'undefined' {
	if (value === undefined) return 'undefined';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value as FieldType;
}

function at(value: unknown, field: string): unknown {
	return field.split('.').reduce<unknown>((current, key) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), value);
}

/** RFC 3339 with seconds and a zone (what RM's Go server writes). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** One line per difference between an answer and the page's shape: container, field types, enums, times. */
export function responseFindings(shape: ResponseShape, answer: Record<string, unknown>): string[] {
	const findings: string[] = [];
	if (answer.error !== undefined) return [`answered an error: ${JSON.stringify(answer.error)}`];
	if (answer.code !== 'SUCCESS') findings.push(`code: ${JSON.stringify(answer.code)}, the page says "SUCCESS"`);
	let entries: Array<[string, unknown]>;
	const item = answer.item;
	switch (shape.container) {
		case 'items':
			if (!Array.isArray(answer.items)) return [...findings, `items: ${typeOf(answer.items)}, the page says array`];
			if (item !== undefined) findings.push('item: sent beside items');
			if (typeOf(at(answer, 'meta.cursor')) !== 'string') findings.push(`meta.cursor: ${typeOf(at(answer, 'meta.cursor'))}, the page says string`);
			entries = (answer.items as unknown[]).map((entry, index) => [`items[${index}]`, entry]);
			break;
		case 'itemArray':
			if (!Array.isArray(item)) return [...findings, `item: ${typeOf(item)}, the page says array`];
			entries = item.map((entry, index) => [`item[${index}]`, entry]);
			break;
		case 'itemMap':
			if (typeOf(item) !== 'object') return [...findings, `item: ${typeOf(item)}, the page says a map of objects`];
			entries = Object.entries(item as Record<string, unknown>).map(([key, entry]) => [`item.${key}`, entry]);
			break;
		default:
			if (typeOf(item) !== 'object') return [...findings, `item: ${typeOf(item)}, the page says object`];
			entries = [['item', item]];
	}
	if (entries.length === 0) findings.push('no entry to check (the test must set one up)');
	for (const [where, entry] of entries) {
		for (const [field, expected] of Object.entries(shape.fields)) {
			const { type, enum: allowed } = typeof expected === 'string' ? { type: expected, enum: undefined } : expected;
			const value = at(entry, field);
			const actual = typeOf(value);
			if (type === 'time') {
				if (typeof value !== 'string' || !RFC3339.test(value)) findings.push(`${where}.${field}: ${JSON.stringify(value)}, the page says an RFC 3339 time`);
			} else if (actual !== type) {
				findings.push(`${where}.${field}: ${actual}, the page says ${type}`);
			}
			if (allowed && !allowed.includes(value as string)) findings.push(`${where}.${field}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`);
		}
	}
	return findings;
}
