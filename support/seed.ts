/**
 * State the tests, the fault suites and the e2e start from, put straight into the simulator's books
 * as Revenue Monster would hold it after a real payment, so a case prepares what it needs in one line.
 */
import type { RevenueMonsterSimulator } from '../simulator/server';
import type { Json, Transaction } from '../simulator/state';

type TransactionFields = Parameters<RevenueMonsterSimulator['state']['addTransaction']>[0];

/**
 * A payment in MYR to the first store: by default paid (SUCCESS), online by FPX, 1000 cents, with a new
 * order ID; `recurring` makes it a recurring card charge. Any field can be given instead.
 */
export function seedPayment(
	simulator: RevenueMonsterSimulator,
	fields: Partial<TransactionFields> & { recurring?: boolean } = {},
): Transaction {
	const { recurring = false, ...given } = fields;
	return simulator.state.addTransaction({
		orderId: simulator.state.nextId(),
		title: 'Seeded payment',
		amount: 1000,
		currency: 'MYR',
		type: recurring ? 'RECURRING_PAYMENT' : 'WEB_PAYMENT',
		method: recurring ? 'CARD' : 'FPX',
		source: recurring ? 'RECURRING' : 'WEB_PAYMENT',
		storeId: simulator.state.stores[0].id,
		status: 'SUCCESS',
		...given,
	});
}

/** A card GoBiz saved for the checkout customer `userId` (as a paid checkout with isSave leaves it); its token. */
export function seedSavedCard(simulator: RevenueMonsterSimulator, userId: string): string {
	return simulator.state.saveCardToken(userId, {
		isSave: true,
		name: 'TAN AH KOW',
		label: '411111******1111',
		lastFourNo: '1111',
		month: 12,
		year: 2039,
	}).token;
}

/**
 * The notification Revenue Monster sends for a seeded payment: the transaction itself for an online
 * one (PAYMENT_WEB_ONLINE), the charge's fields for a recurring one (RECURRING_PAYMENT); a plain copy.
 */
export function notificationFor(
	simulator: RevenueMonsterSimulator,
	transaction: Transaction,
	recurring: boolean,
): { eventType: 'PAYMENT_WEB_ONLINE' | 'RECURRING_PAYMENT'; data: Json } {
	if (!recurring) return { eventType: 'PAYMENT_WEB_ONLINE', data: JSON.parse(JSON.stringify(transaction)) as Json };
	return {
		eventType: 'RECURRING_PAYMENT',
		data: {
			amount: transaction.order.amount,
			currency: 'MYR',
			customerId: simulator.state.nextId(),
			orderId: transaction.order.id,
			status: 'SUCCESS',
			createdAt: transaction.createdAt,
			updatedAt: transaction.updatedAt,
		},
	};
}
