/**
 * How the simulator answers `GET /v3/customer/{id}/orders`: every shape RM's pages allow, chosen per
 * simulator (`state.ordersList`), so the node is tested against what RM may send, not only against
 * what the node reads (issue #22).
 *
 * - container `items` (revenue-monster-api.md §5, doc-v2 "Get Customer Orders": `items` + `meta.cursor`)
 *   or `item` (an array under `item`, no cursor, as "Card-on-File Tokenization: Get Customer Tokens"
 *   answers a list);
 * - entry `order` (the flat order of "Get Customer Orders": `id`, `status`, `amount`, `currency`,
 *   `transactionId`, `checkoutId`, `paymentUrl`, `recurringReference`, `createdAt`) or `transaction` (the
 *   Transaction object of "Query Transaction By ID" / "Get All Transactions": `transactionId`,
 *   `order{id,title,detail,additionalData,amount}`, `currencyType`, `status`, `createdAt`, …), since no
 *   page rules out that the list carries transactions;
 * - order `oldestFirst` (the doc-v2 example) or `newestFirst` (what the transactions list does): no page
 *   promises either.
 */
import type { CustomerOrder, Json, SimulatorState } from './state';

/** state.ts's UNPAID_AT, written out: state.ts imports this file. */
const UNPAID_AT = '0001-01-01T00:00:00Z';

export type OrdersContainer = 'items' | 'item';
export type OrdersEntry = 'order' | 'transaction';
export type OrdersOrder = 'oldestFirst' | 'newestFirst';

export interface OrdersListShape {
	container: OrdersContainer;
	entry: OrdersEntry;
	order: OrdersOrder;
	/**
	 * Attacker tests only: rewrites the answer into something no page shows (another container, entries
	 * without a currency, …), to prove the node refuses to charge on it.
	 */
	tamper?: (answer: Json) => Json;
}

export const DEFAULT_ORDERS_LIST: OrdersListShape = { container: 'items', entry: 'order', order: 'oldestFirst' };

/** Every combination the pages allow: 2 containers × 2 entry shapes × 2 orders. */
export const ALL_ORDERS_LIST_SHAPES: OrdersListShape[] = (['items', 'item'] as const).flatMap((container) =>
	(['order', 'transaction'] as const).flatMap((entry) =>
		(['oldestFirst', 'newestFirst'] as const).map((order) => ({ container, entry, order })),
	),
);

export function describeShape(shape: OrdersListShape): string {
	return `${shape.container}/${shape.entry}/${shape.order}`;
}

/** The order as the Transaction object would carry it; the transaction's own fields where it has one. */
function transactionShaped(state: SimulatorState, order: CustomerOrder): Json {
	const transaction = state.transactionById(order.transactionId);
	return {
		transactionId: order.transactionId,
		referenceId: transaction?.referenceId ?? '',
		order: {
			id: order.id,
			title: transaction?.order.title ?? '',
			detail: transaction?.order.detail ?? '',
			additionalData: transaction?.order.additionalData ?? '',
			amount: order.amount,
		},
		currencyType: order.currency,
		balanceAmount: order.status === 'SUCCESS' ? order.amount : 0,
		finalAmount: order.amount,
		platform: 'OPEN_API',
		type: 'RECURRING_PAYMENT',
		method: transaction?.method ?? 'GOBIZ',
		region: 'MALAYSIA',
		status: order.status,
		source: 'RECURRING',
		payee: { userId: order.customerId },
		store: transaction?.store ?? {},
		extraInfo: transaction?.extraInfo ?? {},
		transactionAt: order.status === 'SUCCESS' ? order.createdAt : UNPAID_AT,
		createdAt: order.createdAt,
		updatedAt: order.updatedAt,
	};
}

function entryOf(state: SimulatorState, shape: OrdersListShape, order: CustomerOrder): Json {
	if (shape.entry === 'transaction') return transactionShaped(state, order);
	// As the simulator always served it (the customer's id included, as RM's own record has it).
	return { ...order };
}

/**
 * The answer for one customer's orders in the configured shape. `page` cuts `items` into pages with
 * a cursor (the routes' own paging); the `item` container carries the whole list, as the token list does.
 */
export function customerOrdersAnswer(
	state: SimulatorState,
	customerId: string,
	page: (all: Json[]) => Json,
): Json {
	const shape = state.ordersList;
	const orders = state.customerOrders.filter((order) => order.customerId === customerId);
	// Stable: orders created within one millisecond keep the order they were recorded in (reversed for newest first).
	const ordered =
		shape.order === 'newestFirst'
			? [...orders].reverse().sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
			: [...orders].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
	const entries = ordered.map((order) => entryOf(state, shape, order));
	const answer = shape.container === 'item' ? { item: entries, code: 'SUCCESS' } : page(entries);
	return shape.tamper ? shape.tamper(answer) : answer;
}
