/** What the trigger remembers, and how it reads a notification's identity. */
import type { IDataObject } from 'n8n-workflow';

import { MAX_REMEMBERED_PAYMENTS, nonceKey, NotificationMemory } from '../../nodes/RevenueMonster/trigger/duplicates';
import {
	inFlightKeyOf,
	notificationFromBody,
	notificationFromQuery,
	paymentIdOf,
} from '../../nodes/RevenueMonster/trigger/notification';

let scopeCounter = 0;
/** A fresh workflow+node scope: nothing of it is in this process's memory yet. */
const freshScope = () => `unit-workflow-${scopeCounter++}:node`;
const window = { toleranceSeconds: 300, nowMs: () => 1_760_000_000_000 };
const nowSeconds = window.nowMs() / 1000;

describe('NotificationMemory', () => {
	it('remembers an accepted payment in the static data, readable after a restart (new process memory)', () => {
		const staticData: IDataObject = {};
		const scope = freshScope();
		new NotificationMemory(staticData, scope, window).commit('transaction:1:SUCCESS');

		// n8n saves static data as JSON and loads it back for the next request.
		const reloaded = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const afterRestart = new NotificationMemory(reloaded, freshScope());
		expect(afterRestart.wasAccepted('transaction:1:SUCCESS')).toBe(true);
		expect(afterRestart.wasAccepted('transaction:1:REFUNDED')).toBe(false);
		expect(afterRestart.wasAccepted('transaction:2:SUCCESS')).toBe(false);
	});

	it('also remembers in this process, before n8n has saved the static data', () => {
		const scope = freshScope();
		const memory = new NotificationMemory({}, scope, window);
		memory.commit('k1');
		memory.commit(nonceKey('n1'), nowSeconds);
		const sameWorkflowUnsavedData = new NotificationMemory({}, scope, window);
		expect(sameWorkflowUnsavedData.wasAccepted('k1')).toBe(true);
		expect(sameWorkflowUnsavedData.wasAccepted(nonceKey('n1'))).toBe(true);
		// Another workflow's trigger is not affected.
		expect(new NotificationMemory({}, freshScope()).wasAccepted('k1')).toBe(false);
	});

	it(`keeps the last ${MAX_REMEMBERED_PAYMENTS} payments, oldest dropped first, and assigns (so n8n saves it)`, () => {
		const staticData: IDataObject = {};
		const memory = new NotificationMemory(staticData, freshScope(), window);
		for (let i = 0; i < MAX_REMEMBERED_PAYMENTS + 5; i++) memory.commit(`k${i}`);
		const stored = staticData.acceptedPayments as string[];
		expect(stored).toHaveLength(MAX_REMEMBERED_PAYMENTS);
		expect(stored[0]).toBe('k5');
		expect(stored[stored.length - 1]).toBe(`k${MAX_REMEMBERED_PAYMENTS + 4}`);

		const reloaded = new NotificationMemory(JSON.parse(JSON.stringify(staticData)) as IDataObject, freshScope());
		expect(reloaded.wasAccepted('k4')).toBe(false);
		expect(reloaded.wasAccepted('k5')).toBe(true);
	});

	it('keeps nonces only while the time window could still accept them', () => {
		const staticData: IDataObject = {};
		const memory = new NotificationMemory(staticData, freshScope(), window);
		memory.commit(nonceKey('old'), nowSeconds - 1000);
		memory.commit(nonceKey('recent'), nowSeconds - 10);
		expect(Object.keys(staticData.acceptedNonces as IDataObject)).toEqual(['recent']);

		const reloaded = new NotificationMemory(JSON.parse(JSON.stringify(staticData)) as IDataObject, freshScope());
		expect(reloaded.wasAccepted(nonceKey('recent'))).toBe(true);
		expect(reloaded.wasAccepted(nonceKey('old'))).toBe(false); // the window refuses it anyway
	});

	it('claim → release lets the next copy try; claim → commit makes every later claim "accepted"', () => {
		const scope = freshScope();
		const first = new NotificationMemory({}, scope);
		const second = new NotificationMemory({}, scope);
		expect(first.claim('k')).toBe('claimed');
		expect(second.claim('k')).toBe('inFlight');
		first.release('k');
		expect(second.claim('k')).toBe('claimed');
		second.commit('k');
		expect(first.claim('k')).toBe('accepted');
		expect(new NotificationMemory({}, freshScope()).claim('k')).toBe('claimed');
	});

	it('puts back, on its next write, the keys it committed that another process\'s save dropped (queue mode)', () => {
		const scope = freshScope();
		// This process accepts p1; its static data is saved…
		new NotificationMemory({}, scope, window).commit('transaction:p1:SUCCESS');
		// …then another webhook process, which loaded the static data before that save, saves its own copy.
		const overwritten: IDataObject = { acceptedPayments: ['transaction:p2:SUCCESS'] };
		new NotificationMemory(overwritten, scope, window).commit('transaction:p3:SUCCESS');
		expect(overwritten.acceptedPayments).toEqual(['transaction:p2:SUCCESS', 'transaction:p1:SUCCESS', 'transaction:p3:SUCCESS']);

		// Control: a process that committed nothing for this workflow writes only what it loaded and the new key.
		const elsewhere: IDataObject = { acceptedPayments: ['transaction:p2:SUCCESS'] };
		new NotificationMemory(elsewhere, freshScope(), window).commit('transaction:p3:SUCCESS');
		expect(elsewhere.acceptedPayments).toEqual(['transaction:p2:SUCCESS', 'transaction:p3:SUCCESS']);
	});

	/** A second webhook process: another copy of the module, with its own process memory. */
	function anotherProcess(): typeof NotificationMemory {
		let other: typeof NotificationMemory = NotificationMemory;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			other = (require('../../nodes/RevenueMonster/trigger/duplicates') as { NotificationMemory: typeof NotificationMemory })
				.NotificationMemory;
		});
		return other;
	}

	it('keeps what it read in saved static data, so a stale save cannot make it forget (queue mode)', () => {
		const ProcessB = anotherProcess();
		const scope = freshScope();
		const savedByA: IDataObject = {};
		new NotificationMemory(savedByA, scope, window).commit('transaction:p1:SUCCESS');

		// B handles a request that loaded the static data after A's save: it learns p1.
		new ProcessB(JSON.parse(JSON.stringify(savedByA)) as IDataObject, scope, window).learnSavedPayments();
		// A slow request of B's, which loaded the static data before A's save, accepts p2 and writes.
		const staleSnapshot: IDataObject = {};
		const slow = new ProcessB(staleSnapshot, scope, window);
		slow.learnSavedPayments();
		slow.commit('transaction:p2:SUCCESS');
		expect(staleSnapshot.acceptedPayments).toEqual(['transaction:p1:SUCCESS', 'transaction:p2:SUCCESS']);
		// A copy of p1 on B is a duplicate even when the snapshot it loaded lacks p1.
		expect(new ProcessB({}, scope, window).claim('transaction:p1:SUCCESS')).toBe('accepted');

		// Control: a process that never read p1 drops it on a stale write, and would run p1 again.
		const ProcessC = anotherProcess();
		const staleOnC: IDataObject = {};
		new ProcessC(staleOnC, scope, window).commit('transaction:p2:SUCCESS');
		expect(staleOnC.acceptedPayments).toEqual(['transaction:p2:SUCCESS']);
		expect(new ProcessC({}, scope, window).claim('transaction:p1:SUCCESS')).toBe('claimed');
	});

	it('saveKnownPayments writes only the payments the loaded static data lacks, and nothing when none is missing', () => {
		const scope = freshScope();
		new NotificationMemory({}, scope, window).commit('transaction:p1:SUCCESS');
		const lacking: IDataObject = { acceptedPayments: ['transaction:p0:SUCCESS'] };
		expect(new NotificationMemory(lacking, scope, window).saveKnownPayments()).toBe(true);
		expect(lacking.acceptedPayments).toEqual(['transaction:p0:SUCCESS', 'transaction:p1:SUCCESS']);

		const complete: IDataObject = { acceptedPayments: ['transaction:p1:SUCCESS'] };
		expect(new NotificationMemory(complete, scope, window).saveKnownPayments()).toBe(false);
		expect(complete).toEqual({ acceptedPayments: ['transaction:p1:SUCCESS'] });
		// Control: a process that knows nothing for this workflow writes nothing.
		const elsewhere: IDataObject = { acceptedPayments: ['transaction:p0:SUCCESS'] };
		expect(new NotificationMemory(elsewhere, freshScope(), window).saveKnownPayments()).toBe(false);
	});

	it('commitInProcess remembers a key without touching the static data (so n8n saves nothing)', () => {
		const scope = freshScope();
		const staticData: IDataObject = { acceptedPayments: ['k'] };
		const memory = new NotificationMemory(staticData, scope, window);
		expect(memory.claim(nonceKey('n'))).toBe('claimed');
		memory.commitInProcess(nonceKey('n'));
		expect(staticData).toEqual({ acceptedPayments: ['k'] });
		expect(new NotificationMemory({}, scope, window).claim(nonceKey('n'))).toBe('accepted');
		// Control: commit writes it.
		memory.commit(nonceKey('m'), nowSeconds);
		expect(Object.keys(staticData.acceptedNonces as IDataObject)).toEqual(['m']);
	});

	it('ignores static data of an unexpected shape instead of failing', () => {
		const memory = new NotificationMemory({ acceptedPayments: 'oops', acceptedNonces: [1] }, freshScope());
		expect(memory.wasAccepted('k')).toBe(false);
		expect(memory.wasAccepted(nonceKey('n'))).toBe(false);
	});
});

