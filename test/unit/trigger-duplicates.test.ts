/** What the trigger remembers, and how it reads a notification's identity. */
import type { IDataObject } from 'n8n-workflow';

import { MAX_REMEMBERED_PAYMENTS, NotificationMemory } from '../../nodes/RevenueMonster/trigger/duplicates';
import {
	duplicateKeyOf,
	notificationFromBody,
	notificationFromQuery,
	paymentIdOf,
} from '../../nodes/RevenueMonster/trigger/notification';

let scopeCounter = 0;
/** A fresh workflow+node scope: nothing of it is in this process's memory yet. */
const freshScope = () => `unit-workflow-${scopeCounter++}:node`;
const window = { toleranceSeconds: 300, nowMs: 1_760_000_000_000 };
const nowSeconds = window.nowMs / 1000;

describe('NotificationMemory', () => {
	it('remembers an accepted payment in the static data, readable after a restart (new process memory)', () => {
		const staticData: IDataObject = {};
		const scope = freshScope();
		new NotificationMemory(staticData, scope).remember({ key: 'PAYMENT_WEB_ONLINE:1:SUCCESS' }, window);

		// n8n saves static data as JSON and loads it back for the next request.
		const reloaded = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const afterRestart = new NotificationMemory(reloaded, freshScope());
		expect(afterRestart.wasAccepted('PAYMENT_WEB_ONLINE:1:SUCCESS')).toBe(true);
		expect(afterRestart.wasAccepted('PAYMENT_WEB_ONLINE:1:REFUNDED')).toBe(false);
		expect(afterRestart.wasAccepted('PAYMENT_WEB_ONLINE:2:SUCCESS')).toBe(false);
	});

	it('also remembers in this process, before n8n has saved the static data', () => {
		const scope = freshScope();
		new NotificationMemory({}, scope).remember({ key: 'k1', nonce: 'n1', signedAtSeconds: nowSeconds }, window);
		const sameWorkflowUnsavedData = new NotificationMemory({}, scope);
		expect(sameWorkflowUnsavedData.wasAccepted('k1')).toBe(true);
		expect(sameWorkflowUnsavedData.nonceWasAccepted('n1')).toBe(true);
		// Another workflow's trigger is not affected.
		expect(new NotificationMemory({}, freshScope()).wasAccepted('k1')).toBe(false);
	});

	it(`keeps the last ${MAX_REMEMBERED_PAYMENTS} payments, oldest dropped first, and assigns (so n8n saves it)`, () => {
		const staticData: IDataObject = {};
		const memory = new NotificationMemory(staticData, freshScope());
		for (let i = 0; i < MAX_REMEMBERED_PAYMENTS + 5; i++) memory.remember({ key: `k${i}` }, window);
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
		const memory = new NotificationMemory(staticData, freshScope());
		memory.remember({ nonce: 'old', signedAtSeconds: nowSeconds - 1000 }, window);
		memory.remember({ nonce: 'recent', signedAtSeconds: nowSeconds - 10 }, window);
		expect(Object.keys(staticData.acceptedNonces as IDataObject)).toEqual(['recent']);

		const reloaded = new NotificationMemory(JSON.parse(JSON.stringify(staticData)) as IDataObject, freshScope());
		expect(reloaded.nonceWasAccepted('recent')).toBe(true);
		expect(reloaded.nonceWasAccepted('old')).toBe(false); // the window refuses it anyway
	});

	it('lets only one copy of a payment be processed at a time', () => {
		const scope = freshScope();
		const first = new NotificationMemory({}, scope);
		const second = new NotificationMemory({}, scope);
		expect(first.claim('k')).toBe(true);
		expect(second.claim('k')).toBe(false);
		first.release('k');
		expect(second.claim('k')).toBe(true);
		second.release('k');
	});

	it('ignores static data of an unexpected shape instead of failing', () => {
		const memory = new NotificationMemory({ acceptedPayments: 'oops', acceptedNonces: [1] }, freshScope());
		expect(memory.wasAccepted('k')).toBe(false);
		expect(memory.nonceWasAccepted('n')).toBe(false);
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

	it('reads a GET notification from the query: data as JSON text, as an object, or as separate fields', () => {
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', data: '{"orderId":"o1","amount":100}' })).toEqual({
			eventType: 'RECURRING_PAYMENT',
			data: { orderId: 'o1', amount: 100 },
		});
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', data: { orderId: 'o1' } })?.data).toEqual({ orderId: 'o1' });
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', orderId: 'o1', status: 'SUCCESS' })?.data).toEqual({
			orderId: 'o1',
			status: 'SUCCESS',
		});
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT' })).toBeUndefined();
		expect(notificationFromQuery({ eventType: 'RECURRING_PAYMENT', data: '{not json' })).toBeUndefined();
		expect(notificationFromQuery({ orderId: 'o1' })).toBeUndefined();
	});

	it('identifies an online payment by transaction id and a recurring charge by order id, with its status', () => {
		const online = { eventType: 'PAYMENT_WEB_ONLINE', data: { transactionId: 't1', order: { id: 'o1' }, status: 'SUCCESS' } };
		const recurring = { eventType: 'RECURRING_PAYMENT', data: { orderId: 'o2', status: 'SUCCESS' } };
		expect(paymentIdOf(online)).toBe('t1');
		expect(paymentIdOf(recurring)).toBe('o2');
		expect(duplicateKeyOf(online)).toBe('PAYMENT_WEB_ONLINE:t1:SUCCESS');
		expect(duplicateKeyOf(recurring)).toBe('RECURRING_PAYMENT:o2:SUCCESS');
		expect(duplicateKeyOf({ eventType: 'PAYMENT_WEB_ONLINE', data: { orderId: 'o1' } })).toBeUndefined();
	});
});
