/**
 * The charge guard (Order → Create → Options → Skip If Charged Within): before charging, RM's own
 * record of the customer's orders (`GET /v3/customer/{id}/orders`) is read, so a billing run that is
 * run again does not charge twice.
 *
 * It fails closed: the customer is charged only when every page of that list could be read with
 * certainty and none has a matching order. An answer without a recognisable list (no `items`, or a
 * list where none belongs), or an entry whose amount, currency, status or time cannot be read, is a
 * failed look-up: nothing is charged and the error says what to check.
 *
 * The shapes read (and only these; anything else fails closed):
 * - the list under `items` with `meta.cursor` — revenue-monster-api.md §5, every list page of RM's
 *   docs ("Get Customer Orders", "Get All Transactions", "Get Stores");
 * - the list as an array under `item` — how RM's "Card-on-File Tokenization: Get Customer Tokens"
 *   page (`GET /v3/payment/tokens/{userId}`) answers a list; no cursor there;
 * - a flat order — doc-v2 "Get Customer Orders": `id`, `status`, `amount`, `currency`,
 *   `transactionId`, `createdAt` (RFC 3339);
 * - a transaction object — "Query Transaction By ID" / "Get All Transactions" pages and the
 *   "Online Payment" notify response: `transactionId`, `status`, `order{id, amount, currencyType?}`,
 *   `currencyType`, `createdAt`, `transactionAt`.
 * No page promises an order of the list (the doc-v2 example is oldest first), so every page is read
 * until a match is found or the cursor ends.
 *
 * Across executions (issue #23): check-then-charge for one customer of one merchant runs one at a
 * time in the whole n8n process (a module-level queue keyed by the credential's merchant and the
 * customer, not by the execution), so two executions running at once in one process (a schedule and
 * a manual run, a retry) cannot both read "no orders" and both charge. Several processes (queue-mode
 * workers) share nothing in memory: that needs a claim in a store of the user's own (docs/SCALING.md,
 * "Charges").
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';

/** Statuses that mean "this customer was (or is being) charged": a new charge would be a second one. */
const CHARGED_STATUSES = new Set(['SUCCESS', 'IN_PROCESS', 'PARTIAL_REFUNDED']);
/**
 * Statuses the pages name that mean no money is held: FAILED (order and transaction), FULL_REFUNDED and
 * REVERSED (transaction), CANCELLED and EXPIRED (checkout). Any other status is not understood: fail closed.
 */
const NOT_CHARGED_STATUSES = new Set(['FAILED', 'FULL_REFUNDED', 'REVERSED', 'CANCELLED', 'EXPIRED']);

/** More pages than any customer's order history has; a list longer than this is treated as a failed look-up. */
const MAX_PAGES = 200;

/** The zero time RM writes for "not yet" (revenue-monster-api.md §5, `transactionAt` when unpaid). */
const ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

export interface ChargeGuardQuery {
	customerId: string;
	amount: number;
	currency: string;
	withinHours: number;
	itemIndex: number;
	/** ms since the epoch; the guard's "now" */
	now?: number;
}

/** One entry of the list, read into the four facts the guard decides on. */
interface ReadOrder {
	status: string;
	amount: number;
	currency: string;
	createdAt: number;
	/** the entry as RM sent it, output when it blocks the charge */
	raw: IDataObject;
}

