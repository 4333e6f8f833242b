/**
 * Over 1,000 bad payment notifications, generated from genuine ones, sent over real HTTP to the
 * Revenue Monster Trigger running in n8n-core's WebhookContext (test/helpers/webhook.ts): forged
 * bodies, missing or altered signature headers, other keys, stale and future timestamps, replays
 * (also after a restart) and malformed bodies. None may start a run; every genuine one must.
 * Run twice: with the trigger's defaults, and with "Confirm with API" off, so the signature check
 * alone is shown to hold.
 */
import http from 'http';

import type { IDataObject } from 'n8n-workflow';

import { parsePrivateKey } from '../../nodes/RevenueMonster/transport/keys';
import { CREDENTIAL_ID } from '../../support/n8n';
import type { WebhookHarness } from '../helpers/webhook';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import {
	badVariants,
	genuine,
	contentOf,
	signAs,
	type GenuineNotification,
	type Keys,
	type NotificationCase,
} from './helpers/notification-cases';
import {
	credentialSecrets,
	leakedSecrets,
	tokenSecrets,
	type FaultRow,
	withConsoleCaptured,
} from '../../support/reliability';
import { notificationFor, seedPayment } from '../../support/seed';
import { recordAndAssert, useFaultSuite } from '../helpers/suite';

const GENUINE_PER_RUN = 30;
/** rounds of the 38 kinds of bad notification: 30 × 38 = 1,140, plus 90 replays */
const BAD_ROUNDS = 30;
// Generous: the machine is shared; the suite normally takes 10–20 s per configuration.
jest.setTimeout(180_000);
const suite = useFaultSuite('notifications');
const keys: Keys = {
	server: parsePrivateKey(SIMULATOR_KEYS.serverPrivateKey),
	merchant: parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey),
};

const trigger = suite.startTrigger;

/** Genuine notifications of payments the simulator really recorded (so confirmation finds them). */
function genuinePayments(count: number): GenuineNotification[] {
	return Array.from({ length: count }, (_, index) => {
		const recurring = index % 3 === 2;
		const transaction = seedPayment(suite.simulator, { title: `Fault suite order ${index}`, amount: 1000 + index, recurring });
		return genuine(keys, notificationFor(suite.simulator, transaction, recurring));
	});
}

interface Sent {
	status: number;
	/** a workflow run would have started */
	accepted: boolean;
}

