/**
 * The permanent adversarial suite for the Revenue Monster Trigger (issue 9): one case per attack
 * class, each attempt made from its own fresh payment (recorded by the simulator, never notified
 * otherwise), sent over real HTTP to the trigger inside n8n-core's WebhookContext, answered the way
 * n8n 2.41 answers (test/helpers/webhook.ts). Every class runs with Confirm With API off (so the
 * signature path alone is tested) and with the defaults; every class has a control showing the same
 * measurement fails when the protection is off. Rows go to docs/RELIABILITY.md (area "Attacks").
 */
import http from 'http';

import type { IDataObject } from 'n8n-workflow';

import { canonicalJson } from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey } from '../../nodes/RevenueMonster/transport/keys';
import { CREDENTIAL_ID } from '../../support/n8n';
import type { WebhookDelivery, WebhookHarness } from '../helpers/webhook';
import {
	credentialSecrets,
	leakedSecrets,
	tokenSecrets,
	withConsoleCaptured,
} from '../../support/reliability';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import {
	canonicalisationAttempts,
	contentTypeAttempts,
	genuineAttempt,
	headerAttempts,
	mismatchAttempts,
	nonceAttempts,
	queryAttempts,
	raiseAmount,
	sizeAttempts,
	timestampAttempts,
	withData,
	type Attempt,
	type Json,
	type Payment,
} from './helpers/attempts';
import { rmSignature } from '../../simulator/sign-notification';
import { notificationFor, seedPayment } from '../../support/seed';
import { useFaultSuite } from '../helpers/suite';
import { MAX_PAYMENTS_IN_PROCESS } from '../../nodes/RevenueMonster/trigger/duplicates';

jest.setTimeout(180_000);

const suite = useFaultSuite('attacks');
const serverKey = parsePrivateKey(SIMULATOR_KEYS.serverPrivateKey);
let paymentCounter = 0;

const trigger = suite.startTrigger;

/** A payment the simulator recorded as paid; its notification is never sent unless a test sends it. */
function payment(kind: 'online' | 'recurring' = paymentCounter % 3 === 2 ? 'recurring' : 'online'): Payment {
	const index = paymentCounter++;
	const recurring = kind === 'recurring';
	const transaction = seedPayment(suite.simulator, { title: `Kuih & <Teh> ${index}`, amount: 1000 + index, recurring });
	const { data } = notificationFor(suite.simulator, transaction, recurring);
	return {
		payload: { eventType: recurring ? 'RECURRING_PAYMENT' : 'PAYMENT_WEB_ONLINE', data },
		lookupId: recurring ? transaction.order.id : transaction.transactionId,
		transactionId: transaction.transactionId,
	};
}
const fresh = () => payment();

/** Sends one attempt (its copies at once); resolves with the deliveries it caused. */
async function send(harness: WebhookHarness, attempt: Attempt): Promise<WebhookDelivery[]> {
	const before = harness.deliveries.length;
	const copies = attempt.copies ?? 1;
	await Promise.all(
		Array.from(
			{ length: copies },
			async () =>
				await new Promise<void>((resolve, reject) => {
					const request = http.request(
						harness.url + attempt.query,
						{ method: attempt.method, headers: { ...attempt.headers, 'Content-Length': String(attempt.body.length) } },
						(response) => {
							response.resume();
							response.on('end', () => resolve());
						},
					);
					request.on('error', reject);
					request.end(attempt.body);
				}),
		),
	);
	// Every answer has ended, so the harness has recorded it (unless Node refused the request itself).
	await Promise.race([harness.waitForDeliveries(before + copies), new Promise((resolve) => setTimeout(resolve, 2000))]);
	const deliveries = harness.deliveries.slice(before, before + copies);
	if (deliveries.length !== copies) throw new Error(`${attempt.label}: the trigger never saw ${copies - deliveries.length} request(s)`);
	return deliveries;
}

const runsOf = (deliveries: WebhookDelivery[]) => deliveries.filter((delivery) => delivery.workflowData?.[0]?.length);

/** A run is bad when the attempt was forged, or when what it carries is not what RM signed (or recorded). */
function isBad(attempt: Attempt, delivery: WebhookDelivery): boolean {
	if (attempt.forged) return true;
	const item = delivery.workflowData![0][0].json;
	if (item.unverified !== undefined) {
		// A query-string hint: the item's payment must be RM's record of it.
		return (item.data as Json).transactionId !== attempt.payment.transactionId;
	}
	return canonicalJson(item.data) !== canonicalJson(attempt.payment.payload.data);
}

