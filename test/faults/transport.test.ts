/**
 * Faults between the node and Revenue Monster, injected by the simulator while the real node runs
 * in n8n's engine: token expiry mid-run, 429 storms, 500s, errors inside a 200, a charge whose answer
 * never comes. For each: every item comes out (success or error output), no card is charged twice,
 * no secret shows up in what n8n keeps.
 */
import { InMemoryCredentialsHelper, simulatorCredentials } from '../../support/n8n';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';
import { retryPolicy } from '../../nodes/RevenueMonster/transport/request';
import { ReliabilityLog, recordIssuedTokens } from '../../support/reliability';
import {
	chargeCounts,
	chargeItems,
	chargeParameters,
	chargePath,
	duplicatesAmong,
	refundParameters,
	runCase,
	type CaseRun,
} from '../../support/fault-runs';
import { seedPayment } from '../../support/seed';

const log = new ReliabilityLog('transport');
const savedPolicy = { ...retryPolicy };
let simulator: RevenueMonsterSimulator;
let issuedTokens: Set<string>;

beforeAll(async () => {
	// Real backoff is seconds; the rules (what is retried, how often) are what is tested here.
	Object.assign(retryPolicy, { baseDelayMs: 1, maxDelayMs: 4 });
	simulator = await startSimulator({ autoNotify: false });
	issuedTokens = recordIssuedTokens(simulator);
});
afterAll(async () => {
	Object.assign(retryPolicy, savedPolicy);
	await simulator.stop();
	log.save();
});
afterEach(() => simulator.clearFaults());

function freshCredentials(): InMemoryCredentialsHelper {
	return new InMemoryCredentialsHelper(simulatorCredentials(simulator));
}

function run(options: Omit<Parameters<typeof runCase>[0], 'simulator' | 'issuedTokens'>): Promise<CaseRun> {
	return runCase({ simulator, issuedTokens, ...options });
}

function transactionItems(count: number) {
	return Array.from({ length: count }, (_, index) => {
		const transaction = seedPayment(simulator, { title: `Order ${index}`, amount: 500 + index });
		return { transactionId: transaction.transactionId };
	});
}

const getTransaction = { resource: 'transaction', operation: 'get', transactionId: '={{ $json.transactionId }}' };

