/** The simulator's Open API endpoints (revenue-monster-api.md §6), answering with RM's shapes. */
import { qrPngOf } from './qr';
import { customerOrdersAnswer } from './orders-list';
import { RmError } from './rm-error';
import { transactionsListPage } from './transactions-list';
import type { Fault, FaultKind } from './faults';
import type { Checkout, Customer, CustomerOrder, Json, SimulatorState, Transaction } from './state';

/**
 * What the routes use of the simulator. RevenueMonsterSimulator (server.ts) is one; naming it here
 * keeps routes.ts from importing server.ts, which imports routes.ts.
 */
export interface RouteHost {
	readonly state: SimulatorState;
	readonly options: { readonly pageSize: number };
	nowMs(): number;
	notifyInBackground(url: string, body: Json): void;
	payCheckout(checkoutId: string, method: string): Json;
	takeFault(method: string, path: string, kinds?: FaultKind[]): Fault | undefined;
}

export interface ApiRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	body: Json | undefined;
	/** scheme://host:port the client used, for URLs the simulator hands out */
	origin: string;
}

type Handler = (sim: RouteHost, request: ApiRequest, params: string[]) => Json | Promise<Json>;

const routes: Array<[string, RegExp, Handler]> = [];
function route(method: string, pattern: string, handler: Handler): void {
	const regex = new RegExp('^' + pattern.replace(/:\w+/g, '([^/]+)') + '$');
	routes.push([method, regex, handler]);
}

export async function handleApiRoute(sim: RouteHost, request: ApiRequest): Promise<Json> {
	for (const [method, regex, handler] of routes) {
		const match = regex.exec(request.path);
		if (match && method === request.method) {
			return await handler(sim, request, match.slice(1).map(decodeURIComponent));
		}
	}
	throw new RmError(404, 'NOT_FOUND', `no route ${request.method} ${request.path}`);
}

// ---------------------------------------------------------------------------------------------
// Validation as RM does it: VALIDATION_ERROR with the field, MINIMUM_AMOUNT_REQUIRED below 10.

function fail(field: string, problem: string): never {
	throw new RmError(400, 'VALIDATION_ERROR', `${field} ${problem}`);
}

function text(body: Json, field: string, options: { required?: boolean; max?: number } = {}): string {
	const value = body[field];
	if (value === undefined || value === null || value === '') {
		if (options.required) fail(field, 'is required');
		return '';
	}
	if (typeof value !== 'string') fail(field, 'must be a string');
	// Limits in Unicode code points, as Go's validators count runes (see characterCount in the node).
	if (options.max !== undefined && [...value].length > options.max) fail(field, `must be at most ${options.max} characters`);
	return value;
}

function amount(body: Json, field = 'amount'): number {
	const value = body[field];
	if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, 'must be an integer number of cents');
	if (value < 10) throw new RmError(400, 'MINIMUM_AMOUNT_REQUIRED', 'minimum amount is 10');
	return value;
}

/**
 * `amount` where the pages disagree on its type: the 2022 "Create Recurring Customer" page types it as
 * String ("100"), the 2026 page and RM's Go SDK as an integer. Both are accepted (README, API notes);
 * the cents it names are checked the same way, and the node sends the integer.
 */
function amountNumberOrDigits(body: Json, field = 'amount'): number {
	const value = body[field];
	if (typeof value === 'string' && /^\d+$/.test(value)) return amount({ [field]: Number(value) }, field);
	return amount(body, field);
}

function currency(body: Json, field: string): string {
	const value = text(body, field, { required: true });
	if (value !== 'MYR') fail(field, 'must be MYR');
	return value;
}

function url(body: Json, field: string, required = true): string {
	const value = text(body, field, { required });
	if (value && !/^https?:\/\/\S+$/.test(value)) fail(field, 'must be an absolute http(s) URL');
	return value;
}

function requireBody(request: ApiRequest): Json {
	if (!request.body || typeof request.body !== 'object') fail('body', 'is required');
	return request.body;
}

function store(sim: RouteHost, body: Json): string {
	const storeId = text(body, 'storeId', { required: true });
	if (!sim.state.storeById(storeId)) throw new RmError(404, 'STORE_NOT_FOUND', 'store not found');
	return storeId;
}