interface Tally {
	tries: number;
	bad: string[];
	genuineRejected: number;
	/** payments that started more than one run */
	ranTwice: number;
	statuses: Map<number, number>;
	/** 500s: an unhandled input (never allowed) */
	serverErrors: string[];
}

const newTally = (): Tally => ({ tries: 0, bad: [], genuineRejected: 0, ranTwice: 0, statuses: new Map(), serverErrors: [] });

function count(tally: Tally, attempt: Attempt, deliveries: WebhookDelivery[]): void {
	tally.tries++;
	for (const delivery of deliveries) {
		tally.statuses.set(delivery.status, (tally.statuses.get(delivery.status) ?? 0) + 1);
		if (delivery.status >= 500) tally.serverErrors.push(`${attempt.label} → ${delivery.status}`);
	}
	const runs = runsOf(deliveries);
	if (runs.some((delivery) => isBad(attempt, delivery))) tally.bad.push(attempt.label);
	if (runs.length > 1) tally.ranTwice++;
}

const statusText = (statuses: Map<number, number>) =>
	[...statuses.entries()]
		.sort(([a], [b]) => a - b)
		.map(([status, times]) => `${times}× ${status}`)
		.join(', ');

/** Genuine notifications of fresh payments around the attack: each must run once. */
async function genuineCheck(harness: WebhookHarness, tally: Tally, count = 3): Promise<void> {
	for (let i = 0; i < count; i++) {
		const attempt = genuineAttempt(serverKey, payment());
		const deliveries = await send(harness, attempt);
		if (runsOf(deliveries).length !== 1) tally.genuineRejected++;
	}
}

function secretsIn(harness: WebhookHarness, output: string[]): string[] {
	const stored = suite.credentials.stored.get(CREDENTIAL_ID)?.data ?? {};
	const observable = [
		...output,
		...harness.deliveries.map((delivery) => JSON.stringify([delivery.answerText, delivery.workflowData])),
		JSON.stringify(harness.savedStaticData),
	].join('\n');
	return leakedSecrets(observable, [...credentialSecrets(stored), ...tokenSecrets(suite.issuedTokens)]);
}

function record(area: string, fault: string, tally: Tally, leaked: string[], expected: string): boolean {
	const pass =
		tally.bad.length === 0 &&
		tally.genuineRejected === 0 &&
		tally.ranTwice === 0 &&
		leaked.length === 0 &&
		tally.serverErrors.length === 0;
	suite.log.add({
		area,
		fault,
		expected,
		observed: `${tally.bad.length} accepted-bad of ${tally.tries}; ${statusText(tally.statuses)}${tally.bad.length ? `; accepted: ${tally.bad.slice(0, 3).join('; ')}` : ''}${tally.serverErrors.length ? `; 5xx: ${tally.serverErrors.slice(0, 2).join('; ')}` : ''}`,
		cases: tally.tries,
		accepted: tally.bad.length,
		genuineRejected: tally.genuineRejected,
		lost: 0,
		duplicateCharges: tally.ranTwice,
		secretsLeaked: leaked.length,
		pass,
	});
	return pass;
}

interface AttackClass {
	name: string;
	build: () => Attempt[];
	expected: string;
	/** the same measurement with the protection off: must find accepted-bad runs */
	control: { options: IDataObject; build: () => Attempt[]; what: string };
}

const controlOff = { verifySignature: false, confirmWithApi: false };

/** The query-string attempts' forged fields, sent as a POST body instead. */
function asBodies(attempts: Attempt[]): Attempt[] {
	return attempts
		.filter((attempt) => attempt.forged && attempt.query.includes('data='))
		.flatMap((attempt) => {
			const params = new URLSearchParams(attempt.query.slice(1));
			try {
				const body = JSON.stringify({ eventType: params.get('eventType'), data: JSON.parse(params.get('data') ?? '') as unknown });
				return [{ ...attempt, method: 'POST' as const, query: '', body: Buffer.from(body), headers: { 'Content-Type': 'application/json' } }];
			} catch {
				return [];
			}
		});
}

