/**
 * Faults between the node and Revenue Monster, injected by the simulator while the real node runs
 * in n8n's engine: token expiry mid-run, 429 storms, 500s, errors inside a 200, a charge whose answer
 * never comes. For each: every item comes out (success or error output), no card is charged twice,
 * no secret shows up in what n8n keeps (recordAndAssert checks those three on every row).
 */
import { retryPolicy } from '../../nodes/RevenueMonster/transport/request';
import type { IDataObject } from 'n8n-workflow';

import type { Fault } from '../../simulator/faults';
import {
	chargeCounts,
	chargeItems,
	chargeParameters,
	chargePath,
	measured,
	refundParameters,
	type CaseRun,
} from '../../support/fault-runs';
import { seedPayment } from '../../support/seed';
import { recordAndAssert, useFaultSuite } from '../helpers/suite';

const suite = useFaultSuite('transport');
const run = suite.runCase;
const chargedOnce = (counts: Array<{ charges: number }>) => counts.filter((count) => count.charges === 1).length;

function transactionItems(count: number) {
	return Array.from({ length: count }, (_, index) => {
		const transaction = seedPayment(suite.simulator, { title: `Order ${index}`, amount: 500 + index });
		return { transactionId: transaction.transactionId };
	});
}

const getTransaction = { resource: 'transaction', operation: 'get', transactionId: '={{ $json.transactionId }}' };

/** A Transport row: its words, and the counts every row takes from the run. */
function transportRow(
	fault: string,
	expected: string,
	observed: string,
	outcome: CaseRun,
	counts: Array<{ charges: number }> = [],
) {
	return { area: 'Transport', fault, expected, observed, ...measured(outcome, counts) };
}

/**
 * Charges `count` freshly bound customers, one item each, with `fault` on the charge POST of item
 * `faulted`; what came out, and the charges and POSTs per item.
 */
async function chargeWithFault(count: number, faulted: number, fault: Omit<Fault, 'method' | 'path'>, parameters?: IDataObject) {
	const items = chargeItems(suite.simulator, count);
	suite.simulator.addFault({ ...fault, method: 'POST', path: chargePath(String(items[faulted].customerId)) } as Fault);
	const outcome = await run({ credentials: suite.newCredentials(), parameters: parameters ?? chargeParameters(), items });
	return { items, outcome, counts: chargeCounts(suite.simulator, items), error: outcome.errors.get(faulted) };
}

/** Lets the simulator finish a late answer, so no timer outlives the suite (not an assertion). */
async function settleSlowAnswer(started: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_700 - (Date.now() - started))));
}

describe('token expiry mid-run', () => {
	it.each([1, 8])('refreshes once and charges every card exactly once (concurrency %i)', async (concurrency) => {
		const items = chargeItems(suite.simulator, 24);
		// The token dies at the 10th charge, as if it expired right then.
		suite.simulator.addFault({ kind: 'tokenExpired', method: 'POST', path: chargePath(String(items[9].customerId)) });
		const outcome = await run({ credentials: suite.newCredentials(), parameters: chargeParameters({ concurrency }), items });
		const counts = chargeCounts(suite.simulator, items);
		recordAndAssert(
			suite.log,
			transportRow(
				`Token expires mid-run (24 charges, concurrency ${concurrency})`,
				'n8n fetches a new token and re-signs; every card charged exactly once',
				`${chargedOnce(counts)}/24 charged once; ${outcome.tokensIssued} tokens for the run (1 + refreshes)`,
				outcome,
				counts,
			),
			{
				'every item succeeded': outcome.items.succeeded.length === 24,
				'every card charged once': chargedOnce(counts) === 24,
				'at least one new token': outcome.tokensIssued >= 2,
				'at most one new token per concurrent item': outcome.tokensIssued <= 1 + concurrency,
			},
		);
	});

	it('a token revoked between executions is replaced once, not once per item', async () => {
		const credentials = suite.newCredentials();
		const first = await run({ credentials, parameters: getTransaction, items: transactionItems(5) });
		suite.simulator.revokeTokens();
		const second = await run({ credentials, parameters: getTransaction, items: transactionItems(20) });
		recordAndAssert(
			suite.log,
			{
				...transportRow(
					'Token revoked between two executions (20 reads)',
					'one new token for the second execution; every item read',
					`tokens: ${first.tokensIssued} then ${second.tokensIssued}; ${second.items.succeeded.length}/20 read`,
					second,
				),
				secretsLeaked: first.leaked.length + second.leaked.length,
			},
			{ 'one new token': second.tokensIssued === 1, 'every item read': second.items.succeeded.length === 20 },
		);
	});
});

