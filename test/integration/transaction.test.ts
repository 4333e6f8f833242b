/**
 * Transaction → Get, Get by Order ID, Get Many, Refund and Reverse through n8n-core's engine against
 * the strict simulator. Refunds are exact and never sent twice; a refund whose answer is lost says
 * so; bad amounts never reach Revenue Monster.
 */
import type { IDataObject } from 'n8n-workflow';

import { simulatorCall } from '../../scripts/lib/rm-client';
import type { Transaction } from '../../simulator/state';
import { seedPayment } from '../../support/seed';
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { useSimulator } from '../helpers/suite';

/** Smaller than the node's page size (100), so a request without `limit` would need more pages. */
const SIMULATOR_DEFAULT_PAGE_SIZE = 7;

const suite = useSimulator({ pageSize: SIMULATOR_DEFAULT_PAGE_SIZE });
const { run } = suite;
let orderSequence = 0;

/** A paid transaction made the real way: Checkout → Create through the node, then the customer pays. */
async function paidTransaction(amount: number): Promise<Transaction> {
	const orderId = `TX-${Date.now().toString(36)}-${++orderSequence}`;
	const { outputs, error } = await run({
		resource: 'checkout',
		operation: 'create',
		storeId: suite.simulator.state.stores[0].id,
		type: 'WEB_PAYMENT',
		orderId,
		orderTitle: 'Coffee',
		currency: 'MYR',
		amount,
		redirectUrl: 'https://shop.example.com/thank-you',
		notifyUrl: 'https://n8n.example.com/webhook/abc/notify',
	});
	expect(error).toBeUndefined();
	return suite.simulator.payCheckout(outputs[0][0].json.checkoutId as string, 'TNG_MY') as Transaction;
}

const refund = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'transaction',
	operation: 'refund',
	refundType: 'PARTIAL',
	currency: 'MYR',
	reason: 'Customer returned the item',
	...overrides,
});

const requestsTo = (path: string, since: number) =>
	suite.simulator.apiLog().slice(since).filter((entry) => entry.path === path);

describe('get and getByOrderId', () => {
	it('get finds a payment by its transaction ID', async () => {
		const paid = await paidTransaction(1500);
		const { outputs, error } = await run({ resource: 'transaction', operation: 'get', transactionId: paid.transactionId });
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ transactionId: paid.transactionId, status: 'SUCCESS', balanceAmount: 1500 });
	});

	it('getByOrderId finds the payment for one of your order IDs', async () => {
		const paid = await paidTransaction(2100);
		const { outputs, error } = await run({ resource: 'transaction', operation: 'getByOrderId', orderId: paid.order.id });
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({
			transactionId: paid.transactionId,
			order: { id: paid.order.id, amount: 2100 },
			method: 'TNG',
			status: 'SUCCESS',
		});
	});

	it('getByOrderId for an order nobody paid is TRANSACTION_NOT_FOUND, with its code', async () => {
		const { error } = await run({ resource: 'transaction', operation: 'getByOrderId', orderId: 'never-paid/42' });
		expect(error?.message).toBe('Revenue Monster: transaction not found [TRANSACTION_NOT_FOUND]');
		expect(error?.context?.revenueMonsterCode).toBe('TRANSACTION_NOT_FOUND');
	});
});