const CLASSES: AttackClass[] = [
	{
		name: 'Canonicalisation ambiguities (duplicate keys, key order, whitespace, \\u0026, 1/1.0/1e0, big integers, __proto__/constructor, BOM, empty/null/{} bodies)',
		build: () => canonicalisationAttempts(serverKey, fresh),
		expected: 'a changed body never verifies; the same content in another form runs only with what RM signed',
		control: { options: controlOff, build: () => canonicalisationAttempts(serverKey, fresh), what: 'Verify Signature and Confirm With API off' },
	},
	{
		name: 'Header variants (case, duplicates, SHA256, base64url, padding, whitespace, separators in the nonce)',
		build: () => headerAttempts(serverKey, fresh),
		expected: '401 for every variant over a changed body; no run',
		control: { options: controlOff, build: () => headerAttempts(serverKey, fresh), what: 'Verify Signature and Confirm With API off' },
	},
	{
		name: 'Timestamps (future, negative, milliseconds, huge, rewritten)',
		build: () => timestampAttempts(serverKey, fresh),
		expected: '401 outside the 300 s window or not Unix time; no run',
		control: { options: controlOff, build: () => timestampAttempts(serverKey, fresh), what: 'Verify Signature and Confirm With API off' },
	},
	{
		name: 'GET query notifications (tampered, extra params, no-data signature, junk data)',
		build: () => queryAttempts(serverKey, fresh),
		expected: 'a signature over no data vouches for nothing: 401 with Confirm With API off; with it on, only RM’s record runs (409 on any mismatch)',
		control: {
			options: controlOff,
			build: () => asBodies(queryAttempts(serverKey, fresh)),
			what: 'the same forged fields as a POST body, Verify Signature and Confirm With API off',
		},
	},
	{
		name: 'Content types',
		build: () => contentTypeAttempts(serverKey, fresh),
		expected: 'verified over the raw bytes whatever the type; a changed body never runs',
		control: { options: controlOff, build: () => contentTypeAttempts(serverKey, fresh), what: 'Verify Signature and Confirm With API off' },
	},
	{
		name: 'Sizes and nesting (3 MB, past 64 KB, 5,000 deep, 1e999, wrong types)',
		build: () => sizeAttempts(serverKey, fresh),
		expected: '413 over 64 KB before any parsing; 400/401 for the rest; never a 500',
		control: {
			options: controlOff,
			build: () => {
				// Under the limit and well-formed, a forged body gets through when nothing checks it.
				const p = fresh();
				const forged = withData(p, raiseAmount);
				const body = JSON.stringify({ ...forged, data: { ...forged.data, note: 'x'.repeat(60 * 1024) } });
				return [{ label: '60 KB forged body', method: 'POST', query: '', body: Buffer.from(body), headers: { 'Content-Type': 'application/json' }, forged: true, payment: p }];
			},
			what: 'a forged 60 KB body (under the limit), Verify Signature and Confirm With API off',
		},
	},
	{
		name: 'Confirmation mismatches (status, amount, currency, order id, type), signed by RM’s key',
		build: () => mismatchAttempts(serverKey, fresh, payment),
		expected: '409 with Confirm With API on: RM’s record differs; with it off, only the status is checked (SUCCESS exactly)',
		control: {
			options: { confirmWithApi: false },
			build: () => mismatchAttempts(serverKey, fresh, payment).filter((attempt) => !attempt.label.startsWith('status')),
			what: 'Confirm With API off (a signature alone cannot tell another merchant’s or an altered payment)',
		},
	},
];

const CONFIGURATIONS: Array<[string, IDataObject]> = [
	['Confirm With API off', { confirmWithApi: false }],
	['defaults', {}],
];

describe.each(CONFIGURATIONS)('attacks on the trigger, %s', (configuration, options) => {
	it.each(CLASSES.map((attackClass) => [attackClass.name.split(' (')[0], attackClass] as const))('%s', async (_name, attackClass) => {
		// Confirmation mismatches are what confirmation is for: with it off they are the class's control.
		const mismatchesWithoutConfirmation = attackClass.name.startsWith('Confirmation') && options.confirmWithApi === false;
		const { value, output } = await withConsoleCaptured(async () => {
			const harness = await trigger(options);
			const tally = newTally();
			await genuineCheck(harness, tally);
			const attempts = mismatchesWithoutConfirmation
				? attackClass.build().filter((attempt) => attempt.label.startsWith('status'))
				: attackClass.build();
			for (const attempt of attempts) count(tally, attempt, await send(harness, attempt));
			await genuineCheck(harness, tally);
			return { harness, tally };
		});
		const leaked = secretsIn(value.harness, output);
		const pass = record(
			`Attacks on the trigger (${configuration})`,
			mismatchesWithoutConfirmation ? `${attackClass.name}: status only` : attackClass.name,
			value.tally,
			leaked,
			attackClass.expected,
		);
		expect({ bad: value.tally.bad, serverErrors: value.tally.serverErrors, genuineRejected: value.tally.genuineRejected }).toEqual({
			bad: [],
			serverErrors: [],
			genuineRejected: 0,
		});
		expect(leaked).toEqual([]);
		expect(pass).toBe(true);
	});
});