/** `{items, meta{cursor,count}}` with a real cursor (the offset, base64). */
function page<T extends Json>(sim: RouteHost, all: T[], query: URLSearchParams): Json {
	const limit = Math.min(Number(query.get('limit')) || sim.options.pageSize, 100);
	const cursor = query.get('cursor');
	const start = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8')) : 0;
	if (!Number.isInteger(start) || start < 0) fail('cursor', 'is invalid');
	const items = all.slice(start, start + limit);
	const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : '';
	return { items, code: 'SUCCESS', meta: { cursor: next, count: all.length } };
}

const ok = (item: unknown): Json => ({ item, code: 'SUCCESS' });

// ---------------------------------------------------------------------------------------------
// Merchant and stores

route('GET', '/v3/merchant', (sim) => ok(sim.state.merchant));
route('GET', '/v3/stores', (sim, request) => page(sim, sim.state.stores, request.query));
route('GET', '/v3/store/:id', (sim, _request, [id]) => {
	const found = sim.state.storeById(id);
	if (!found) throw new RmError(404, 'STORE_NOT_FOUND', 'store not found');
	return ok(found);
});

// ---------------------------------------------------------------------------------------------
// Customers whose card is bound

function createCustomer(sim: RouteHost, request: ApiRequest, kind: Customer['kind']): Json {
	const body = requireBody(request);
	const storeId = store(sim, body);
	const email = text(body, 'email', { required: true });
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail('email', 'is not an email address');
	const now = sim.state.now();
	const id = sim.state.nextId();
	const customer: Customer = {
		id,
		kind,
		isActive: false,
		bound: false,
		storeId,
		email,
		name: text(body, 'name'),
		countryCode: text(body, 'countryCode'),
		phoneNumber: text(body, 'phoneNumber'),
		productName: text(body, 'productName'),
		productDescription: text(body, 'productDescription'),
		redirectUrl: url(body, 'redirectUrl'),
		notifyUrl: url(body, 'notifyUrl'),
		paymentUrl: `${request.origin}/sim/bind/${id}`,
		label: '',
		createdAt: now,
		updatedAt: now,
	};
	if (kind === 'recurring') {
		// "Create Recurring Customer" page: recurringInterval MONTHLY/WEEKLY/DAILY is required;
		// recurringTarget (String) is optional, its rules depend on the interval and DAILY has none.
		const interval = text(body, 'recurringInterval', { required: true });
		if (!['DAILY', 'WEEKLY', 'MONTHLY'].includes(interval)) fail('recurringInterval', 'must be DAILY, WEEKLY or MONTHLY');
		const target = body.recurringTarget;
		if (target !== undefined) {
			if (typeof target !== 'string') fail('recurringTarget', 'must be a string');
			const targetNumber = Number(target);
			const validTarget =
				interval === 'DAILY' ||
				(interval === 'WEEKLY' && /^[0-6]$/.test(target)) ||
				(interval === 'MONTHLY' && /^-?\d+$/.test(target) && targetNumber >= -1 && targetNumber <= 28);
			if (!validTarget) fail('recurringTarget', `is not valid for ${interval}`);
		}
		const repetition = body.recurringRepetition;
		if (repetition !== undefined && (typeof repetition !== 'number' || !Number.isInteger(repetition) || repetition < 0)) {
			fail('recurringRepetition', 'must be a whole number');
		}
		customer.recurringPayment = {
			amount: amountNumberOrDigits(body),
			currency: currency(body, 'currency'),
			recurringInterval: interval,
			...(target !== undefined ? { recurringTarget: target } : {}),
			recurringRepetition: repetition ?? 0,
		};
	}
	sim.state.customers.set(id, customer);
	return ok(publicCustomer(customer));
}

function publicCustomer(customer: Customer): Json {
	const { kind: _kind, bound: _bound, ...rest } = customer;
	return rest;
}

function boundCustomer(sim: RouteHost, id: string): Customer {
	const customer = sim.state.customers.get(id);
	// RM only knows a customer once the card has been bound.
	if (!customer || !customer.bound) throw new RmError(404, 'CUSTOMER_NOT_FOUND', 'customer not found');
	return customer;
}