describe('getMany', () => {
	beforeAll(async () => {
		await paidTransaction(1000);
		// Enough transactions for three pages of 100: seeded straight into the simulator's books.
		for (let i = suite.simulator.state.transactions.length; i < 250; i++) {
			seedPayment(suite.simulator, { orderId: `SEED-${i}`, title: `Seeded ${i}`, amount: 100 + i });
		}
	});

	const newestFirst = () => [...suite.simulator.state.transactions].reverse().map((transaction) => transaction.transactionId);

	it('returnAll follows meta.cursor through every page, 100 at a time, one item per transaction', async () => {
		const since = suite.simulator.apiLog().length;
		const { outputs, error } = await run({ resource: 'transaction', operation: 'getMany', returnAll: true });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.transactionId)).toEqual(newestFirst());
		expect(outputs[0].every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		const pages = Math.ceil(suite.simulator.state.transactions.length / 100);
		expect(pages).toBeGreaterThanOrEqual(3);
		expect(requestsTo('/v3/payment/transactions', since)).toHaveLength(pages);
	});

	it('a limit above one page follows the cursor and stops at the limit', async () => {
		const since = suite.simulator.apiLog().length;
		const { outputs, error } = await run({ resource: 'transaction', operation: 'getMany', returnAll: false, limit: 150 });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.transactionId)).toEqual(newestFirst().slice(0, 150));
		expect(requestsTo('/v3/payment/transactions', since)).toHaveLength(2);
	});

	it('a small limit is sent as the page size: one request', async () => {
		const since = suite.simulator.apiLog().length;
		const { outputs, error } = await run({ resource: 'transaction', operation: 'getMany', returnAll: false, limit: 12 });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.transactionId)).toEqual(newestFirst().slice(0, 12));
		// 12 > the simulator's default page of 7: one request proves `limit=12` was asked for.
		expect(requestsTo('/v3/payment/transactions', since)).toHaveLength(1);
	});
});