describe('replays and concurrent copies, under every option set', () => {
	const optionSets: IDataObject[] = [];
	for (const verifySignature of [true, false]) {
		for (const confirmWithApi of [true, false]) {
			for (const ignoreDuplicates of [true, false]) optionSets.push({ verifySignature, confirmWithApi, ignoreDuplicates });
		}
	}
	const name = (options: IDataObject) =>
		Object.entries(options)
			.map(([option, on]) => `${option} ${on ? 'on' : 'off'}`)
			.join(', ');

	it.each(optionSets.map((options) => [name(options), options] as const))('%s: one run per nonce and per payment', async (label, options) => {
		const { value, output } = await withConsoleCaptured(async () => {
			const harness = await trigger(options);
			const tally = newTally();
			await genuineCheck(harness, tally);
			for (let round = 0; round < 3; round++) {
				// 25 byte-identical copies at once (issue 9, item 4), then 3 more one by one.
				const attempt = { ...genuineAttempt(serverKey, payment(), 'genuine, 25 copies at once'), copies: 25 };
				const deliveries = await send(harness, attempt);
				for (let replay = 0; replay < 3; replay++) deliveries.push(...(await send(harness, { ...attempt, copies: 1 })));
				tally.tries += 28;
				for (const delivery of deliveries) tally.statuses.set(delivery.status, (tally.statuses.get(delivery.status) ?? 0) + 1);
				const runs = runsOf(deliveries).length;
				if (runs > 1) tally.ranTwice++;
				if (runs === 0) tally.genuineRejected++;
			}
			return { harness, tally };
		});
		const leaked = secretsIn(value.harness, output);
		const pass = record(
			'Attacks on the trigger (replays and concurrent copies)',
			`${label}: 3 payments × (25 copies at once + 3 replays)`,
			value.tally,
			leaked,
			'exactly one run per payment; the other copies 200 (already accepted) or 409 (being handled)',
		);
		expect(value.tally.ranTwice).toBe(0);
		expect(value.tally.genuineRejected).toBe(0);
		expect(pass).toBe(true);
	});

	it('control: RM’s resends (same payment, new nonce each) run again when Ignore Duplicates is off', async () => {
		const harness = await trigger({ ignoreDuplicates: false, confirmWithApi: false });
		const paid = payment('online');
		let runs = 0;
		for (let i = 0; i < 3; i++) runs += runsOf(await send(harness, genuineAttempt(serverKey, paid))).length;
		suite.log.add({
			area: 'Attacks on the trigger (controls)',
			fault: 'Replays: RM resending one payment 3 times (new nonce each), Ignore Duplicates off',
			expected: 'runs each time: shows the run counter counts what the de-duplication stops',
			observed: `${runs} runs for one payment`,
			cases: 3,
			accepted: runs,
			lost: 0,
			duplicateCharges: Math.max(0, runs - 1),
			secretsLeaked: 0,
			pass: runs === 3,
		});
		expect(runs).toBe(3);
	});
});

describe('nonce reuse with another body', () => {
	it.each(CONFIGURATIONS)('%s: a nonce already used starts nothing, whatever the body', async (configuration, options) => {
		const { value, output } = await withConsoleCaptured(async () => {
			const harness = await trigger(options);
			const tally = newTally();
			for (const { first, second } of nonceAttempts(serverKey, fresh)) {
				if (runsOf(await send(harness, first)).length !== 1) tally.genuineRejected++;
				count(tally, second, await send(harness, second));
			}
			return { harness, tally };
		});
		const leaked = secretsIn(value.harness, output);
		const pass = record(
			`Attacks on the trigger (${configuration})`,
			'Nonce reuse with another body',
			value.tally,
			leaked,
			'200 (already accepted) or 401; no run',
		);
		expect(value.tally.bad).toEqual([]);
		expect(pass).toBe(true);
	});

	it('control: the same other payment with a fresh nonce does run', async () => {
		const harness = await trigger({ confirmWithApi: false });
		const pairs = nonceAttempts(serverKey, fresh).filter((pair) => pair.second.label.includes('same nonce'));
		let runs = 0;
		for (const { first, second } of pairs) {
			await send(harness, first);
			const text = second.body.toString('utf8');
			runs += runsOf(await send(harness, { ...second, headers: { 'Content-Type': 'application/json', ...rmSignature(serverKey, text) } })).length;
		}
		suite.log.add({
			area: 'Attacks on the trigger (controls)',
			fault: 'Nonce reuse: the second payments re-signed with a fresh nonce',
			expected: 'they run: only the nonce memory stopped them',
			observed: `${runs} of ${pairs.length} ran`,
			cases: pairs.length,
			accepted: runs,
			lost: 0,
			duplicateCharges: 0,
			secretsLeaked: 0,
			pass: runs === pairs.length,
		});
		expect(runs).toBe(pairs.length);
	});
});