describe('429 storms', () => {
	it('a short storm is waited out: every charge goes through, once', async () => {
		const items = chargeItems(suite.simulator, 12);
		suite.simulator.addFault({ kind: 'rateLimit', path: '/order', times: 3 });
		const outcome = await run({ credentials: suite.newCredentials(), parameters: chargeParameters({ concurrency: 4 }), items });
		const counts = chargeCounts(suite.simulator, items);
		recordAndAssert(
			suite.log,
			transportRow(
				'429 storm, short (3 × 429 over 12 charges, concurrency 4)',
				'backoff and retry (RM rejected before acting); all charged once',
				`${chargedOnce(counts)}/12 charged once; ${counts.reduce((sum, count) => sum + count.posts, 0)} POSTs for 12 charges`,
				outcome,
				counts,
			),
			{ 'every item succeeded': outcome.items.succeeded.length === 12, 'every card charged once': chargedOnce(counts) === 12 },
		);
	});

	it('a long storm fails some items clearly, loses none and charges none twice', async () => {
		const items = chargeItems(suite.simulator, 16);
		suite.simulator.addFault({ kind: 'rateLimit', path: '/order', times: 30 });
		const outcome = await run({ credentials: suite.newCredentials(), parameters: chargeParameters({ concurrency: 4 }), items });
		const counts = chargeCounts(suite.simulator, items);
		const failed = [...outcome.errors.values()];
		recordAndAssert(
			suite.log,
			transportRow(
				'429 storm, long (30 × 429 over 16 charges, concurrency 4)',
				`up to ${retryPolicy.rateLimitRetries} retries per call; then a rate-limit error on the error output`,
				`${outcome.items.succeeded.length} charged once, ${failed.length} on the error output (${
					failed[0]?.code ?? 'none'
				}), 0 charges for those`,
				outcome,
				counts,
			),
			{
				'some items on the error output': failed.length > 0,
				'each with the rate-limit code': failed.every((error) => error.code === 'TOO_MANY_REQUEST_PER_SECOND'),
				'failed items not charged': outcome.items.failed.every((index) => counts[index].charges === 0),
				'succeeded items charged once': outcome.items.succeeded.every((index) => counts[index].charges === 1),
			},
		);
	});
});

describe('500s', () => {
	it('reads are retried through a 500 and still succeed', async () => {
		const items = transactionItems(8);
		suite.simulator.addFault({ kind: 'serverError', method: 'GET', path: '/v3/payment/transaction/', times: 2 });
		const outcome = await run({ credentials: suite.newCredentials(), parameters: getTransaction, items });
		recordAndAssert(
			suite.log,
			transportRow(
				'500 on reads (2 × 500 over 8 reads)',
				`reads retried (up to ${retryPolicy.readRetries}); all items read`,
				`${outcome.items.succeeded.length}/8 read`,
				outcome,
			),
			{ 'every item read': outcome.items.succeeded.length === 8 },
		);
	});

	it('a 500 on a charge is not retried and says the outcome is unknown', async () => {
		const { outcome, counts, error } = await chargeWithFault(6, 2, { kind: 'serverError' });
		recordAndAssert(
			suite.log,
			transportRow(
				'500 on a charge POST',
				'not retried; error says the outcome is unknown and how to check; other items go on',
				`${counts[2].posts} POST for the failed item; error: "${error?.message.slice(0, 60)}…"; ${
					outcome.items.succeeded.length
				}/5 others charged`,
				outcome,
				counts,
			),
			{
				'one POST for the failed item': counts[2].posts === 1,
				'error says outcome unknown, not retried': /Outcome unknown.*not retried/.test(error?.message ?? ''),
				'error says how to check': /Get by Order ID|Get Orders/.test(error?.description ?? ''),
				'the other items charged': outcome.items.succeeded.length === 5,
			},
		);
	});
});

