/**
 * The charge guard (Order → Create → Options → Skip If Charged Within): before charging, RM's own
 * record of the customer's orders (`GET /v3/customer/{id}/orders`) is read, so a billing run that is
 * run again does not charge twice. RM is the ledger: it works across re-runs, restarts, machines and
 * queue mode, with nothing stored in n8n.
 *
 * What RM's page promises about that list (doc-v2 "Get Customer Orders"): items with `status`,
 * `amount`, `currency`, `transactionId`, `createdAt` (RFC 3339), and a pagination cursor. It promises
 * no order (its example is oldest first), so the guard does not stop at the first old order: it reads
 * page after page until it finds a match or the cursor ends.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';

/** Statuses that mean "this customer was (or is being) charged": a new charge would be a second one. */
const CHARGED_STATUSES = new Set(['SUCCESS', 'IN_PROCESS']);

/** More pages than any customer's order history has; a list longer than this is treated as a failed look-up. */
const MAX_PAGES = 200;

export interface ChargeGuardQuery {
	customerId: string;
	amount: number;
	currency: string;
	withinHours: number;
	itemIndex: number;
	/** ms since the epoch; the guard's "now" */
	now?: number;
}

function nextCursorOf(response: IDataObject): string | undefined {
	// RM's page names the cursor at the top level; its example and the other lists carry `meta.cursor`.
	const meta = response.meta as IDataObject | undefined;
	const cursor = meta?.cursor ?? response.cursor;
	return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

function matches(order: IDataObject, query: ChargeGuardQuery, windowStart: number): boolean {
	if (!CHARGED_STATUSES.has(String(order.status ?? ''))) return false;
	if (Number(order.amount) !== query.amount || String(order.currency ?? '') !== query.currency) return false;
	const createdAt = Date.parse(String(order.createdAt ?? ''));
	// An order of the same amount whose time cannot be read might be recent: not charging is the safe side.
	if (Number.isNaN(createdAt)) return true;
	return createdAt >= windowStart;
}

function lookupFailed(context: IExecuteFunctions, query: ChargeGuardQuery, cause: unknown): Error {
	const reason =
		cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'the look-up did not complete';
	const message = `Could not check earlier charges of customer ${query.customerId}, so it was not charged: ${reason}`;
	const description =
		'The charge guard (Options → Skip If Charged Within) reads the customer’s orders before charging, and charges nothing when it cannot. Run the item again once Revenue Monster answers, or check Customer → Get Orders by hand.';
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
 * The customer's order that makes a new charge a repeat: SUCCESS or IN_PROCESS, same amount and
 * currency, created within the window. A SUCCESS order is preferred over an IN_PROCESS one. Throws
 * (and so nothing is charged) when the orders cannot be read.
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
			const orders = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
			for (const order of orders) {
				if (!matches(order, query, windowStart)) continue;
				if (order.status === 'SUCCESS') return order;
				pending ??= order;
			}
			const next = nextCursorOf(response);
			if (!next || orders.length === 0 || seenCursors.has(next)) return pending;
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

const customerQueues = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Runs check-then-charge for one customer after any earlier one for the same customer in this
 * execution has finished, so two items billing the same customer at once (Concurrency above 1)
 * cannot both pass the check before either charge shows up in RM's orders.
 */
export async function oneAtATimePerCustomer<T>(
	context: IExecuteFunctions,
	customerId: string,
	work: () => Promise<T>,
): Promise<T> {
	let queues = customerQueues.get(context);
	if (!queues) {
		queues = new Map();
		customerQueues.set(context, queues);
	}
	const before = queues.get(customerId) ?? Promise.resolve();
	const result = before.then(work, work);
	const settled = result.then(
		() => undefined,
		() => undefined,
	);
	queues.set(customerId, settled);
	try {
		return await result;
	} finally {
		if (queues.get(customerId) === settled) queues.delete(customerId);
	}
}