describe('controls: with the protection off, the same measurement finds accepted-bad runs', () => {
	it.each(CLASSES.map((attackClass) => [attackClass.name.split(' (')[0], attackClass] as const))('%s', async (_name, attackClass) => {
		const harness = await trigger(attackClass.control.options);
		const tally = newTally();
		for (const attempt of attackClass.control.build()) count(tally, attempt, await send(harness, attempt));
		suite.log.add({
			area: 'Attacks on the trigger (controls)',
			fault: `${attackClass.name.split(' (')[0]}: ${attackClass.control.what}`,
			expected: 'some forged attempts run: shows this class’s measurement can fail',
			observed: `${tally.bad.length} accepted-bad of ${tally.tries}`,
			cases: tally.tries,
			accepted: tally.bad.length,
			lost: 0,
			duplicateCharges: 0,
			secretsLeaked: 0,
			pass: tally.bad.length > 0,
		});
		expect(tally.bad.length).toBeGreaterThan(0);
	});
});

describe('payments resent after many others (issue 23, B3)', () => {
	/**
	 * While n8n runs, the process memory alone answers RM's resends: n8n 2.41 keeps no static data a
	 * run wrote (test/helpers/webhook.ts), and the duplicates answered meanwhile fill the static data
	 * with the newest payments. So: accept the bound's number of payments (every 50th resent by RM and
	 * answered as a duplicate, as RM does when an answer is slow), then RM resends the first one.
	 */
	it(`RM resends the first payment after ${MAX_PAYMENTS_IN_PROCESS} others: no second run; past the bound it runs again`, async () => {
		const { value, output } = await withConsoleCaptured(async () => {
			const harness = await trigger({ confirmWithApi: false });
			const tally = newTally();
			const first = payment('online');
			const accepted = async (paid: Payment) => {
				const deliveries = await send(harness, genuineAttempt(serverKey, paid));
				tally.tries++;
				if (runsOf(deliveries).length !== 1) tally.genuineRejected++;
			};
			const resendRuns = async (paid: Payment) => {
				const deliveries = await send(harness, genuineAttempt(serverKey, paid, 'RM resend (new nonce)'));
				tally.tries++;
				for (const delivery of deliveries) tally.statuses.set(delivery.status, (tally.statuses.get(delivery.status) ?? 0) + 1);
				return runsOf(deliveries).length;
			};
			await accepted(first);
			for (let i = 1; i < MAX_PAYMENTS_IN_PROCESS; i++) {
				const paid = payment('online');
				await accepted(paid);
				if (i % 50 === 0 && (await resendRuns(paid)) > 0) tally.ranTwice++;
			}
			const atBound = await resendRuns(first);
			await accepted(payment('online'));
			const pastBound = await resendRuns(first);
			return { harness, tally, atBound, pastBound };
		});
		const { tally, atBound, pastBound } = value;
		if (atBound > 0) tally.ranTwice++;
		const leaked = secretsIn(value.harness, output);
		const pass = record(
			'Attacks on the trigger (payments resent after N others)',
			`RM resends the first of ${MAX_PAYMENTS_IN_PROCESS} accepted payments (every 50th also resent on the way), Confirm With API off`,
			tally,
			leaked,
			`no second run while the first is among the workflow's last ${MAX_PAYMENTS_IN_PROCESS} payments in the process`,
		);
		suite.log.add({
			area: 'Attacks on the trigger (controls)',
			fault: `Payments resent after N others: the first resent after ${MAX_PAYMENTS_IN_PROCESS + 1} payments (past the bound)`,
			expected: 'runs again (the stated bound): shows the measurement sees a second run',
			observed: `${pastBound} run(s) for the resend past the bound`,
			cases: 1,
			accepted: pastBound,
			lost: 0,
			duplicateCharges: pastBound,
			secretsLeaked: 0,
			pass: pastBound === 1,
		});
		expect({ atBound, genuineRejected: tally.genuineRejected, ranTwice: tally.ranTwice, leaked }).toEqual({
			atBound: 0,
			genuineRejected: 0,
			ranTwice: 0,
			leaked: [],
		});
		expect(pass).toBe(true);
		expect(pastBound).toBe(1);
	}, 600_000);
});
