/**
 * Issue 9, money half: an attacker's proxy lets Revenue Monster (the simulator) charge, refund,
 * reverse or take a checkout payment, then answers 5xx, token errors, 429, or cuts the connection.
 * The real node runs in n8n-core's engine (n8n-core's own httpRequestWithAuthentication), for every
 * money-moving operation. For every case: the request reached RM at most once (nothing sent twice),
 * the node sent it at most twice after a token error (never a third time), the item ends on the
 * error output as "Outcome unknown", and no secret shows up in what n8n keeps.
 *
 * The controls (money-controls.test.ts) run the same attacks against configurations built to fail.
 */
import {
	MONEY_ATTACKS,
	MONEY_OPERATIONS,
	attackHolds,
	runMoneyAttack,
	type AttackOutcome,
	type MoneyAttack,
} from './helpers/money-cases';
import { useMoneyBench } from './helpers/money-bench';

const bench = useMoneyBench('money-attacks');

function record(attack: MoneyAttack, outcomes: AttackOutcome[]): boolean {
	const tries = outcomes.reduce((sum, outcome) => sum + outcome.sent, 0);
	const sentTwice = outcomes.reduce((sum, outcome) => sum + outcome.sentTwice, 0);
	const rmActs = outcomes.reduce((sum, outcome) => sum + outcome.rmActs, 0);
	const unknown = outcomes.filter((outcome) => /^Outcome unknown/.test(outcome.error?.message ?? '')).length;
	const pass = outcomes.every((outcome) => attackHolds(outcome, attack));
	bench.log.add({
		area: 'Attacks: money (a proxy answers after RM acted)',
		fault: attack.name,
		expected: `at most ${attack.maxSends} send(s) per operation, RM reached once, "Outcome unknown"`,
		observed: `${tries} sends for ${outcomes.length} operations (most ${Math.max(
			...outcomes.map((outcome) => outcome.sent),
		)} for one); RM acted ${rmActs}×; ${unknown}/${outcomes.length} "Outcome unknown"`,
		cases: outcomes.length,
		tries,
		lost: outcomes.reduce((sum, outcome) => sum + outcome.lost, 0),
		duplicateCharges: sentTwice,
		secretsLeaked: outcomes.reduce((sum, outcome) => sum + outcome.leaked.length, 0),
		pass,
	});
	return pass;
}

describe.each(MONEY_ATTACKS.map((attack) => [attack.name, attack] as const))('%s', (_name, attack) => {
	it('every money-moving operation: RM reached once, never a third send, "Outcome unknown", no secret', async () => {
		const outcomes: AttackOutcome[] = [];
		for (const operation of MONEY_OPERATIONS) {
			const outcome = await runMoneyAttack(bench, operation, attack);
			outcomes.push(outcome);
			const seen = { operation: operation.name, sent: outcome.sent, reachedRm: outcome.reachedRm, rmActs: outcome.rmActs };
			expect(seen).toEqual({ ...seen, reachedRm: 1, rmActs: 1 });
			expect(outcome.sent).toBeLessThanOrEqual(attack.maxSends);
			expect(outcome.error?.message).toMatch(/^Outcome unknown/);
			expect(outcome.error?.description).toMatch(/Get by Order ID/);
			expect(outcome.leaked).toEqual([]);
			expect(outcome.lost).toBe(0);
		}
		expect(record(attack, outcomes)).toBe(true);
	});
});