route('POST', '/v3/recurring-payment', (sim, request) => createCustomer(sim, request, 'recurring'));
route('POST', '/v3/tokenized-payment', (sim, request) => createCustomer(sim, request, 'tokenized'));
route('GET', '/v3/customer/:id', (sim, _request, [id]) => ok(publicCustomer(boundCustomer(sim, id))));
route('PUT', '/v3/customer/:id/status', (sim, _request, [id]) => {
	const customer = boundCustomer(sim, id);
	customer.isActive = !customer.isActive;
	customer.updatedAt = sim.state.now();
	return ok(publicCustomer(customer));
});
// In the shape set in sim.state.ordersList (orders-list.ts): by default `items`, flat orders, oldest
// first, as the example on RM's "Get Customer Orders" page (doc-v2); the page promises no order.
route('GET', '/v3/customer/:id/orders', (sim, request, [id]) => {
	boundCustomer(sim, id);
	return customerOrdersAnswer(sim.state, id, (entries) => page(sim, entries, request.query));
});

function chargeBoundCard(sim: RouteHost, request: ApiRequest, id: string): Json {
	const customer = boundCustomer(sim, id);
	const body = requireBody(request);
	const cents = amount(body);
	const currencyType = currency(body, 'currency');
	const title = text(body, 'title', { max: 32 }) || customer.productName || 'Charge';
	if (!customer.isActive) throw new RmError(400, 'CUSTOMER_INACTIVE', 'customer is inactive');
	const fault = sim.takeFault(request.method, request.path, ['decline', 'inProcess']);
	const outcome = fault?.kind === 'decline' ? { decline: fault.reason ?? '9010' } : fault?.kind === 'inProcess' ? 'inProcess' : 'paid';
	return ok(
		recordCardCharge(sim, customer, {
			amount: cents,
			currency: currencyType,
			title,
			description: text(body, 'description'),
			outcome,
			origin: request.origin,
		}),
	);
}

export interface CardCharge {
	amount: number;
	currency: string;
	title: string;
	description?: string;
	outcome: 'paid' | 'inProcess' | { decline: string };
	/** scheme://host:port for the paymentUrl of a failed charge */
	origin: string;
}

/**
 * One charge of a bound card, as RM records it: a RECURRING_PAYMENT transaction, the customer's order
 * and, when paid, the RECURRING_PAYMENT notification. Used by the charge endpoints and by RM's own
 * schedule (the simulator's runScheduledCharge).
 */
export function recordCardCharge(sim: RouteHost, customer: Customer, charge: CardCharge): Transaction {
	const declined = typeof charge.outcome === 'object';
	const status = declined ? 'FAILED' : charge.outcome === 'inProcess' ? 'IN_PROCESS' : 'SUCCESS';
	const orderId = sim.state.nextId();
	const transaction = sim.state.addTransaction({
		orderId,
		title: charge.title,
		detail: charge.description,
		amount: charge.amount,
		currency: charge.currency,
		type: 'RECURRING_PAYMENT',
		// The pages' transactions carry the bare method name; a bound card is paid through GoBiz.
		method: 'GOBIZ',
		source: 'RECURRING',
		storeId: customer.storeId,
		status,
		errorMessage: typeof charge.outcome === 'object' ? charge.outcome.decline : undefined,
		userId: customer.id,
		extraInfo: { card: { maskNo: customer.label, method: 'VISA' } },
	});
	const order: CustomerOrder = {
		id: orderId,
		customerId: customer.id,
		status,
		amount: charge.amount,
		currency: charge.currency,
		transactionId: transaction.transactionId,
		checkoutId: sim.state.nextId(),
		paymentUrl: status === 'FAILED' ? `${charge.origin}/sim/bind/${customer.id}` : '',
		recurringReference: sim.state.nextId(),
		createdAt: transaction.createdAt,
		updatedAt: transaction.updatedAt,
	};
	sim.state.customerOrders.push(order);
	if (status === 'SUCCESS' && customer.notifyUrl) {
		sim.notifyInBackground(customer.notifyUrl, {
			eventType: 'RECURRING_PAYMENT',
			data: {
				amount: charge.amount,
				currency: charge.currency,
				countryCode: customer.countryCode,
				phoneNumber: customer.phoneNumber,
				customerId: customer.id,
				email: customer.email,
				name: customer.name,
				merchantId: sim.state.merchant.id,
				storeId: customer.storeId,
				orderId,
				status,
				createdAt: transaction.createdAt,
				updatedAt: transaction.updatedAt,
			},
		});
	}
	return transaction;
}