/** A list the guard cannot read with certainty: nothing is charged. */
class UnreadableList extends Error {}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nextCursorOf(response: IDataObject): string | undefined {
	// RM's page names the cursor at the top level; its example and the other lists carry `meta.cursor`.
	const meta = response.meta as IDataObject | undefined;
	const cursor = meta?.cursor ?? response.cursor;
	return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

/** The list of one page: `items` (§5), or an array under `item` (Get Customer Tokens); nothing else. */
function entriesOf(response: IDataObject): unknown[] {
	const items = response.items;
	const item = response.item;
	if (Array.isArray(items) && item === undefined) return items;
	if (Array.isArray(item) && items === undefined) return item;
	const found = Object.keys(response).filter((key) => key !== 'code');
	throw new UnreadableList(
		`Revenue Monster's answer has no order list the node can read (expected an "items" array; found ${found.length ? found.map((key) => `"${key}"`).join(', ') : 'no fields'})`,
	);
}

function whole(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	// The 2022 pages type amounts as String; an all-digits string is the same amount.
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function time(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) || parsed === ZERO_TIME ? undefined : parsed;
}

/** Reads one entry as a flat order or as a transaction object; undefined when it is neither. */
function readEntry(entry: unknown): ReadOrder | undefined {
	if (!isObject(entry)) return undefined;
	const status = text(entry.status);
	const createdAt = time(entry.createdAt) ?? time(entry.transactionAt);
	let amount: number | undefined;
	let currency: string | undefined;
	if (isObject(entry.order)) {
		// Transaction object: the amount is the order's; the currency is `currencyType`, at the top
		// (Query Transaction) or inside `order` (Online Payment, notify response).
		if (entry.amount !== undefined || entry.currency !== undefined) return undefined; // both shapes at once: ambiguous
		amount = whole(entry.order.amount);
		currency = text(entry.currencyType) ?? text(entry.order.currencyType);
		const inner = text(entry.order.currencyType);
		if (inner && currency !== inner) return undefined;
	} else {
		// Flat order (doc-v2 "Get Customer Orders").
		amount = whole(entry.amount);
		currency = text(entry.currency) ?? text(entry.currencyType);
	}
	if (status === undefined || amount === undefined || currency === undefined || createdAt === undefined) return undefined;
	if (!CHARGED_STATUSES.has(status) && !NOT_CHARGED_STATUSES.has(status)) return undefined;
	return { status, amount, currency, createdAt, raw: entry };
}

function describeEntry(entry: unknown): string {
	if (!isObject(entry)) return `an entry that is not an object (${JSON.stringify(entry)?.slice(0, 60)})`;
	const id = entry.id ?? entry.transactionId;
	return `${id ? `order ${String(id)}` : 'an order'} (fields ${Object.keys(entry).slice(0, 12).join(', ')})`;
}

function lookupFailed(context: IExecuteFunctions, query: ChargeGuardQuery, cause: unknown): Error {
	const reason =
		cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'the look-up did not complete';
	const message = `Could not check earlier charges of customer ${query.customerId}, so it was not charged: ${reason}`;
	const unreadable = cause instanceof UnreadableList;
	const description = unreadable
		? 'The charge guard (Options → Skip If Charged Within) charges only when it can read every order of the customer, and this answer is not a list it knows: checking it could miss an earlier charge. Look at the customer’s orders with Customer → Get Orders (and in the Revenue Monster portal); bill this customer by hand or with the guard off only once you are sure it was not charged in the window. Please report the answer’s shape to the node’s maintainers.'
		: 'The charge guard (Options → Skip If Charged Within) reads the customer’s orders before charging, and charges nothing when it cannot. Run the item again once Revenue Monster answers, or check Customer → Get Orders by hand.';
	if (cause instanceof NodeApiError) {
		const error = new NodeApiError(context.getNode(), { message } as never, {
			message,
			description,
			itemIndex: query.itemIndex,
			httpCode: cause.httpCode ?? undefined,
		});
		error.context.revenueMonsterCode = cause.context.revenueMonsterCode;
		error.context.customerId = query.customerId;
		return error;
	}
	const error = new NodeOperationError(context.getNode(), message, { description, itemIndex: query.itemIndex });
	error.context.customerId = query.customerId;
	return error;
}

/**
 * The customer's order that makes a new charge a repeat: SUCCESS, IN_PROCESS or PARTIAL_REFUNDED, same
 * amount and currency, created within the window. A SUCCESS order is preferred. Throws (and so nothing
 * is charged) when the orders cannot be read, or cannot be read with certainty.
 */
export async function findRecentCharge(
	this: IExecuteFunctions,
	query: ChargeGuardQuery,
): Promise<IDataObject | undefined> {
	const windowStart = (query.now ?? Date.now()) - query.withinHours * 3_600_000;
	const path = apiPath('/v3/customer', query.customerId, 'orders');
	const seenCursors = new Set<string>();
	let pending: IDataObject | undefined;
	let cursor: string | undefined;
	try {
		for (let page = 0; page < MAX_PAGES; page++) {
			const response = await revenueMonsterRequest.call(this, {
				method: 'GET',
				path,
				qs: cursor ? { cursor } : undefined,
				itemIndex: query.itemIndex,
			});
			const entries = entriesOf(response);
			let found: IDataObject | undefined;
			// Every entry of the page is read before deciding: one unreadable entry anywhere fails closed.
			for (const entry of entries) {
				const order = readEntry(entry);
				if (!order) {
					throw new UnreadableList(
						`${describeEntry(entry)} has no recognisable status, amount, currency and time, so an earlier charge could be missed`,
					);
				}
				if (!CHARGED_STATUSES.has(order.status)) continue;
				if (order.amount !== query.amount || order.currency !== query.currency) continue;
				if (order.createdAt < windowStart) continue;
				if (order.status === 'SUCCESS') found ??= order.raw;
				else pending ??= order.raw;
			}
			if (found) return found;
			const next = nextCursorOf(response);
			if (!next || entries.length === 0) return pending;
			if (seenCursors.has(next)) throw new UnreadableList('the list’s cursor repeats, so not every order could be read');
			seenCursors.add(next);
			cursor = next;
		}
	} catch (error) {
		throw lookupFailed(this, query, error);
	}
	throw lookupFailed(this, query, `the customer has more than ${MAX_PAGES} pages of orders`);
}

/** The guard's output: RM's order, marked so a workflow can tell "skipped" from "charged now". */
export function alreadyChargedOutput(order: IDataObject): IDataObject {
	return {
		...order,
		alreadyCharged: true,
		transactionId: order.transactionId ?? '',
		paid: order.status === 'SUCCESS',
	};
}

/**
 * One queue per merchant and customer, for the whole process (module level): every execution of every
 * workflow that bills this customer with the guard on waits its turn here.
 */
const customerQueues = new Map<string, Promise<unknown>>();

/**
 * Which merchant a credential bills: its environment (and custom API origin) and client ID. Two n8n
 * credentials holding the same keys share the queue; no secret is part of the key.
 */
export async function merchantKeyOf(context: IExecuteFunctions): Promise<string> {
	const credentials = await context.getCredentials('revenueMonsterApi');
	const environment = String(credentials.environment ?? 'sandbox');
	const origin = environment === 'custom' ? String(credentials.apiBaseUrl ?? '').replace(/\/+$/, '') : '';
	return JSON.stringify([environment, origin, String(credentials.clientId ?? '')]);
}

/**
 * Runs check-then-charge for one customer after any earlier one for the same customer of the same
 * merchant has finished — in this execution or any other one in this n8n process — so two items or
 * two executions billing the same customer at once cannot both pass the check before either charge
 * shows up in RM's orders.
 */
export async function oneAtATimePerCustomer<T>(
	merchantKey: string,
	customerId: string,
	work: () => Promise<T>,
): Promise<T> {
	const key = `${merchantKey}\u0000${customerId}`;
	const before = customerQueues.get(key) ?? Promise.resolve();
	const result = before.then(work, work);
	const settled = result.then(
		() => undefined,
		() => undefined,
	);
	customerQueues.set(key, settled);
	try {
		return await result;
	} finally {
		if (customerQueues.get(key) === settled) customerQueues.delete(key);
	}
}