describe('token expiry mid-run', () => {
	it.each([1, 8])('refreshes once and charges every card exactly once (concurrency %i)', async (concurrency) => {
		const credentials = freshCredentials();
		const items = chargeItems(simulator, 24);
		// The token dies at the 10th charge, as if it expired right then.
		simulator.addFault({ kind: 'tokenExpired', method: 'POST', path: chargePath(String(items[9].customerId)) });
		const outcome = await run({ credentials, parameters: chargeParameters({ concurrency }), items });

		const counts = chargeCounts(simulator, items);
		const charged = counts.filter((count) => count.charges === 1).length;
		const row = log.add({
			area: 'Transport',
			fault: `Token expires mid-run (24 charges, concurrency ${concurrency})`,
			expected: 'n8n fetches a new token and re-signs; every card charged exactly once',
			observed: `${charged}/24 charged once; ${outcome.tokensIssued} tokens for the run (1 + refreshes)`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			charged === 24 && row.lost === 0 && row.duplicateCharges === 0 && row.secretsLeaked === 0 &&
			outcome.tokensIssued >= 2 && outcome.tokensIssued <= 1 + concurrency;
		expect(outcome.items.succeeded).toHaveLength(24);
		expect(counts.every((count) => count.charges === 1)).toBe(true);
		expect(outcome.tokensIssued).toBeGreaterThanOrEqual(2);
		expect(outcome.tokensIssued).toBeLessThanOrEqual(1 + concurrency);
		expect(outcome.leaked).toEqual([]);
		expect(row.pass).toBe(true);
	});

	it('a token revoked between executions is replaced once, not once per item', async () => {
		const credentials = freshCredentials();
		const first = await run({ credentials, parameters: getTransaction, items: transactionItems(5) });
		simulator.revokeTokens();
		const items = transactionItems(20);
		const second = await run({ credentials, parameters: getTransaction, items });
		const row = log.add({
			area: 'Transport',
			fault: 'Token revoked between two executions (20 reads)',
			expected: 'one new token for the second execution; every item read',
			observed: `tokens: ${first.tokensIssued} then ${second.tokensIssued}; ${second.items.succeeded.length}/20 read`,
			cases: items.length,
			lost: second.items.lost.length,
			duplicateCharges: 0,
			secretsLeaked: first.leaked.length + second.leaked.length,
			pass: false,
		});
		row.pass = second.tokensIssued === 1 && second.items.succeeded.length === 20 && row.secretsLeaked === 0;
		expect(second.tokensIssued).toBe(1);
		expect(second.items.succeeded).toHaveLength(20);
		expect(row.pass).toBe(true);
	});
});

describe('429 storms', () => {
	it('a short storm is waited out: every charge goes through, once', async () => {
		const items = chargeItems(simulator, 12);
		simulator.addFault({ kind: 'rateLimit', path: '/order', times: 3 });
		const outcome = await run({ credentials: freshCredentials(), parameters: chargeParameters({ concurrency: 4 }), items });
		const counts = chargeCounts(simulator, items);
		const row = log.add({
			area: 'Transport',
			fault: '429 storm, short (3 × 429 over 12 charges, concurrency 4)',
			expected: 'backoff and retry (RM rejected before acting); all charged once',
			observed: `${counts.filter((count) => count.charges === 1).length}/12 charged once; ${
				counts.reduce((sum, count) => sum + count.posts, 0)
			} POSTs for 12 charges`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass = outcome.items.succeeded.length === 12 && row.duplicateCharges === 0 && row.lost === 0 && row.secretsLeaked === 0;
		expect(counts.every((count) => count.charges === 1)).toBe(true);
		expect(row.pass).toBe(true);
	});

	it('a long storm fails some items clearly, loses none and charges none twice', async () => {
		const items = chargeItems(simulator, 16);
		simulator.addFault({ kind: 'rateLimit', path: '/order', times: 30 });
		const outcome = await run({ credentials: freshCredentials(), parameters: chargeParameters({ concurrency: 4 }), items });
		const counts = chargeCounts(simulator, items);
		const failed = [...outcome.errors.values()];
		const row = log.add({
			area: 'Transport',
			fault: '429 storm, long (30 × 429 over 16 charges, concurrency 4)',
			expected: `up to ${retryPolicy.rateLimitRetries} retries per call; then a rate-limit error on the error output`,
			observed: `${outcome.items.succeeded.length} charged once, ${failed.length} on the error output (${
				failed[0]?.code ?? 'none'
			}), 0 charges for those`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		const failedUncharged = outcome.items.failed.every((index) => counts[index].charges === 0);
		const succeededOnce = outcome.items.succeeded.every((index) => counts[index].charges === 1);
		row.pass =
			row.lost === 0 && row.duplicateCharges === 0 && row.secretsLeaked === 0 && failedUncharged && succeededOnce &&
			failed.length > 0 && failed.every((error) => error.code === 'TOO_MANY_REQUEST_PER_SECOND');
		expect(outcome.items.lost).toEqual([]);
		expect(failed.length).toBeGreaterThan(0);
		expect(failed.every((error) => error.code === 'TOO_MANY_REQUEST_PER_SECOND')).toBe(true);
		expect(row.pass).toBe(true);
	});
});

describe('500s', () => {
	it('reads are retried through a 500 and still succeed', async () => {
		const items = transactionItems(8);
		simulator.addFault({ kind: 'serverError', method: 'GET', path: '/v3/payment/transaction/', times: 2 });
		const outcome = await run({ credentials: freshCredentials(), parameters: getTransaction, items });
		const row = log.add({
			area: 'Transport',
			fault: '500 on reads (2 × 500 over 8 reads)',
			expected: `reads retried (up to ${retryPolicy.readRetries}); all items read`,
			observed: `${outcome.items.succeeded.length}/8 read`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: 0,
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass = outcome.items.succeeded.length === 8 && row.lost === 0 && row.secretsLeaked === 0;
		expect(row.pass).toBe(true);
	});

	it('a 500 on a charge is not retried and says the outcome is unknown', async () => {
		const items = chargeItems(simulator, 6);
		simulator.addFault({ kind: 'serverError', method: 'POST', path: chargePath(String(items[2].customerId)) });
		const outcome = await run({ credentials: freshCredentials(), parameters: chargeParameters(), items });
		const counts = chargeCounts(simulator, items);
		const error = outcome.errors.get(2);
		const row = log.add({
			area: 'Transport',
			fault: '500 on a charge POST',
			expected: 'not retried; error says the outcome is unknown and how to check; other items go on',
			observed: `${counts[2].posts} POST for the failed item; error: "${error?.message.slice(0, 60)}…"; ${
				outcome.items.succeeded.length
			}/5 others charged`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			counts[2].posts === 1 && /Outcome unknown/.test(error?.message ?? '') &&
			/Get by Order ID|Get Orders/.test(error?.description ?? '') && outcome.items.succeeded.length === 5 &&
			row.lost === 0 && row.duplicateCharges === 0 && row.secretsLeaked === 0;
		expect(counts[2].posts).toBe(1);
		expect(error?.message).toMatch(/Outcome unknown.*not retried/);
		expect(row.pass).toBe(true);
	});
});

describe('error inside a 200', () => {
	it('a charge answered with an error inside HTTP 200 fails that item with RM’s code', async () => {
		const items = chargeItems(simulator, 4);
		simulator.addFault({ kind: 'errorIn200', method: 'POST', path: chargePath(String(items[1].customerId)), code: 'SYSTEM_BUSY' });
		const outcome = await run({ credentials: freshCredentials(), parameters: chargeParameters(), items });
		const counts = chargeCounts(simulator, items);
		const error = outcome.errors.get(1);
		const row = log.add({
			area: 'Transport',
			fault: 'Error inside a 200 on a charge',
			expected: 'treated as a failure with RM’s code, not as success; not retried',
			observed: `item 1 → error output (${error?.code}), ${counts[1].posts} POST; 3/3 others charged`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			error?.code === 'SYSTEM_BUSY' && counts[1].posts === 1 && outcome.items.succeeded.length === 3 &&
			row.lost === 0 && row.duplicateCharges === 0 && row.secretsLeaked === 0;
		expect(error?.code).toBe('SYSTEM_BUSY');
		expect(row.pass).toBe(true);
	});

	it('a read answered with an error inside HTTP 200 is an error, not an empty success', async () => {
		const items = transactionItems(3);
		simulator.addFault({ kind: 'errorIn200', method: 'GET', path: String(items[0].transactionId), code: 'TRANSACTION_NOT_FOUND' });
		const outcome = await run({ credentials: freshCredentials(), parameters: getTransaction, items });
		const error = outcome.errors.get(0);
		const row = log.add({
			area: 'Transport',
			fault: 'Error inside a 200 on a read',
			expected: 'error output with RM’s code and hint',
			observed: `item 0 → error output (${error?.code}); 2/2 others read`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: 0,
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass = error?.code === 'TRANSACTION_NOT_FOUND' && outcome.items.succeeded.length === 2 && row.lost === 0 && row.secretsLeaked === 0;
		expect(row.pass).toBe(true);
	});
});

describe('a charge whose answer never comes', () => {
	it('timeout on a charge POST (Order → Create, Options → Timeout): not retried, outcome unknown, says how to check', async () => {
		const items = chargeItems(simulator, 3);
		// RM takes the money, then answers after the node's 1 s timeout.
		simulator.addFault({ kind: 'slow', method: 'POST', path: chargePath(String(items[1].customerId)), delayMs: 1_600 });
		const started = Date.now();
		const outcome = await run({
			credentials: freshCredentials(),
			parameters: { ...chargeParameters(), options: { timeout: 1 } },
			items,
		});
		// Let the simulator finish its late answer, so no timer outlives the suite (not an assertion).
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_700 - (Date.now() - started))));
		const counts = chargeCounts(simulator, items);
		const error = outcome.errors.get(1);
		const row = log.add({
			area: 'Transport',
			fault: 'Timeout on a charge POST (Order → Create; RM answers after 1.6 s, the node waits 1 s)',
			expected: 'not retried; error says outcome unknown and how to check; no second charge',
			observed: `${counts[1].posts} POST, ${counts[1].charges} charge at RM; error: "${error?.message.slice(0, 70)}…"`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			counts[1].posts === 1 && counts[1].charges === 1 && /Outcome unknown/.test(error?.message ?? '') &&
			/Get by Order ID|Get Orders/.test(error?.description ?? '') && row.lost === 0 &&
			row.duplicateCharges === 0 && row.secretsLeaked === 0;
		expect(counts[1].posts).toBe(1);
		expect(error?.message).toMatch(/Outcome unknown/);
		expect(error?.description).toMatch(/Get by Order ID|Get Orders/);
		expect(row.pass).toBe(true);
	});

	it('timeout on a refund (Transaction → Refund, Options → Timeout): refunded once, outcome unknown', async () => {
		const paid = transactionItems(3);
		const slow = String(paid[1].transactionId);
		// RM makes the refund, then answers after the node's 1 s timeout.
		simulator.addFault({ kind: 'slow', method: 'POST', path: '/v3/payment/refund', delayMs: 1_600, times: 1 });
		const logStart = simulator.log.length;
		const started = Date.now();
		const outcome = await run({
			credentials: freshCredentials(),
			parameters: refundParameters('fault suite', { options: { timeout: 1 } }),
			// The slow one first, so the fault hits it.
			items: [paid[1], paid[0], paid[2]],
		});
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_700 - (Date.now() - started))));
		const posts = simulator.log
			.slice(logStart)
			.filter((entry) => entry.method === 'POST' && entry.path === '/v3/payment/refund').length;
		const refunded = simulator.state.transactionById(slow)!;
		const error = outcome.errors.get(0);
		const row = log.add({
			area: 'Transport',
			fault: 'Timeout on a refund POST (Transaction → Refund, Timeout 1 s; RM answers after 1.6 s)',
			expected: 'not retried; error says outcome unknown and how to check; refunded once',
			observed: `${posts} POSTs for 3 refunds; the slow one refunded ${(refunded.finalAmount - refunded.balanceAmount) / 100} time(s) by RM; error: "${error?.message.slice(0, 60)}…"`,
			cases: 3,
			lost: outcome.items.lost.length,
			duplicateCharges: Math.max(0, (refunded.finalAmount - refunded.balanceAmount) / 100 - 1),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			posts === 3 && refunded.balanceAmount === refunded.finalAmount - 100 && /Outcome unknown/.test(error?.message ?? '') &&
			/Get by Order ID|look the transaction up/.test(error?.description ?? '') && outcome.items.succeeded.length === 2 &&
			row.lost === 0 && row.secretsLeaked === 0;
		expect(posts).toBe(3);
		expect(refunded.balanceAmount).toBe(refunded.finalAmount - 100);
		expect(error?.message).toMatch(/Outcome unknown/);
		expect(row.pass).toBe(true);
	});

	it('connection dropped after RM charged (order.create): not retried, and Get Orders finds the charge', async () => {
		const credentials = freshCredentials();
		const items = chargeItems(simulator, 4);
		simulator.addFault({ kind: 'drop', method: 'POST', path: chargePath(String(items[0].customerId)) });
		const outcome = await run({ credentials, parameters: chargeParameters({ concurrency: 2 }), items });
		const counts = chargeCounts(simulator, items);
		const error = outcome.errors.get(0);
		// Follow the error's advice: look the charge up before trying again.
		const lookup = await run({
			credentials,
			parameters: { resource: 'customer', operation: 'getOrders', customerId: items[0].customerId, returnAll: true },
			items: [{}],
		});
		const found = lookup.result.outputs[0]?.length ?? 0;
		const row = log.add({
			area: 'Transport',
			fault: 'Connection dropped after the charge was made (order.create)',
			expected: 'not retried; outcome unknown; Customer → Get Orders shows the one charge',
			observed: `${counts[0].posts} POST, ${counts[0].charges} charge; error says "Outcome unknown"; Get Orders found ${found}`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length + lookup.leaked.length,
			pass: false,
		});
		row.pass =
			counts[0].posts === 1 && counts[0].charges === 1 && /Outcome unknown/.test(error?.message ?? '') &&
			found === 1 && outcome.items.succeeded.length === 3 && row.lost === 0 && row.duplicateCharges === 0 &&
			row.secretsLeaked === 0;
		expect(counts[0].posts).toBe(1);
		expect(error?.message).toMatch(/Outcome unknown/);
		expect(found).toBe(1);
		expect(row.pass).toBe(true);
	});

	it('a declined card is an error naming the transaction, and is not retried', async () => {
		const items = chargeItems(simulator, 3);
		simulator.addFault({ kind: 'decline', method: 'POST', path: chargePath(String(items[2].customerId)), reason: '9010' });
		const outcome = await run({ credentials: freshCredentials(), parameters: chargeParameters(), items });
		const counts = chargeCounts(simulator, items);
		const error = outcome.errors.get(2);
		const row = log.add({
			area: 'Transport',
			fault: 'Card declined (code SUCCESS, item.status FAILED)',
			expected: 'error output naming the transaction and RM’s reason; never reported as paid',
			observed: `item 2 → "${error?.message}"; ${counts[2].posts} POST`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			/declined.*9010/.test(error?.message ?? '') && counts[2].posts === 1 && outcome.items.succeeded.length === 2 &&
			row.lost === 0 && row.duplicateCharges === 0 && row.secretsLeaked === 0;
		expect(error?.message).toMatch(/declined/);
		expect(row.pass).toBe(true);
	});
});

describe('token error, then a server error after the charge (issue 9, with the simulator’s own fault injection)', () => {
	it('503 TOKEN_EXPIRED, then 503 after charging: one new token, two sends, one charge, "Outcome unknown"', async () => {
		const items = chargeItems(simulator, 3);
		const path = chargePath(String(items[1].customerId));
		simulator.addFault({ kind: 'tokenExpired', status: 503, method: 'POST', path });
		simulator.addFault({ kind: 'serverError', status: 503, afterProcessing: true, method: 'POST', path });
		const outcome = await run({ credentials: freshCredentials(), parameters: chargeParameters(), items });
		const counts = chargeCounts(simulator, items);
		const error = outcome.errors.get(1);
		const row = log.add({
			area: 'Transport',
			fault: 'Charge answered 503 TOKEN_EXPIRED, then 503 after RM charged',
			expected: 'one new token and one resend; no third send; "Outcome unknown"; charged once',
			observed: `${counts[1].posts} POSTs, ${counts[1].charges} charge; ${outcome.tokensIssued} tokens; error: "${error?.message.slice(0, 70)}…"`,
			cases: items.length,
			lost: outcome.items.lost.length,
			duplicateCharges: duplicatesAmong(counts),
			secretsLeaked: outcome.leaked.length,
			pass: false,
		});
		row.pass =
			counts[1].posts === 2 && counts[1].charges === 1 && /^Outcome unknown/.test(error?.message ?? '') &&
			outcome.tokensIssued === 2 && outcome.items.succeeded.length === 2 && row.lost === 0 &&
			row.duplicateCharges === 0 && row.secretsLeaked === 0;
		expect({ posts: counts[1].posts, charges: counts[1].charges }).toEqual({ posts: 2, charges: 1 });
		expect(error?.message).toMatch(/^Outcome unknown: POST .* was sent a second time, with a new access token/);
		expect(row.pass).toBe(true);
	});
});