describe('refund', () => {
	it('FULL gives back the whole balance, read from Revenue Monster: no amount asked (one GET, one refund)', async () => {
		const paid = await paidTransaction(1000);
		const since = suite.simulator.apiLog().length;
		const { outputs, error } = await run(refund({ transactionId: paid.transactionId, refundType: 'FULL' }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ transactionId: paid.transactionId, status: 'FULL_REFUNDED', balanceAmount: 0 });
		expect(suite.simulator.state.transactionById(paid.transactionId)!.status).toBe('FULL_REFUNDED');
		expect(requestsTo(`/v3/payment/transaction/${paid.transactionId}`, since)).toHaveLength(1);
		expect(requestsTo('/v3/payment/refund', since)).toHaveLength(1);
	});

	it('FULL after a partial refund refunds exactly what is left (a stale Amount in a saved workflow is ignored)', async () => {
		const paid = await paidTransaction(1000);
		await run(refund({ transactionId: paid.transactionId, amount: 300 }));
		const { outputs, error } = await run(refund({ transactionId: paid.transactionId, refundType: 'FULL', amount: 1000 }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'FULL_REFUNDED', balanceAmount: 0 });
	});

	it('FULL of a payment with nothing left fails before any refund is sent, naming the balance and status', async () => {
		const paid = await paidTransaction(1000);
		await run(refund({ transactionId: paid.transactionId, refundType: 'FULL' }));
		const since = suite.simulator.apiLog().length;
		const { error } = await run(refund({ transactionId: paid.transactionId, refundType: 'FULL' }));
		expect(error?.message).toBe(
			`Nothing left to refund: transaction ${paid.transactionId} has a balance of 0 cents (status FULL_REFUNDED)`,
		);
		expect(requestsTo('/v3/payment/refund', since)).toHaveLength(0);
	});

	it('control: Revenue Monster (the simulator) refuses a FULL refund whose amount is not the balance', async () => {
		const paid = await paidTransaction(1000);
		await expect(
			simulatorCall(suite.simulator.url, 'POST', '/v3/payment/refund', {
				transactionId: paid.transactionId,
				refund: { type: 'FULL', currencyType: 'MYR', amount: 999 },
				reason: 'wrong amount',
			}),
		).rejects.toThrow(/VALIDATION_ERROR/);
	});

	it('shows Amount only for a partial refund, empty until typed', () => {
		const amountFields = new RevenueMonster().description.properties.filter(
			(property) => property.name === 'amount' && property.displayOptions?.show?.operation?.includes('refund'),
		);
		expect(amountFields).toHaveLength(1);
		expect(amountFields[0].displayOptions?.show?.refundType).toEqual(['PARTIAL']);
		expect(amountFields[0].default).toBeNull();
	});

	it('PARTIAL gives back part, and a second partial refund can take the rest', async () => {
		const paid = await paidTransaction(1000);
		const first = await run(refund({ transactionId: paid.transactionId, amount: 300 }));
		expect(first.error).toBeUndefined();
		expect(first.outputs[0][0].json).toMatchObject({ status: 'PARTIAL_REFUNDED', balanceAmount: 700 });
		const second = await run(refund({ transactionId: paid.transactionId, amount: '700' }));
		expect(second.error).toBeUndefined();
		expect(second.outputs[0][0].json).toMatchObject({ status: 'FULL_REFUNDED', balanceAmount: 0 });
	});

	it('more than the balance is RM’s INSUFFICIENT_REFUND_AMOUNT, with its code, message and hint', async () => {
		const paid = await paidTransaction(1000);
		const { error } = await run(refund({ transactionId: paid.transactionId, amount: 1001 }));
		expect(error?.message).toBe('Revenue Monster: insufficient refund amount [INSUFFICIENT_REFUND_AMOUNT]');
		expect(error?.description).toMatch(/larger than what is left of the transaction/);
		expect(error?.context?.revenueMonsterCode).toBe('INSUFFICIENT_REFUND_AMOUNT');
		expect(suite.simulator.state.transactionById(paid.transactionId)!.balanceAmount).toBe(1000);
	});

	it('with the error output on, a failed refund goes there and the other items are refunded', async () => {
		const a = await paidTransaction(1000);
		const b = await paidTransaction(500);
		const c = await paidTransaction(800);
		const { outputs, error } = await run(
			refund({ transactionId: '={{ $json.id }}', amount: '={{ $json.amount }}' }),
			[
				{ id: a.transactionId, amount: 200 },
				{ id: b.transactionId, amount: 900 },
				{ id: c.transactionId, amount: 800 },
			],
			'continueErrorOutput',
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.json.transactionId, item.json.balanceAmount, item.pairedItem])).toEqual([
			[a.transactionId, 800, { item: 0 }],
			[c.transactionId, 0, { item: 2 }],
		]);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		// The error item keeps the input item (to route on) plus RM's message with its code.
		expect(outputs[1][0].json).toMatchObject({
			id: b.transactionId,
			amount: 900,
			error: 'Revenue Monster: insufficient refund amount [INSUFFICIENT_REFUND_AMOUNT]',
		});
		// Only `error` and `message` are added: the shape n8n 1.x and 2.x both route (README, "Compatibility").
		expect(Object.keys(outputs[1][0].json).every((key) => ['id', 'amount', 'error', 'message'].includes(key))).toBe(true);
		expect(suite.simulator.state.transactionById(b.transactionId)!.balanceAmount).toBe(500);
	});

	it('a refund whose answer times out is not sent again and says the outcome is unknown', async () => {
		const paid = await paidTransaction(1000);
		// RM does the refund, then answers after 1.5 s; the node waits 1 s. Client and simulator share
		// one event loop, so the node's timer always fires first.
		suite.simulator.addFault({ kind: 'slow', method: 'POST', path: '/v3/payment/refund', delayMs: 1_500 });
		const since = suite.simulator.apiLog().length;
		const { error } = await run(refund({ transactionId: paid.transactionId, amount: 400, options: { timeout: 1 } }));
		expect(error?.message).toMatch(
			/^Outcome unknown: POST \/v3\/payment\/refund was sent but no answer came back \(timeout or dropped connection\)\. It was not retried/,
		);
		expect(error?.description).toMatch(/may or may not have happened.*look it up/);
		expect(requestsTo('/v3/payment/refund', since)).toHaveLength(1);
		// It did happen: refunding again would have given back 800.
		expect(suite.simulator.state.transactionById(paid.transactionId)!.balanceAmount).toBe(600);
	});

	describe('bad input is refused before anything is sent', () => {
		it.each([
			['a decimal amount', 12.5, /^Invalid Amount in item 0: 12\.5 is not a whole number of cents \(amounts are whole cents: RM 12\.50 is 1250\)/],
			['a negative amount', -5, /^Invalid Amount in item 0: -5 is below Revenue Monster's minimum of 10 cents/],
			['"RM10"', 'RM10', /^Invalid Amount in item 0: "RM10" is not a whole number of cents/],
			['an amount below 10 cents', 9, /^Invalid Amount in item 0: 9 is below Revenue Monster's minimum of 10 cents \(RM 0\.10\)/],
			['"12.50" from an expression', '12.50', /^Invalid Amount in item 0: "12\.50" is not a whole number of cents/],
		])('%s', async (_name, amount, message) => {
			const logBefore = suite.simulator.log.length;
			const { error } = await run(refund({ transactionId: '123', amount: '={{ $json.amount }}' }), [{ amount }]);
			expect(error?.message).toMatch(message);
			expect(error?.description).toBe('Nothing was sent to Revenue Monster for item 0.');
			expect(suite.simulator.log.length).toBe(logBefore);
		});

		it('names each bad item with "continue on fail", and refunds the good one', async () => {
			const paid = await paidTransaction(1000);
			const since = suite.simulator.apiLog().length;
			const { outputs, error } = await run(
				refund({ transactionId: paid.transactionId, amount: '={{ $json.amount }}' }),
				[{ amount: 'RM10' }, { amount: 250 }, { amount: 0.5 }],
				'continueRegularOutput',
			);
			expect(error).toBeUndefined();
			expect(outputs[0][0].json.error).toMatch(/^Invalid Amount in item 0: "RM10"/);
			expect(outputs[0][1].json).toMatchObject({ status: 'PARTIAL_REFUNDED', balanceAmount: 750 });
			expect(outputs[0][2].json.error).toMatch(/^Invalid Amount in item 2: 0\.5 /);
			expect(requestsTo('/v3/payment/refund', since)).toHaveLength(1);
		});
	});
});