route('POST', '/v3/customer/:id/order', (sim, request, [id]) => chargeBoundCard(sim, request, id));
route('POST', '/v3/recurring-payment/:id/order', (sim, request, [id]) => chargeBoundCard(sim, request, id));
route('POST', '/v3/recurring-payment/:id/charge', (sim, request, [id]) => chargeBoundCard(sim, request, id));

// ---------------------------------------------------------------------------------------------
// Online payment (hosted and direct checkout)

route('POST', '/v3/payment/online', (sim, request) => {
	const body = requireBody(request);
	const storeId = store(sim, body);
	const order = (body.order ?? fail('order', 'is required')) as Json;
	const orderId = text(order, 'id', { required: true, max: 24 });
	const title = text(order, 'title', { required: true, max: 32 });
	const detail = text(order, 'detail', { max: 600 });
	const additionalData = text(order, 'additionalData', { max: 128 });
	const cents = amount(order);
	currency(order, 'currencyType');
	const type = text(body, 'type', { required: true });
	if (!['WEB_PAYMENT', 'MOBILE_PAYMENT'].includes(type)) fail('type', 'must be WEB_PAYMENT or MOBILE_PAYMENT');
	// "Online Payment" page (docs v2, Hosted Payment Checkout): layoutVersion ENUM("v1", "v2", "v3", "v4");
	// the 2022 "Web/Mobile Payment" page lists v1 to v3 and marks it optional: absent is accepted.
	const layoutVersion = text(body, 'layoutVersion');
	if (layoutVersion && !/^v[1-4]$/.test(layoutVersion)) fail('layoutVersion', 'must be v1 to v4');
	const methods = body.method ?? [];
	if (!Array.isArray(methods) || methods.some((method) => typeof method !== 'string' || !/^[A-Z]+_(MY|CN|SG)$/.test(method))) {
		fail('method', 'must be a list of region-suffixed methods such as TNG_MY');
	}
	if (sim.state.usedOrderIds.has(orderId)) throw new RmError(400, 'ORDER_ID_DUPLICATE', 'order id is duplicate');
	sim.state.usedOrderIds.add(orderId);
	const now = sim.state.now();
	const id = sim.state.nextId();
	const checkout: Checkout = {
		id,
		type,
		transactionId: '',
		order: { id: orderId, title, detail, additionalData, amount: cents, currencyType: 'MYR' },
		platform: 'OPEN_API',
		method: methods as string[],
		redirectUrl: url(body, 'redirectUrl'),
		notifyUrl: url(body, 'notifyUrl'),
		startAt: now,
		// "Online Payment" page, Query Payment Checkout: status is ENUM("SUCCESS", "FAILED", "CANCELLED",
		// "EXPIRED"); no page names the status of a checkout nobody has paid yet, so it has none.
		status: '',
		customer: (body.customer as Json) ?? {},
		storeId,
		createdAt: now,
		updatedAt: now,
	};
	sim.state.checkouts.set(id, checkout);
	return ok({ checkoutId: id, url: `${request.origin}/sim/checkout/${id}` });
});

route('GET', '/v3/payment/online', (sim, request) => {
	const checkoutId = request.query.get('checkoutId') ?? fail('checkoutId', 'is required');
	const checkout = sim.state.checkouts.get(checkoutId);
	if (!checkout) throw new RmError(404, 'CHECKOUT_NOT_FOUND', 'checkout not found');
	const { customer: _customer, storeId: _storeId, pendingCard: _pendingCard, ...shown } = checkout;
	return ok(shown);
});