describe('error inside a 200', () => {
	it('a charge answered with an error inside HTTP 200 fails that item with RM’s code', async () => {
		const { outcome, counts, error } = await chargeWithFault(4, 1, { kind: 'errorIn200', code: 'SYSTEM_BUSY' });
		recordAndAssert(
			suite.log,
			transportRow(
				'Error inside a 200 on a charge',
				'treated as a failure with RM’s code, not as success; not retried',
				`item 1 → error output (${error?.code}), ${counts[1].posts} POST; 3/3 others charged`,
				outcome,
				counts,
			),
			{
				'error with RM’s code': error?.code === 'SYSTEM_BUSY',
				'one POST': counts[1].posts === 1,
				'the other items charged': outcome.items.succeeded.length === 3,
			},
		);
	});

	it('a read answered with an error inside HTTP 200 is an error, not an empty success', async () => {
		const items = transactionItems(3);
		const path = String(items[0].transactionId);
		suite.simulator.addFault({ kind: 'errorIn200', method: 'GET', path, code: 'TRANSACTION_NOT_FOUND' });
		const outcome = await run({ credentials: suite.newCredentials(), parameters: getTransaction, items });
		const error = outcome.errors.get(0);
		recordAndAssert(
			suite.log,
			transportRow(
				'Error inside a 200 on a read',
				'error output with RM’s code and hint',
				`item 0 → error output (${error?.code}); 2/2 others read`,
				outcome,
			),
			{ 'error with RM’s code': error?.code === 'TRANSACTION_NOT_FOUND', 'the others read': outcome.items.succeeded.length === 2 },
		);
	});
});

describe('a charge whose answer never comes', () => {
	it('timeout on a charge POST (Order → Create, Options → Timeout): not retried, outcome unknown, says how to check', async () => {
		const started = Date.now();
		// RM takes the money, then answers after the node's 1 s timeout.
		const { outcome, error, items } = await chargeWithFault(3, 1, { kind: 'slow', delayMs: 1_600 }, {
			...chargeParameters(),
			options: { timeout: 1 },
		});
		await settleSlowAnswer(started);
		// Counted after the late answer: RM did charge.
		const counts = chargeCounts(suite.simulator, items);
		recordAndAssert(
			suite.log,
			transportRow(
				'Timeout on a charge POST (Order → Create; RM answers after 1.6 s, the node waits 1 s)',
				'not retried; error says outcome unknown and how to check; no second charge',
				`${counts[1].posts} POST, ${counts[1].charges} charge at RM; error: "${error?.message.slice(0, 70)}…"`,
				outcome,
				counts,
			),
			{
				'one POST': counts[1].posts === 1,
				'charged once at RM': counts[1].charges === 1,
				'error says outcome unknown': /Outcome unknown/.test(error?.message ?? ''),
				'error says how to check': /Get by Order ID|Get Orders/.test(error?.description ?? ''),
			},
		);
	});

	it('timeout on a refund (Transaction → Refund, Options → Timeout): refunded once, outcome unknown', async () => {
		const paid = transactionItems(3);
		const slow = String(paid[1].transactionId);
		// RM makes the refund, then answers after the node's 1 s timeout.
		suite.simulator.addFault({ kind: 'slow', method: 'POST', path: '/v3/payment/refund', delayMs: 1_600, times: 1 });
		const logStart = suite.simulator.log.length;
		const started = Date.now();
		const outcome = await run({
			credentials: suite.newCredentials(),
			parameters: refundParameters('fault suite', { options: { timeout: 1 } }),
			// The slow one first, so the fault hits it.
			items: [paid[1], paid[0], paid[2]],
		});
		await settleSlowAnswer(started);
		const posts = suite.simulator.log
			.slice(logStart)
			.filter((entry) => entry.method === 'POST' && entry.path === '/v3/payment/refund').length;
		const refunded = suite.simulator.state.transactionById(slow)!;
		const refunds = (refunded.finalAmount - refunded.balanceAmount) / 100;
		const error = outcome.errors.get(0);
		recordAndAssert(
			suite.log,
			{
				...transportRow(
					'Timeout on a refund POST (Transaction → Refund, Timeout 1 s; RM answers after 1.6 s)',
					'not retried; error says outcome unknown and how to check; refunded once',
					`${posts} POSTs for 3 refunds; the slow one refunded ${refunds} time(s) by RM; error: "${error?.message.slice(0, 60)}…"`,
					outcome,
				),
				duplicateCharges: Math.max(0, refunds - 1),
			},
			{
				'one POST per refund': posts === 3,
				'refunded once': refunds === 1,
				'error says outcome unknown': /Outcome unknown/.test(error?.message ?? ''),
				'error says how to check': /Get by Order ID|look the transaction up/.test(error?.description ?? ''),
				'the others refunded': outcome.items.succeeded.length === 2,
			},
		);
	});

	it('connection dropped after RM charged (order.create): not retried, and Get Orders finds the charge', async () => {
		const credentials = suite.newCredentials();
		const items = chargeItems(suite.simulator, 4);
		suite.simulator.addFault({ kind: 'drop', method: 'POST', path: chargePath(String(items[0].customerId)) });
		const outcome = await run({ credentials, parameters: chargeParameters({ concurrency: 2 }), items });
		const counts = chargeCounts(suite.simulator, items);
		const error = outcome.errors.get(0);
		// Follow the error's advice: look the charge up before trying again.
		const lookup = await run({
			credentials,
			parameters: { resource: 'customer', operation: 'getOrders', customerId: items[0].customerId, returnAll: true },
			items: [{}],
		});
		const found = lookup.result.outputs[0]?.length ?? 0;
		recordAndAssert(
			suite.log,
			{
				...transportRow(
					'Connection dropped after the charge was made (order.create)',
					'not retried; outcome unknown; Customer → Get Orders shows the one charge',
					`${counts[0].posts} POST, ${counts[0].charges} charge; error says "Outcome unknown"; Get Orders found ${found}`,
					outcome,
					counts,
				),
				secretsLeaked: outcome.leaked.length + lookup.leaked.length,
			},
			{
				'one POST': counts[0].posts === 1,
				'charged once at RM': counts[0].charges === 1,
				'error says outcome unknown': /Outcome unknown/.test(error?.message ?? ''),
				'Get Orders finds the one charge': found === 1,
				'the others charged': outcome.items.succeeded.length === 3,
			},
		);
	});

	it('a declined card is an error naming the transaction, and is not retried', async () => {
		const { outcome, counts, error } = await chargeWithFault(3, 2, { kind: 'decline', reason: '9010' });
		recordAndAssert(
			suite.log,
			transportRow(
				'Card declined (code SUCCESS, item.status FAILED)',
				'error output naming the transaction and RM’s reason; never reported as paid',
				`item 2 → "${error?.message}"; ${counts[2].posts} POST`,
				outcome,
				counts,
			),
			{
				'error names the decline and RM’s reason': /declined.*9010/.test(error?.message ?? ''),
				'one POST': counts[2].posts === 1,
				'the others charged': outcome.items.succeeded.length === 2,
			},
		);
	});
});

