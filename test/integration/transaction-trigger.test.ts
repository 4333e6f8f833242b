/**
 * The Revenue Monster Transaction Trigger polling the simulator through n8n-core's PollContext:
 * nothing on the first poll, then each new or changed transaction in a chosen status exactly once,
 * over several polls, a restart, a status change deep in the list and a burst of several pages.
 */
import type { IDataObject } from 'n8n-workflow';

import { RevenueMonsterTransactionTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTransactionTrigger.node';
import { PollHarness } from '../helpers/poll';
import type { Transaction } from '../../simulator/state';
import { seedPayment } from '../../support/seed';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator({ perTest: true });

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

function addTransaction(status: string, fields: { type?: string; hoursAgo?: number; amount?: number } = {}): Transaction {
	const recurring = (fields.type ?? 'RECURRING_PAYMENT') === 'RECURRING_PAYMENT';
	const transaction = seedPayment(suite.simulator, {
		title: 'Subscription',
		amount: fields.amount ?? 1000,
		recurring,
		type: fields.type ?? 'RECURRING_PAYMENT',
		status,
		errorMessage: status === 'FAILED' ? '9010' : undefined,
	});
	if (fields.hoursAgo !== undefined) transaction.createdAt = transaction.updatedAt = hoursAgo(fields.hoursAgo);
	return transaction;
}

function trigger(parameters: IDataObject = {}): PollHarness {
	return new PollHarness(new RevenueMonsterTransactionTrigger(), { statuses: ['FAILED'], ...parameters }, suite.credentials);
}

const listCalls = () => suite.simulator.apiLog().filter((entry) => entry.path === '/v3/payment/transactions').length;
const ids = (items: IDataObject[]) => items.map((item) => item.transactionId).sort();

describe('first poll and new transactions', () => {
	it('the first poll records what is there and emits nothing, even with FAILED ones', async () => {
		addTransaction('FAILED');
		addTransaction('FAILED', { hoursAgo: 5 });
		const poller = trigger();
		expect(await poller.activate()).toEqual([]);
		expect(await poller.poll()).toEqual([]);
	});

	it('a declined card charge made with Order → Create is emitted once, with eventKey', async () => {
		const poller = trigger();
		await poller.activate();
		const customer = suite.simulator.state.customers;
		const customerId = await suite.boundCustomer('late@example.com');
		suite.simulator.addFault({ kind: 'decline', method: 'POST', path: '/order' });
		const charge = await suite.run({ resource: 'order', operation: 'create', customerId, currency: 'MYR', amount: 4900 });
		expect(charge.error?.message).toMatch(/Charge declined/);
		expect(customer.size).toBe(1);

		const emitted = await poller.poll();
		expect(emitted).toHaveLength(1);
		const failed = suite.simulator.state.transactions.find((transaction) => transaction.status === 'FAILED')!;
		expect(emitted[0]).toMatchObject({
			transactionId: failed.transactionId,
			status: 'FAILED',
			type: 'RECURRING_PAYMENT',
			order: { amount: 4900 },
			eventKey: `${failed.transactionId}:FAILED`,
			previousStatus: null,
		});
		expect(await poller.poll()).toEqual([]);
		expect(await poller.poll()).toEqual([]);
	});

	it('one call per poll while the window holds fewer than 100 transactions', async () => {
		for (let i = 0; i < 60; i++) addTransaction('SUCCESS', { hoursAgo: i });
		const poller = trigger();
		await poller.activate();
		const before = listCalls();
		await poller.poll();
		await poller.poll();
		expect(listCalls() - before).toBe(2);
	});

	it('stops reading at the start of the window: 500 older transactions cost no extra call', async () => {
		for (let i = 0; i < 500; i++) addTransaction('SUCCESS', { hoursAgo: 200 + i });
		for (let i = 0; i < 10; i++) addTransaction('SUCCESS', { hoursAgo: i });
		const poller = trigger();
		await poller.activate();
		const before = listCalls();
		await poller.poll();
		expect(listCalls() - before).toBe(1);
	});

	it('a burst of 250 FAILED charges between two polls (three pages): each emitted once', async () => {
		addTransaction('SUCCESS', { hoursAgo: 100 });
		const poller = trigger();
		await poller.activate();
		const burst = Array.from({ length: 250 }, () => addTransaction('FAILED'));
		const before = listCalls();
		const emitted = await poller.poll();
		expect(listCalls() - before).toBe(3);
		expect(ids(emitted)).toEqual(burst.map((transaction) => transaction.transactionId).sort());
		expect(new Set(emitted.map((item) => item.eventKey)).size).toBe(250);
		expect(await poller.poll()).toEqual([]);
	});
});

describe('status changes', () => {
	it('a refund of a payment 48 hours old, behind two pages of newer ones, is emitted once', async () => {
		const old = addTransaction('SUCCESS', { type: 'WEB_PAYMENT', hoursAgo: 48 });
		for (let i = 0; i < 230; i++) addTransaction('SUCCESS', { hoursAgo: 47 - i / 10 });
		const poller = trigger({ statuses: ['FULL_REFUNDED', 'PARTIAL_REFUNDED'] });
		await poller.activate();
		expect(await poller.poll()).toEqual([]);

		suite.simulator.changeTransactionStatus(old.transactionId, 'PARTIAL_REFUNDED');
		const emitted = await poller.poll();
		expect(emitted).toHaveLength(1);
		expect(emitted[0]).toMatchObject({
			transactionId: old.transactionId,
			status: 'PARTIAL_REFUNDED',
			previousStatus: 'SUCCESS',
			eventKey: `${old.transactionId}:PARTIAL_REFUNDED`,
		});
		expect(await poller.poll()).toEqual([]);

		suite.simulator.changeTransactionStatus(old.transactionId, 'FULL_REFUNDED');
		expect((await poller.poll()).map((item) => item.eventKey)).toEqual([`${old.transactionId}:FULL_REFUNDED`]);
		expect(await poller.poll()).toEqual([]);
	});

	it('an IN_PROCESS charge that later fails is emitted when it fails, not before', async () => {
		const poller = trigger();
		await poller.activate();
		const pending = addTransaction('IN_PROCESS');
		expect(await poller.poll()).toEqual([]);
		suite.simulator.changeTransactionStatus(pending.transactionId, 'FAILED', 'insufficient funds');
		const emitted = await poller.poll();
		expect(emitted).toEqual([
			expect.objectContaining({ transactionId: pending.transactionId, status: 'FAILED', previousStatus: 'IN_PROCESS' }),
		]);
	});

	it('a change of a payment created before the look-back window is not reported (the documented limit)', async () => {
		const old = addTransaction('SUCCESS', { hoursAgo: 80 });
		const poller = trigger({ statuses: ['FULL_REFUNDED'] });
		await poller.activate();
		suite.simulator.changeTransactionStatus(old.transactionId, 'FULL_REFUNDED');
		expect(await poller.poll()).toEqual([]);
		// Control: with a longer window the same change is seen.
		const wider = trigger({ statuses: ['FULL_REFUNDED'], options: { lookBackHours: 100 } });
		suite.simulator.changeTransactionStatus(old.transactionId, 'SUCCESS');
		await wider.activate();
		suite.simulator.changeTransactionStatus(old.transactionId, 'FULL_REFUNDED');
		expect(ids(await wider.poll())).toEqual([old.transactionId]);
	});
});

describe('restarts', () => {
	it('after a restart nothing already emitted comes again, and what changed meanwhile comes once', async () => {
		const poller = trigger();
		await poller.activate();
		const first = addTransaction('FAILED');
		expect(ids(await poller.poll())).toEqual([first.transactionId]);

		// A poll that emits nothing is not saved by n8n: its IN_PROCESS record is lost in the restart.
		const pending = addTransaction('IN_PROCESS');
		expect(await poller.poll()).toEqual([]);
		poller.restart();
		suite.simulator.changeTransactionStatus(pending.transactionId, 'FAILED');
		const second = addTransaction('FAILED');

		expect(ids(await poller.poll())).toEqual([pending.transactionId, second.transactionId].sort());
		poller.restart();
		expect(await poller.poll()).toEqual([]);
		expect(await poller.poll()).toEqual([]);
	});

	it('a restart right after activation keeps the starting point (activation saves it)', async () => {
		addTransaction('FAILED', { hoursAgo: 1 });
		const poller = trigger();
		await poller.activate();
		poller.restart();
		expect(await poller.poll()).toEqual([]);
		const fresh = addTransaction('FAILED');
		poller.restart();
		expect(ids(await poller.poll())).toEqual([fresh.transactionId]);
	});

	it('control: with the state thrown away, the poller starts over and a change is missed', async () => {
		const poller = trigger();
		await poller.activate();
		const pending = addTransaction('IN_PROCESS');
		poller.saved = {};
		poller.restart();
		suite.simulator.changeTransactionStatus(pending.transactionId, 'FAILED');
		expect(await poller.poll()).toEqual([]);
	});
});

describe('filters', () => {
	it('statuses and types choose what is emitted', async () => {
		const recurringOnly = trigger({ statuses: ['FAILED', 'REVERSED'], options: { types: ['RECURRING_PAYMENT'] } });
		const everything = trigger({ statuses: ['FAILED', 'SUCCESS', 'REVERSED'] });
		await recurringOnly.activate();
		await everything.activate();
		const recurringFailed = addTransaction('FAILED');
		const webFailed = addTransaction('FAILED', { type: 'WEB_PAYMENT' });
		const paid = addTransaction('SUCCESS');
		const reversed = addTransaction('SUCCESS');
		suite.simulator.changeTransactionStatus(reversed.transactionId, 'REVERSED');

		expect(ids(await recurringOnly.poll())).toEqual([recurringFailed.transactionId, reversed.transactionId].sort());
		expect(ids(await everything.poll())).toEqual(
			[recurringFailed, webFailed, paid, reversed].map((transaction) => transaction.transactionId).sort(),
		);
	});
});

describe('Fetch Test Event', () => {
	it('returns the newest matching transaction and leaves the poller’s state alone', async () => {
		addTransaction('FAILED', { hoursAgo: 3 });
		const newest = addTransaction('FAILED', { hoursAgo: 1 });
		addTransaction('SUCCESS');
		const poller = trigger();
		const example = await poller.fetchTestEvent();
		expect(example).toEqual([expect.objectContaining({ transactionId: newest.transactionId, eventKey: `${newest.transactionId}:FAILED` })]);
		expect(poller.saved).toEqual({});
	});

	it('says so when nothing matches', async () => {
		addTransaction('SUCCESS');
		await expect(trigger({ statuses: ['REVERSED'] }).fetchTestEvent()).rejects.toThrow(/No transaction with status REVERSED/);
	});
});

describe('rate limit', () => {
	it('backs off on 429 and the poll still completes', async () => {
		const poller = trigger();
		await poller.activate();
		const failed = addTransaction('FAILED');
		suite.simulator.addFault({ kind: 'rateLimit', times: 2, method: 'GET', path: '/v3/payment/transactions' });
		expect(ids(await poller.poll())).toEqual([failed.transactionId]);
		const statuses = suite.simulator
			.apiLog()
			.filter((entry) => entry.path === '/v3/payment/transactions')
			.slice(-3)
			.map((entry) => entry.status);
		expect(statuses).toEqual([429, 429, 200]);
	});

	it('a poll that fails leaves the state as it was, so the next one reports what it missed', async () => {
		const poller = trigger();
		await poller.activate();
		const failed = addTransaction('FAILED');
		suite.simulator.addFault({ kind: 'serverError', times: 3, method: 'GET', path: '/v3/payment/transactions' });
		await expect(poller.poll()).rejects.toThrow();
		expect(ids(await poller.poll())).toEqual([failed.transactionId]);
	});
});