route('POST', '/v3/payment/online/checkout', (sim, request) => {
	const body = requireBody(request);
	const checkoutId = text(body, 'checkoutId', { required: true });
	const checkout = sim.state.checkouts.get(checkoutId);
	if (!checkout) throw new RmError(404, 'CHECKOUT_NOT_FOUND', 'checkout not found');
	const type = text(body, 'type', { required: true });
	const method = text(body, 'method');
	const payUrl = `${request.origin}/sim/checkout/${checkoutId}`;
	switch (type) {
		case 'URL': {
			if (!method) fail('method', 'is required');
			if (method === 'FPX_MY') {
				const bankCode = text((body.fpx ?? {}) as Json, 'bankCode', { required: true });
				const bank = sim.state.fpxBanks.find((candidate) => candidate.code === bankCode);
				if (!bank) fail('fpx.bankCode', 'is not a known bank');
				if (!bank.isOnline) throw new RmError(400, 'BANK_OFFLINE', 'bank is offline');
			}
			if (method === 'GOBIZ_MY') return ok(goBiz(sim, body, checkout, payUrl));
			return ok({ type: 'URL', url: payUrl });
		}
		case 'QRCODE':
			if (!method) fail('method', 'is required');
			return ok({ type: 'QRCODE', qrcode: { base64Image: qrPngOf(payUrl).toString('base64'), data: payUrl } });
		case 'DUITNOW_QRCODE':
			// "Online Payment" page, Mode: DuitNow QR: method is required, ENUM("MAYBANK_MY").
			if (method !== 'MAYBANK_MY') fail('method', 'must be MAYBANK_MY for DUITNOW_QRCODE');
			return ok({ type: 'DUITNOW_QRCODE', qrcode: { base64Image: qrPngOf(payUrl).toString('base64'), data: payUrl } });
		case 'MINI_PROGRAM':
			if (!method) fail('method', 'is required');
			return ok({ type: 'MINI_PROGRAM', data: Buffer.from(JSON.stringify({ checkoutId, method })).toString('base64') });
		default:
			return fail('type', 'must be URL, QRCODE, DUITNOW_QRCODE or MINI_PROGRAM');
	}
});

function booleanField(object: Json, field: string): boolean {
	if (typeof object[field] !== 'boolean') fail(field, 'must be a boolean');
	return object[field] as boolean;
}

function wholeField(object: Json, field: string, min: number, max: number): number {
	const value = object[field];
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		fail(field, `must be a whole number from ${min} to ${max}`);
	}
	return value;
}

/**
 * GoBiz, as the "Online Payment" page's modes describe it:
 * - "GoBiz": `gobiz.type` UNIVERSAL_PAYMENT without a card → `{type: "URL", url}` (the card page).
 * - "GoBiz w/ Card": UNIVERSAL_PAYMENT with `card{isToken:false, isSave, no, cvc, month, year,
 *   countryCode:"MY"}` → `{type: "URL", url}` only: the customer completes the payment (3-D Secure) at
 *   the url; nothing is paid before. The card is saved on payment when isSave was true.
 * - "GoBiz w/ Token": DIRECT_PAYMENT with `card{isToken:true, isSave, no:<token>}` → `{type: "URL",
 *   transaction}`, paid at once; isSave: "Save the token after made transaction else will delete".
 */
function goBiz(sim: RouteHost, body: Json, checkout: Checkout, payUrl: string): Json {
	const gobiz = (body.gobiz ?? {}) as Json;
	const card = body.card as Json | undefined;
	if (!card) {
		if (gobiz.type !== 'UNIVERSAL_PAYMENT') fail('gobiz.type', 'must be UNIVERSAL_PAYMENT without a card');
		return { type: 'URL', url: payUrl };
	}
	const isToken = booleanField(card, 'isToken');
	const isSave = booleanField(card, 'isSave');
	const number = text(card, 'no', { required: true });
	const userId = String((checkout.customer as Json)?.userId ?? '');
	if (isToken) {
		if (gobiz.type !== 'DIRECT_PAYMENT') fail('gobiz.type', 'must be DIRECT_PAYMENT with a token');
		const tokens = sim.state.cardTokens.get(userId) ?? [];
		if (!tokens.some((token) => token.token === number)) throw new RmError(400, 'INVALID_CARD_TOKEN', 'card token not found');
		const transaction = sim.payCheckout(checkout.id, 'GOBIZ_MY');
		if (!isSave) sim.state.cardTokens.set(userId, tokens.filter((token) => token.token !== number));
		return { type: 'URL', transaction };
	}
	if (gobiz.type !== 'UNIVERSAL_PAYMENT') fail('gobiz.type', 'must be UNIVERSAL_PAYMENT with card details');
	if (!/^\d{12,19}$/.test(number)) fail('card.no', 'is not a card number');
	if (!/^\d{3,4}$/.test(text(card, 'cvc', { required: true }))) fail('card.cvc', 'must be 3 or 4 digits');
	const month = wholeField(card, 'month', 1, 12);
	const year = wholeField(card, 'year', 2000, 2099);
	if (text(card, 'countryCode', { required: true }) !== 'MY') fail('card.countryCode', 'must be MY');
	if (isSave && !userId) fail('customer.userId', 'is required to save a card');
	// Kept until the customer completes the payment at the url; the simulator keeps no full number.
	checkout.pendingCard = {
		isSave,
		name: text(card, 'name'),
		label: `${number.slice(0, 6)}******${number.slice(-4)}`,
		lastFourNo: number.slice(-4),
		month,
		year,
	};
	return { type: 'URL', url: `${payUrl}?step=3ds` };
}