describe('token error, then a server error after the charge (issue 9, with the simulator’s own fault injection)', () => {
	it('503 TOKEN_EXPIRED, then 503 after charging: one new token, two sends, one charge, "Outcome unknown"', async () => {
		const items = chargeItems(suite.simulator, 3);
		const path = chargePath(String(items[1].customerId));
		suite.simulator.addFault({ kind: 'tokenExpired', status: 503, method: 'POST', path });
		suite.simulator.addFault({ kind: 'serverError', status: 503, afterProcessing: true, method: 'POST', path });
		const outcome = await run({ credentials: suite.newCredentials(), parameters: chargeParameters(), items });
		const counts = chargeCounts(suite.simulator, items);
		const error = outcome.errors.get(1);
		recordAndAssert(
			suite.log,
			transportRow(
				'Charge answered 503 TOKEN_EXPIRED, then 503 after RM charged',
				'one new token and one resend; no third send; "Outcome unknown"; charged once',
				`${counts[1].posts} POSTs, ${counts[1].charges} charge; ${outcome.tokensIssued} tokens; error: "${error?.message.slice(0, 70)}…"`,
				outcome,
				counts,
			),
			{
				'two POSTs': counts[1].posts === 2,
				'charged once at RM': counts[1].charges === 1,
				'error says it was sent a second time with a new token': /^Outcome unknown: POST .* was sent a second time, with a new access token/.test(
					error?.message ?? '',
				),
				'two tokens': outcome.tokensIssued === 2,
				'the others charged': outcome.items.succeeded.length === 2,
			},
		);
	});
});