describe('reading a notification', () => {
	it('reads {eventType, data} from the body and refuses anything else', () => {
		expect(notificationFromBody('{"eventType":"PAYMENT_WEB_ONLINE","data":{"transactionId":"1"}}')).toEqual({
			eventType: 'PAYMENT_WEB_ONLINE',
			data: { transactionId: '1' },
		});
		for (const bad of ['', '{', 'null', '[]', '{"eventType":"X"}', '{"eventType":1,"data":{}}', '{"eventType":"X","data":[]}']) {
			expect(notificationFromBody(bad)).toBeUndefined();
		}
	});

	it('reads a GET notification from the query as a hint: data as JSON text, as an object, or as fields', () => {
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', data: '{"orderId":"o1","amount":100,"deep":{"a":1}}' })).toEqual({
			eventType: 'RECURRING_PAYMENT',
			data: { orderId: 'o1', amount: 100, deep: { a: 1 } },
		});
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', data: { orderId: 'o1' } })?.data).toEqual({ orderId: 'o1' });
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', orderId: 'o1', status: 'SUCCESS' })?.data).toEqual({
			orderId: 'o1',
			status: 'SUCCESS',
		});
		// Non-finite numbers and deep nesting are refused (400), never thrown on (issue 9, item 5).
		expect(notificationFromQuery({ eventType: 'X', data: '{"a":1e999,"orderId":"o"}' })).toBeUndefined();
		expect(notificationFromQuery({ eventType: 'X', data: '['.repeat(5000) + ']'.repeat(5000) })).toBeUndefined();
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT' })).toBeUndefined();
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', data: '{not json' })).toBeUndefined();
		expect(notificationFromQuery({ orderId: 'o1' })).toBeUndefined();
	});

	it('refuses bodies with non-finite numbers or deeper nesting than any RM notification', () => {
		expect(notificationFromBody('{"eventType":"X","data":{"amount":1e999}}')).toBeUndefined();
		expect(notificationFromBody(`{"eventType":"X","data":{"a":${'['.repeat(40)}${']'.repeat(40)}}}`)).toBeUndefined();
		expect(notificationFromBody(`{"eventType":"X","data":{"a":${'['.repeat(5)}${']'.repeat(5)}}}`)).toBeDefined();
	});

	it('identifies an online payment by transaction id and a recurring charge by order id', () => {
		const online = { eventType: 'PAYMENT_WEB_ONLINE', data: { transactionId: 't1', order: { id: 'o1' }, status: 'SUCCESS' } };
		const recurring = { eventType: 'RECURRING_PAYMENT', data: { orderId: 'o2', status: 'SUCCESS' } };
		expect(paymentIdOf(online)).toBe('t1');
		expect(paymentIdOf(recurring)).toBe('o2');
		expect(inFlightKeyOf(online)).toBe('lookup:PAYMENT_WEB_ONLINE:t1');
		expect(paymentIdOf({ eventType: 'PAYMENT_WEB_ONLINE', data: { orderId: 'o1' } })).toBeUndefined();
		expect(paymentIdOf({ eventType: 'PAYMENT_WEB_ONLINE', data: { transactionId: { $ne: 1 } } })).toBeUndefined();
		expect(paymentIdOf({ eventType: 'PAYMENT_WEB_ONLINE', data: { transactionId: 'x'.repeat(65) } })).toBeUndefined();
	});
});