route('GET', '/v3/payment/fpx-bank', (sim) => ok(Object.fromEntries(sim.state.fpxBanks.map((bank) => [bank.code, bank]))));

route('GET', '/v3/payment/tokens/:userId', (sim, _request, [userId]) => ok(sim.state.cardTokens.get(userId) ?? []));
route('DELETE', '/v3/payment/tokens/:userId', (sim, request, [userId]) => {
	const token = text(requireBody(request), 'token', { required: true });
	const tokens = sim.state.cardTokens.get(userId) ?? [];
	const remaining = tokens.filter((candidate) => candidate.token !== token);
	if (remaining.length === tokens.length) throw new RmError(404, 'CARD_TOKEN_NOT_FOUND', 'token not found');
	sim.state.cardTokens.set(userId, remaining);
	return ok(remaining);
});

// ---------------------------------------------------------------------------------------------
// Transactions

function transactionOr404(found: Transaction | undefined): Transaction {
	if (!found) throw new RmError(404, 'TRANSACTION_NOT_FOUND', 'transaction not found');
	return found;
}

route('GET', '/v3/payment/transaction/order/:orderId', (sim, _request, [orderId]) =>
	ok(transactionOr404(sim.state.transactionByOrderId(orderId))),
);
route('GET', '/v3/payment/transaction/:id', (sim, _request, [id]) => ok(transactionOr404(sim.state.transactionById(id))));
// RM's "Get All Transactions" pages document only `limit` (and the SDKs `cursor`): no filter and no
// order. Order, page size and arrivals between pages are settings: simulator/transactions-list.ts.
route('GET', '/v3/payment/transactions', (sim, request) =>
	transactionsListPage(sim.state, sim.options.pageSize, request.query),
);

route('POST', '/v3/payment/refund', (sim, request) => {
	const body = requireBody(request);
	const transaction = transactionOr404(sim.state.transactionById(text(body, 'transactionId', { required: true })));
	const refund = (body.refund ?? fail('refund', 'is required')) as Json;
	const type = text(refund, 'type', { required: true });
	if (type !== 'FULL' && type !== 'PARTIAL') fail('refund.type', 'must be FULL or PARTIAL');
	currency(refund, 'currencyType');
	const cents = amount(refund);
	text(body, 'reason', { required: true });
	if (transaction.status === 'FULL_REFUNDED') throw new RmError(400, 'PAYMENT_FULLY_REFUNDED', 'payment fully refunded');
	if (!['SUCCESS', 'PARTIAL_REFUNDED'].includes(transaction.status)) {
		throw new RmError(400, 'NOT_ALLOW_REFUND', 'transaction is not allowed to refund');
	}
	if (type === 'FULL' && cents !== transaction.balanceAmount) fail('refund.amount', 'must equal the balance for a full refund');
	if (cents > transaction.balanceAmount) throw new RmError(400, 'INSUFFICIENT_REFUND_AMOUNT', 'insufficient refund amount');
	transaction.balanceAmount -= cents;
	transaction.status = transaction.balanceAmount === 0 ? 'FULL_REFUNDED' : 'PARTIAL_REFUNDED';
	transaction.updatedAt = sim.state.now();
	return ok(transaction);
});

route('POST', '/v3/payment/reverse', (sim, request) => {
	const body = requireBody(request);
	const transaction = transactionOr404(sim.state.transactionByOrderId(text(body, 'orderId', { required: true })));
	const ageMs = sim.nowMs() - Date.parse(transaction.createdAt);
	if (ageMs > 15 * 60_000) {
		throw new RmError(400, 'EXCEED_TIME_FOR_REVERSE_TRANSACTION', 'exceed time for reverse transaction');
	}
	if (transaction.status === 'REVERSED') throw new RmError(400, 'TRANSACTION_REVERSED', 'transaction already reversed');
	transaction.status = 'REVERSED';
	transaction.balanceAmount = 0;
	transaction.updatedAt = sim.state.now();
	return ok(transaction);
});
