/**
 * `GET /v3/payment/transactions` as RM's pages allow it to behave. RM's "Get All Transactions" pages
 * (doc and doc-v2) document only `limit` and (in the SDKs) an opaque `cursor`: no filter and no order.
 * So the order and the page size served are settings here, not facts, and a test can make the list
 * change between two page requests of one poll, as a live merchant's list does:
 *
 * - `order`: newest-created first (the default, as RM's Get Many shows it) or oldest-created first;
 * - `pageSize`: the size served whatever `limit` asks (a server may cap or ignore `limit`);
 * - `afterPage`: called after each page is computed and before it is answered, so what it adds
 *   arrives between this page request and the next.
 *
 * The cursor is the worst case a poller can meet: an offset (base64). An arrival at the head of the
 * list (newest first) therefore shifts every later row onto the next page. A status change (a refund,
 * a reversal, an IN_PROCESS charge settling) changes the transaction in place and does not move it.
 */
import { RmError } from './rm-error';
import type { Json, SimulatorState, Transaction } from './state';

export type TransactionsListOrder = 'newest-first' | 'oldest-first';

export interface TransactionsListPage {
	/** 1 for the first page served since `configureTransactionsList` */
	index: number;
	/** the cursor the page was asked with ('' for the first page of a read) */
	cursor: string;
	items: number;
	/** the cursor answered: '' at the end of the list */
	next: string;
}

export interface TransactionsListBehaviour {
	order?: TransactionsListOrder;
	pageSize?: number;
	afterPage?: (page: TransactionsListPage) => void;
}

interface Configured extends TransactionsListBehaviour {
	served: number;
}

const behaviours = new WeakMap<SimulatorState, Configured>();

/** Sets how this simulator's transaction list behaves (a simulator starts newest-first, pages of `limit`). */
export function configureTransactionsList(state: SimulatorState, behaviour: TransactionsListBehaviour): void {
	behaviours.set(state, { ...behaviour, served: 0 });
}

/** Ties within one millisecond: the later-created first (ids grow). */
function newestCreatedFirst(a: Transaction, b: Transaction): number {
	const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
	if (byTime !== 0) return byTime;
	return BigInt(b.transactionId) > BigInt(a.transactionId) ? 1 : -1;
}

/** One page: `{items, code, meta{cursor, count}}`, the cursor an offset as RM's may be. */
export function transactionsListPage(state: SimulatorState, defaultPageSize: number, query: URLSearchParams): Json {
	const behaviour = behaviours.get(state) ?? { served: 0 };
	const all = [...state.transactions].sort(newestCreatedFirst);
	if (behaviour.order === 'oldest-first') all.reverse();
	const limit = behaviour.pageSize ?? Math.min(Number(query.get('limit')) || defaultPageSize, 100);
	const cursor = query.get('cursor') ?? '';
	const start = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8')) : 0;
	if (!Number.isInteger(start) || start < 0) throw new RmError(400, 'VALIDATION_ERROR', 'cursor is invalid');
	const items = all.slice(start, start + limit).map((transaction) => JSON.parse(JSON.stringify(transaction)) as Json);
	const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : '';
	if (behaviours.has(state)) {
		behaviour.served++;
		behaviour.afterPage?.({ index: behaviour.served, cursor, items: items.length, next });
	}
	return { items, code: 'SUCCESS', meta: { cursor: next, count: all.length } };
}