describe('reverse', () => {
	it('reverses a recent payment by order ID', async () => {
		const paid = await paidTransaction(1200);
		const { outputs, error } = await run({ resource: 'transaction', operation: 'reverse', orderId: paid.order.id });
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ transactionId: paid.transactionId, status: 'REVERSED', balanceAmount: 0 });
	});

	it('with the error output on, an unknown order goes there and the others are reversed', async () => {
		const a = await paidTransaction(1000);
		const b = await paidTransaction(1000);
		const { outputs, error } = await run(
			{ resource: 'transaction', operation: 'reverse', orderId: '={{ $json.orderId }}' },
			[{ orderId: a.order.id }, { orderId: 'no-such-order' }, { orderId: b.order.id }],
			'continueErrorOutput',
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.json.status, item.pairedItem])).toEqual([
			['REVERSED', { item: 0 }],
			['REVERSED', { item: 2 }],
		]);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json).toMatchObject({
			orderId: 'no-such-order',
			error: 'Revenue Monster: transaction not found [TRANSACTION_NOT_FOUND]',
		});
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
	});

	it('a reversal whose connection drops is not sent again', async () => {
		const paid = await paidTransaction(1000);
		suite.simulator.addFault({ kind: 'drop', method: 'POST', path: '/v3/payment/reverse' });
		const since = suite.simulator.apiLog().length;
		const { error } = await run({ resource: 'transaction', operation: 'reverse', orderId: paid.order.id });
		expect(error?.message).toMatch(/^Outcome unknown: POST \/v3\/payment\/reverse was sent but no answer came back/);
		expect(requestsTo('/v3/payment/reverse', since)).toHaveLength(1);
	});
});
