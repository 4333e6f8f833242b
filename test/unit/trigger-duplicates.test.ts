/** What the trigger remembers, and how it reads a notification's identity. */
import type { IDataObject } from 'n8n-workflow';

import {
	MAX_PAYMENTS_IN_PROCESS,
	MAX_REMEMBERED_PAYMENTS,
	MAX_WORKFLOWS_IN_PROCESS,
	NotificationMemory,
} from '../../nodes/RevenueMonster/trigger/duplicates';
import {
	inFlightKeyOf,
	notificationFromBody,
	notificationFromQuery,
	paymentIdOf,
} from '../../nodes/RevenueMonster/trigger/notification';

let scopeCounter = 0;
/** A fresh workflow+node scope: nothing of it is in this process's memory yet. */
const freshScope = () => `unit-workflow-${scopeCounter++}:node`;
const window = { toleranceSeconds: 300, ignoreDuplicates: true, nowMs: () => 1_760_000_000_000 };
const nowSeconds = window.nowMs() / 1000;
const online = (id: string) => ({ eventKey: `transaction:${id}:SUCCESS`, lookup: `lookup:PAYMENT_WEB_ONLINE:${id}` });
const reload = (staticData: IDataObject) => JSON.parse(JSON.stringify(staticData)) as IDataObject;

type Memory = typeof NotificationMemory;

/** One notification that runs: claim, accept, release. @returns whether it ran */
function accept(
	staticData: IDataObject,
	scope: string,
	payment: { eventKey: string; lookup: string },
	nonce?: string,
	signedAtSeconds?: number,
	Memory: Memory = NotificationMemory,
): boolean {
	const memory = new Memory(staticData, scope, window);
	const claimed = memory.claim(payment.lookup, nonce, signedAtSeconds);
	const ran = claimed === 'claimed' && memory.accept(payment.eventKey, payment.lookup);
	memory.release();
	return ran;
}

/** What a copy arriving now would be told before confirmation (released at once). */
function claimOf(staticData: IDataObject, scope: string, lookup: string, nonce?: string, Memory: Memory = NotificationMemory) {
	const memory = new Memory(staticData, scope, window);
	const outcome = memory.claim(lookup, nonce);
	memory.release();
	return outcome;
}