/** POSTs the exact bytes; the harness reports whether the trigger started a run. */
function send(harness: WebhookHarness, body: Buffer, headers: Record<string, string>): Promise<Sent> {
	const before = harness.deliveries.length;
	return new Promise((resolve, reject) => {
		const request = http.request(
			harness.url,
			{ method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } },
			(response) => {
				response.resume();
				response.on('end', () => {
					// The harness records the delivery before the answer ends; find ours by order of arrival.
					const delivery = harness.deliveries.slice(before).find((candidate) => candidate.status === response.statusCode);
					resolve({ status: response.statusCode ?? 0, accepted: Boolean(delivery?.workflowData?.[0]?.length) });
				});
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

/** Sends cases one after another (replay checks depend on order) and tallies them by group. */
interface Tally {
	cases: number;
	accepted: number;
	statuses: Map<number, number>;
	/** what was done to the ones accepted (must stay empty) */
	acceptedMutations: string[];
}

function newTally(): Tally {
	return { cases: 0, accepted: 0, statuses: new Map(), acceptedMutations: [] };
}

async function sendAll(harness: WebhookHarness, cases: NotificationCase[]): Promise<Map<string, Tally>> {
	const byGroup = new Map<string, Tally>();
	for (const item of cases) {
		const sent = await send(harness, item.body, item.headers);
		const tally = byGroup.get(item.group) ?? newTally();
		tally.cases++;
		tally.statuses.set(sent.status, (tally.statuses.get(sent.status) ?? 0) + 1);
		if (sent.accepted) {
			tally.accepted++;
			tally.acceptedMutations.push(item.mutation);
		}
		byGroup.set(item.group, tally);
	}
	return byGroup;
}

function statusText(statuses: Map<number, number>): string {
	return [...statuses.entries()]
		.sort(([a], [b]) => a - b)
		.map(([status, count]) => `${count}× ${status}`)
		.join(', ');
}

const EXPECTED: Record<string, string> = {
	'Forged: body bytes flipped': '401 (or 422 from n8n’s JSON parser); no run',
	'Forged: signature headers removed (unsigned)': '401; no run',
	'Forged: signature headers changed': '401; no run',
	'Wrong key': '401; no run',
	'Stale or future timestamp': '401 (outside the 300 s window); no run',
	'Malformed body': '400 or 401 (422 from n8n for unparsable JSON); no run',
	Replays: '200 (already accepted) and no second run',
};

/** Delivers the genuine notifications, 1,140 generated bad ones and 90 replays to a trigger with these options. */
async function deliverEverything(options: IDataObject) {
	const { value, output } = await withConsoleCaptured(async () => {
		const harness = await trigger(options);
		const payments = genuinePayments(GENUINE_PER_RUN);

		// Genuine: each starts exactly one run.
		const genuineSent: Sent[] = [];
		for (const payment of payments) genuineSent.push(await send(harness, payment.body, payment.headers));

		// Bad: each made from the genuine notification of another payment, never delivered itself.
		const bases: GenuineNotification[] = [];
		const fresh = () => {
			bases.push(genuinePayments(1)[0]);
			return bases[bases.length - 1];
		};
		const cases = Array.from({ length: BAD_ROUNDS }, () => badVariants(keys, fresh)).flat();
		// A flip that leaves the same JSON content is not a forgery (none expected: canonical JSON has no slack).
		const genuineContents = new Set(bases.map((base) => contentOf(base.payload)));
		const equivalent = cases.filter(
			(item) => item.group === 'Forged: body bytes flipped' && genuineContents.has(contentOf(item.body)),
		);
		const byGroup = await sendAll(harness, cases.filter((item) => !equivalent.includes(item)));

		// Replays: the same request again; RM's resend (same payment, new nonce and signature); then
		// the same request to the trigger after n8n restarted (memory gone, saved static data kept). n8n
		// 2.41 saves the static data a duplicate's answer writes, not what a run writes (docs/SCALING.md),
		// so the restart comes after the duplicates were answered; test/integration/trigger.test.ts shows
		// the restart that comes straight after a run.
		const replays = newTally();
		const tally = async (target: WebhookHarness, body: Buffer, headers: Record<string, string>, mutation: string) => {
			const sent = await send(target, body, headers);
			replays.cases++;
			replays.statuses.set(sent.status, (replays.statuses.get(sent.status) ?? 0) + 1);
			if (sent.accepted) {
				replays.accepted++;
				replays.acceptedMutations.push(mutation);
			}
		};
		for (const payment of payments) {
			const resent = signAs(keys.server, payment.payload);
			await tally(harness, payment.body, payment.headers, 'same request again');
			await tally(harness, resent.body, resent.headers, 'resent: same payment, new nonce');
		}
		const restarted = await trigger(options);
		restarted.savedStaticData = structuredClone(harness.savedStaticData);
		for (const payment of payments) await tally(restarted, payment.body, payment.headers, 'same request after a restart');
		byGroup.set('Replays', replays);
		return { harness, restarted, genuineSent, byGroup, equivalent: equivalent.length };
	});
	const badCases = [...value.byGroup.values()].reduce((sum, tally) => sum + tally.cases, 0);
	const badAccepted = [...value.byGroup.values()].reduce((sum, tally) => sum + tally.accepted, 0);
	return { ...value, output, badCases, badAccepted };
}

describe.each([
	['trigger defaults (verify + confirm with API)', {}],
	['signature check alone (Confirm with API off)', { confirmWithApi: false }],
])('notifications, %s', (configuration, options) => {
	it('accepts every genuine notification once, and none of 1,000+ bad ones', async () => {
		const { harness, restarted, genuineSent, byGroup, output, badCases, badAccepted, equivalent } =
			await deliverEverything(options);
		const stored = suite.credentials.stored.get(CREDENTIAL_ID)?.data ?? {};
		const observable = [
			...output,
			...[...harness.deliveries, ...restarted.deliveries].map((delivery) => JSON.stringify([delivery.answer, delivery.workflowData])),
			JSON.stringify(harness.savedStaticData),
		].join('\n');
		const leaked = leakedSecrets(observable, [...credentialSecrets(stored), ...tokenSecrets(suite.issuedTokens)]);
		const genuineAccepted = genuineSent.filter((sent) => sent.accepted).length;

		const none = { duplicateCharges: 0, secretsLeaked: 0 };
		const groupRows = [...byGroup].map(([group, tally]) => ({
			area: `Notifications (${configuration})`,
			fault: group,
			expected: EXPECTED[group],
			observed: `${tally.accepted} accepted; ${statusText(tally.statuses)}${tally.acceptedMutations.length ? `; accepted: ${tally.acceptedMutations.slice(0, 3).join(', ')}` : ''}`,
			cases: tally.cases,
			accepted: tally.accepted,
			lost: 0,
			...none,
		}));
		const rows: Array<Omit<FaultRow, 'pass'>> = [
			{
				area: `Notifications (${configuration})`,
				fault: 'Genuine notifications (signed by RM’s server key, payment on record)',
				expected: '200 and exactly one run each',
				observed: `${genuineAccepted}/${GENUINE_PER_RUN} started one run; ${genuineSent.filter((sent) => sent.status === 200).length}× 200`,
				cases: GENUINE_PER_RUN,
				lost: GENUINE_PER_RUN - genuineAccepted,
				...none,
			},
			...groupRows,
			{
				area: `Notifications (${configuration})`,
				fault: 'All bad notifications',
				expected: '0 accepted; no secret in answers, runs, static data or logs',
				observed: `${badAccepted} of ${badCases} accepted; secrets found: ${leaked.length ? leaked.join(', ') : 'none'}`,
				cases: badCases,
				accepted: badAccepted,
				lost: 0,
				...none,
				secretsLeaked: leaked.length,
			},
		];
		for (const row of rows) {
			const checks: Record<string, boolean> = { 'none accepted': (row.accepted ?? 0) === 0 };
			if (row === rows.at(-1)) checks['at least 1,000 bad notifications'] = badCases >= 1000;
			recordAndAssert(suite.log, row, checks);
		}
		expect(equivalent).toBe(0);
	});
});

it('control: with the signature check turned off, the same generated forgeries get through', async () => {
	const { byGroup, badCases, badAccepted } = await deliverEverything({ verifySignature: false, confirmWithApi: false });
	// Every one of these carries a well-formed notification of an unseen payment: only the signature check stops it.
	const forgedGroups = [
		'Forged: signature headers removed (unsigned)',
		'Forged: signature headers changed',
		'Wrong key',
		'Stale or future timestamp',
	];
	const forged = forgedGroups.map((group) => byGroup.get(group)!);
	const forgedCases = forged.reduce((sum, tally) => sum + tally.cases, 0);
	const forgedAccepted = forged.reduce((sum, tally) => sum + tally.accepted, 0);
	recordAndAssert(
		suite.log,
		{
			area: 'Notifications (control: signature check turned off — not a setting to use)',
			fault: 'The same generated notifications, with Verify Signature off',
			expected: 'the forged-signature ones start runs: shows the suite detects what the signature check stops',
			observed: `${badAccepted} of ${badCases} accepted, including ${forgedAccepted} of ${forgedCases} with a missing, altered, foreign or stale signature`,
			cases: badCases,
			accepted: badAccepted,
			lost: 0,
			duplicateCharges: 0,
			secretsLeaked: 0,
		},
		{ 'every forged one got through': forgedAccepted === forgedCases },
	);
});