describe('what the answers mean', () => {
	it('a token error before RM acted: one new token, one resend, and the money moves once', async () => {
		const tokensBefore = bench.simulator.stats.tokensIssued;
		const attack: MoneyAttack = {
			name: '503 TOKEN_EXPIRED, then RM answers',
			answers: [{ refuse: { status: 503, body: { error: { code: 'TOKEN_EXPIRED', message: 'token expired' } } } }],
			control: 'previous',
			maxSends: 2,
		};
		const outcome = await runMoneyAttack(bench, MONEY_OPERATIONS[0], attack);
		expect({ sent: outcome.sent, reachedRm: outcome.reachedRm, rmActs: outcome.rmActs }).toEqual({
			sent: 2,
			reachedRm: 1,
			rmActs: 1,
		});
		expect(outcome.error).toBeUndefined();
		// one token for the first send, one after the token error
		expect(bench.simulator.stats.tokensIssued - tokensBefore).toBe(2);
		// the resend carried the new token, not the refused one
		const [first, second] = bench.proxy.requests.filter((request) => request.method === 'POST');
		expect(second.authorization).not.toBe(first.authorization);
	});

	it('after the resend, an RM code giving a reason is reported as that refusal, not as unknown', async () => {
		const attack: MoneyAttack = {
			name: '401, then INSUFFICIENT_REFUND_AMOUNT',
			answers: [
				{ refuse: { status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'token expired' } } } },
				{ refuse: { status: 400, body: { error: { code: 'INSUFFICIENT_REFUND_AMOUNT', message: 'insufficient' } } } },
			],
			control: 'previous',
			maxSends: 2,
		};
		const refund = MONEY_OPERATIONS.find((operation) => operation.name === 'Transaction → Refund')!;
		const outcome = await runMoneyAttack(bench, refund, attack);
		expect(outcome.sent).toBe(2);
		expect(outcome.error?.code).toBe('INSUFFICIENT_REFUND_AMOUNT');
	});

	it('a read is still retried through a 503 and a token error (safe: it moves nothing)', async () => {
		bench.proxy.reset();
		const transaction = bench.simulator.state.transactions[bench.simulator.state.transactions.length - 1];
		const path = `/v3/payment/transaction/${transaction.transactionId}`;
		bench.proxy.attack('GET', path, [
			{ refuse: { status: 503, body: { error: { code: 'TOKEN_EXPIRED', message: 'token expired' } } } },
			{ refuse: { status: 503, html: '<html>busy</html>' } },
		]);
		const { InMemoryCredentialsHelper, simulatorCredentials } = await import('../../support/n8n');
		const { runCase } = await import('../../support/fault-runs');
		const outcome = await runCase({
			simulator: bench.simulator,
			issuedTokens: bench.issuedTokens,
			credentials: new InMemoryCredentialsHelper(simulatorCredentials(bench.simulator, { apiBaseUrl: bench.proxy.url })),
			parameters: { resource: 'transaction', operation: 'get', transactionId: transaction.transactionId },
			items: [{}],
		});
		expect(outcome.items.succeeded).toEqual([0]);
		expect(bench.proxy.sendsTo('GET', path).sent).toBe(3);
	});
});

describe('an n8n that refreshes and resends on every 401 by itself (as open n8n PR #38927 proposes)', () => {
	// n8n-core's own test for "token expired", made to say yes to every 401 whatever the node asked for.
	const oauth = jest.requireActual(
		'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/oauth',
	) as { isTokenExpiredStatusCode: (status: unknown, codes: number | number[]) => boolean };
	let spy: jest.SpyInstance;
	beforeAll(() => {
		const original = oauth.isTokenExpiredStatusCode;
		spy = jest
			.spyOn(oauth, 'isTokenExpiredStatusCode')
			.mockImplementation((status, codes) => status === 401 || original(status, codes));
	});
	afterAll(() => spy.mockRestore());

	it('the node counts n8n’s own resend as its one token resend: still never a third send', async () => {
		const attack = MONEY_ATTACKS.find((candidate) => candidate.name === '401, then 503 TOKEN_EXPIRED after RM acted')!;
		const outcomes: AttackOutcome[] = [];
		for (const operation of MONEY_OPERATIONS) {
			spy.mockClear();
			const outcome = await runMoneyAttack(bench, operation, attack);
			outcomes.push(outcome);
			// control: n8n-core did take the 401 as "refresh and resend" by itself
			expect(spy.mock.results.some((result) => result.value === true)).toBe(true);
			expect({ operation: operation.name, sent: outcome.sent, reachedRm: outcome.reachedRm }).toEqual({
				operation: operation.name,
				sent: 2,
				reachedRm: 1,
			});
			expect(attackHolds(outcome, attack)).toBe(true);
		}
		bench.log.add({
			area: 'Attacks: money (a proxy answers after RM acted)',
			fault: '401, then 503 TOKEN_EXPIRED after RM acted — with an n8n that resends on every 401 by itself',
			expected: 'n8n’s own resend counts as the one token resend: at most 2 sends, "Outcome unknown"',
			observed: `${outcomes.reduce((sum, outcome) => sum + outcome.sent, 0)} sends for ${outcomes.length} operations; ${
				outcomes.filter((outcome) => /^Outcome unknown/.test(outcome.error?.message ?? '')).length
			}/${outcomes.length} "Outcome unknown"`,
			cases: outcomes.length,
			tries: outcomes.reduce((sum, outcome) => sum + outcome.sent, 0),
			lost: outcomes.reduce((sum, outcome) => sum + outcome.lost, 0),
			duplicateCharges: outcomes.reduce((sum, outcome) => sum + outcome.sentTwice, 0),
			secretsLeaked: outcomes.reduce((sum, outcome) => sum + outcome.leaked.length, 0),
			pass: outcomes.every((outcome) => attackHolds(outcome, attack)),
		});
	});
});