describe('NotificationMemory', () => {
	it('remembers an accepted payment in the static data, readable after a restart (new process memory)', () => {
		const staticData: IDataObject = {};
		expect(accept(staticData, freshScope(), online('1'))).toBe(true);
		// One string per payment: its lookup key follows from its eventKey.
		expect(staticData.acceptedPayments).toEqual(['transaction:1:SUCCESS']);

		// n8n saves static data as JSON and loads it back for the next request.
		const afterRestart = freshScope();
		expect(claimOf(reload(staticData), afterRestart, online('1').lookup)).toBe('duplicate');
		expect(claimOf(reload(staticData), afterRestart, online('2').lookup)).toBe('claimed');
		// reached by another lookup, the confirmed key still finds it
		const other = new NotificationMemory(reload(staticData), freshScope(), window);
		expect(other.claim('lookup:RECURRING_PAYMENT:o1', undefined)).toBe('claimed');
		expect(other.accept('transaction:1:SUCCESS', 'lookup:RECURRING_PAYMENT:o1')).toBe(false);
	});

	it('saves a lookup its eventKey does not imply (a confirmed recurring charge) right after it', () => {
		const staticData: IDataObject = {};
		accept(staticData, freshScope(), { eventKey: 'transaction:t9:SUCCESS', lookup: 'lookup:RECURRING_PAYMENT:o9' });
		expect(staticData.acceptedPayments).toEqual(['transaction:t9:SUCCESS', 'seen:lookup:RECURRING_PAYMENT:o9']);
		expect(claimOf(reload(staticData), freshScope(), 'lookup:RECURRING_PAYMENT:o9')).toBe('duplicate');
		// the online lookup of the same transaction id is not implied (confirmation answers it: wrong type)
		expect(claimOf(reload(staticData), freshScope(), 'lookup:PAYMENT_WEB_ONLINE:t9')).toBe('claimed');
	});

	it('reads what earlier versions saved: an eventKey and its `seen:` lookup, and `eventType:id:SUCCESS`', () => {
		const saved: IDataObject = {
			acceptedPayments: [
				'PAYMENT_WEB_ONLINE:old:SUCCESS',
				'transaction:t1:SUCCESS',
				'seen:lookup:PAYMENT_WEB_ONLINE:t1',
				'transaction:t2:SUCCESS',
				'seen:lookup:RECURRING_PAYMENT:o2',
			],
		};
		const scope = freshScope();
		expect(claimOf(reload(saved), scope, 'lookup:PAYMENT_WEB_ONLINE:old')).toBe('duplicate');
		expect(claimOf(reload(saved), scope, 'lookup:PAYMENT_WEB_ONLINE:t1')).toBe('duplicate');
		expect(claimOf(reload(saved), scope, 'lookup:RECURRING_PAYMENT:o2')).toBe('duplicate');
		expect(claimOf(reload(saved), scope, 'lookup:PAYMENT_WEB_ONLINE:t3')).toBe('claimed');
		// rewritten in the new form on the next write: one string per payment where one says it all
		const rewritten = reload(saved);
		accept(rewritten, scope, online('t3'));
		expect(rewritten.acceptedPayments).toEqual([
			'seen:lookup:PAYMENT_WEB_ONLINE:old',
			'transaction:t1:SUCCESS',
			'transaction:t2:SUCCESS',
			'seen:lookup:RECURRING_PAYMENT:o2',
			'transaction:t3:SUCCESS',
		]);
	});

	it('also remembers in this process, before n8n has saved the static data; per workflow', () => {
		const scope = freshScope();
		accept({}, scope, online('k1'), 'n1', nowSeconds);
		expect(claimOf({}, scope, online('k1').lookup)).toBe('duplicate');
		expect(claimOf({}, scope, online('k2').lookup, 'n1')).toBe('sameNonce');
		// Another workflow's trigger is not affected.
		expect(claimOf({}, freshScope(), online('k1').lookup, 'n1')).toBe('claimed');
	});

	it(`keeps the last ${MAX_REMEMBERED_PAYMENTS} payments in the static data, oldest dropped first, and assigns (so n8n saves it)`, () => {
		const staticData: IDataObject = {};
		const scope = freshScope();
		for (let i = 0; i < MAX_REMEMBERED_PAYMENTS + 5; i++) accept(staticData, scope, online(`k${i}`));
		const stored = staticData.acceptedPayments as string[];
		expect(stored).toHaveLength(MAX_REMEMBERED_PAYMENTS);
		expect(stored[0]).toBe('transaction:k5:SUCCESS');
		expect(stored[stored.length - 1]).toBe(`transaction:k${MAX_REMEMBERED_PAYMENTS + 4}:SUCCESS`);

		const restarted = freshScope();
		expect(claimOf(reload(staticData), restarted, online('k4').lookup)).toBe('claimed');
		expect(claimOf(reload(staticData), restarted, online('k5').lookup)).toBe('duplicate');
	});

	it(`keeps ${MAX_PAYMENTS_IN_PROCESS} payments per workflow in this process: the first is still a duplicate at the bound, forgotten past it`, () => {
		// n8n 2.41 keeps no static data a run wrote (once there is some): the process memory alone answers.
		const scope = freshScope();
		const busyNeighbour = freshScope();
		for (let i = 0; i < MAX_PAYMENTS_IN_PROCESS; i++) {
			accept({}, scope, online(`p${i}`));
			// another workflow of the process, just as busy, evicts nothing of this one's
			accept({}, busyNeighbour, online(`n${i}`));
		}
		accept({}, busyNeighbour, online('n-extra'));
		expect(claimOf({}, scope, online('p0').lookup)).toBe('duplicate');
		expect(claimOf({}, busyNeighbour, online('n0').lookup)).toBe('claimed'); // its own bound: past it
		accept({}, scope, online('one-more'));
		expect(claimOf({}, scope, online('p0').lookup)).toBe('claimed'); // past the bound: forgotten
		expect(claimOf({}, scope, online('p1').lookup)).toBe('duplicate');
	});

	it(`forgets the least recently notified workflow past ${MAX_WORKFLOWS_IN_PROCESS} workflows`, () => {
		const first = freshScope();
		accept({}, first, online('w'));
		for (let i = 0; i < MAX_WORKFLOWS_IN_PROCESS - 1; i++) accept({}, freshScope(), online('w'));
		expect(claimOf({}, first, online('w').lookup)).toBe('duplicate'); // also makes it the most recent
		for (let i = 0; i < MAX_WORKFLOWS_IN_PROCESS - 1; i++) accept({}, freshScope(), online('w'));
		expect(claimOf({}, first, online('w').lookup)).toBe('duplicate');
		for (let i = 0; i < MAX_WORKFLOWS_IN_PROCESS; i++) accept({}, freshScope(), online('w'));
		expect(claimOf({}, first, online('w').lookup)).toBe('claimed');
	});

	it('keeps nonces only while the time window could still accept them', () => {
		const staticData: IDataObject = {};
		const scope = freshScope();
		accept(staticData, scope, online('a'), 'old', nowSeconds - 1000);
		accept(staticData, scope, online('b'), 'recent', nowSeconds - 10);
		expect(Object.keys(staticData.acceptedNonces as IDataObject)).toEqual(['recent']);

		const restarted = freshScope();
		expect(claimOf(reload(staticData), restarted, online('c').lookup, 'recent')).toBe('sameNonce');
		expect(claimOf(reload(staticData), restarted, online('c').lookup, 'old')).toBe('claimed'); // the window refuses it anyway
		// in this process too: the old one left when the next arrived
		expect(claimOf({}, scope, online('c').lookup, 'old')).toBe('claimed');
		expect(claimOf({}, scope, online('c').lookup, 'recent')).toBe('sameNonce');
	});

	it('claim → release lets the next copy try; claim → accept makes every later copy a duplicate', () => {
		const scope = freshScope();
		const first = new NotificationMemory({}, scope, window);
		const second = new NotificationMemory({}, scope, window);
		expect(first.claim(online('k').lookup, 'n1')).toBe('claimed');
		expect(second.claim(online('k').lookup, 'n1')).toBe('requestInFlight');
		expect(second.claim(online('k').lookup, 'n2')).toBe('paymentInFlight');
		first.release();
		expect(second.claim(online('k').lookup, 'n2')).toBe('claimed');
		expect(second.accept(online('k').eventKey, online('k').lookup)).toBe(true);
		second.release();
		expect(claimOf({}, scope, online('k').lookup, 'n3')).toBe('duplicate');
		expect(claimOf({}, freshScope(), online('k').lookup)).toBe('claimed');
	});

	it('with Ignore Duplicates off remembers nonces only: a resend with a new nonce runs again', () => {
		const scope = freshScope();
		const off = { ...window, ignoreDuplicates: false };
		const staticData: IDataObject = {};
		for (const nonce of ['n1', 'n2']) {
			const memory = new NotificationMemory(staticData, scope, off);
			expect(memory.claim(online('k').lookup, nonce, nowSeconds)).toBe('claimed');
			expect(memory.accept(online('k').eventKey, online('k').lookup)).toBe(true);
			memory.release();
		}
		expect(staticData.acceptedPayments).toBeUndefined();
		expect(new NotificationMemory(staticData, scope, off).claim(online('k').lookup, 'n1')).toBe('sameNonce');
	});

	it("puts back, on its next write, the payments it accepted that another process's save dropped (queue mode)", () => {
		const scope = freshScope();
		// This process accepts p1; its static data is saved…
		accept({}, scope, online('p1'));
		// …then another webhook process, which loaded the static data before that save, saves its own copy.
		const overwritten: IDataObject = { acceptedPayments: ['transaction:p2:SUCCESS'] };
		accept(overwritten, scope, online('p3'));
		expect(overwritten.acceptedPayments).toEqual(['transaction:p2:SUCCESS', 'transaction:p1:SUCCESS', 'transaction:p3:SUCCESS']);

		// Control: a process that accepted nothing for this workflow writes only what it loaded and the new payment.
		const elsewhere: IDataObject = { acceptedPayments: ['transaction:p2:SUCCESS'] };
		accept(elsewhere, freshScope(), online('p3'));
		expect(elsewhere.acceptedPayments).toEqual(['transaction:p2:SUCCESS', 'transaction:p3:SUCCESS']);
	});

	/** A second webhook process: another copy of the module, with its own process memory. */
	function anotherProcess(): Memory {
		let other: Memory = NotificationMemory;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			other = (require('../../nodes/RevenueMonster/trigger/duplicates') as { NotificationMemory: Memory }).NotificationMemory;
		});
		return other;
	}

	it('keeps what it read in saved static data, so a stale save cannot make it forget (queue mode)', () => {
		const ProcessB = anotherProcess();
		const scope = freshScope();
		const savedByA: IDataObject = {};
		accept(savedByA, scope, online('p1'));

		// B handles a request that loaded the static data after A's save: it learns p1.
		claimOf(reload(savedByA), scope, online('x').lookup, undefined, ProcessB);
		// A slow request of B's, which loaded the static data before A's save, accepts p2 and writes.
		const staleSnapshot: IDataObject = {};
		accept(staleSnapshot, scope, online('p2'), undefined, undefined, ProcessB);
		expect(staleSnapshot.acceptedPayments).toEqual(['transaction:p1:SUCCESS', 'transaction:p2:SUCCESS']);
		// A copy of p1 on B is a duplicate even when the snapshot it loaded lacks p1.
		expect(claimOf({}, scope, online('p1').lookup, undefined, ProcessB)).toBe('duplicate');

		// Control: a process that never read p1 drops it on a stale write, and would run p1 again.
		const ProcessC = anotherProcess();
		const staleOnC: IDataObject = {};
		accept(staleOnC, scope, online('p2'), undefined, undefined, ProcessC);
		expect(staleOnC.acceptedPayments).toEqual(['transaction:p2:SUCCESS']);
		expect(claimOf({}, scope, online('p1').lookup, undefined, ProcessC)).toBe('claimed');
	});

	it('a duplicate writes only the payments the loaded static data lacks, and nothing when none is missing', () => {
		const scope = freshScope();
		accept({}, scope, online('p1'));
		const lacking: IDataObject = { acceptedPayments: ['transaction:p0:SUCCESS'] };
		expect(claimOf(lacking, scope, online('p1').lookup)).toBe('duplicate');
		expect(lacking.acceptedPayments).toEqual(['transaction:p0:SUCCESS', 'transaction:p1:SUCCESS']);

		// (the process learned p0 from what it just read)
		const complete: IDataObject = { acceptedPayments: ['transaction:p0:SUCCESS', 'transaction:p1:SUCCESS'] };
		expect(claimOf(complete, scope, online('p1').lookup, 'dup-nonce')).toBe('duplicate');
		// its nonce stays in this process only: nothing written, so n8n saves nothing
		expect(complete).toEqual({ acceptedPayments: ['transaction:p0:SUCCESS', 'transaction:p1:SUCCESS'] });
		expect(claimOf({}, scope, online('p9').lookup, 'dup-nonce')).toBe('sameNonce');
		// Control: a process that knows nothing for this workflow writes nothing.
		const elsewhere: IDataObject = { acceptedPayments: ['transaction:p0:SUCCESS'] };
		expect(claimOf(elsewhere, freshScope(), online('p0').lookup)).toBe('duplicate');
		expect(elsewhere).toEqual({ acceptedPayments: ['transaction:p0:SUCCESS'] });
	});

	it('ignores static data of an unexpected shape instead of failing', () => {
		const memory = new NotificationMemory({ acceptedPayments: 'oops', acceptedNonces: [1] }, freshScope(), window);
		expect(memory.claim(online('k').lookup, 'n')).toBe('claimed');
		expect(new NotificationMemory({ acceptedPayments: [1, null, {}, 'junk'] }, freshScope(), window).claim(online('k').lookup, 'n')).toBe(
			'claimed',
		);
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
