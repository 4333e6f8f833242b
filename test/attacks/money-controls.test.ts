/**
 * Controls for money.test.ts: the same attacks, the same proxy, the same measure (attackHolds), on
 * configurations built to fail, so the attack suite is shown able to fail for every class:
 * - `previous`: the node with its transport as it was before issue 9 (test/attacks/helpers/
 *   previous-request.ts, swapped in for transport/request.ts in this file only): it resent with
 *   `preAuthenticationRetryStatusCode: [401, <status>]` and let n8n-core refresh and send a third time;
 * - `runAgain`: the current node, run once more after its error, as n8n's "Retry On Fail" would do
 *   (the error tells the user not to turn it on for this node).
 */
jest.mock('../../nodes/RevenueMonster/transport/request', () => jest.requireActual('./helpers/previous-request'));

import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { credentialSecrets, tokenSecrets } from '../../support/reliability';
import { recordWalkControl, secretsIn } from './helpers/error-walk';
import { MONEY_ATTACKS, MONEY_OPERATIONS, attackHolds, runMoneyAttack, type AttackOutcome } from './helpers/money-cases';
import { useMoneyBench } from './helpers/money-bench';
import { seedPayment } from '../../support/seed';
import { errorKeepingNode } from '../helpers/error-keeping-node';

const bench = useMoneyBench('money-attack-controls');

it('this file runs the previous transport (the mock is in place)', () => {
	const current = jest.requireActual('../../nodes/RevenueMonster/transport/request') as { revenueMonsterRequest: unknown };
	const inUse = jest.requireMock('../../nodes/RevenueMonster/transport/request') as { revenueMonsterRequest: unknown };
	expect(inUse.revenueMonsterRequest).not.toBe(current.revenueMonsterRequest);
});

describe.each(MONEY_ATTACKS.map((attack) => [attack.name, attack] as const))('control: %s', (_name, attack) => {
	it(`fails the attack suite's check (${attack.control === 'previous' ? 'previous transport' : 'run again, as Retry On Fail'})`, async () => {
		const outcomes: AttackOutcome[] = [];
		for (const operation of MONEY_OPERATIONS) {
			outcomes.push(
				await runMoneyAttack(bench, operation, attack, {
					runAgainOnError: attack.control === 'runAgain',
				}),
			);
		}
		const failing = outcomes.filter((outcome) => !attackHolds(outcome, attack)).length;
		const tries = outcomes.reduce((sum, outcome) => sum + outcome.sent, 0);
		const sentTwice = outcomes.reduce((sum, outcome) => sum + outcome.sentTwice, 0);
		bench.log.add({
			area: 'Attacks: money — controls (built to fail)',
			fault: `${attack.name} — ${attack.control === 'previous' ? 'transport before issue 9' : 'node run again (Retry On Fail)'}`,
			expected: 'the attack check fails for every operation',
			observed: `${tries} sends for ${outcomes.length} operations (most ${Math.max(
				...outcomes.map((outcome) => outcome.sent),
			)}); RM acted ${outcomes.reduce((sum, outcome) => sum + outcome.rmActs, 0)}×; check failed for ${failing}/${outcomes.length}`,
			cases: outcomes.length,
			tries,
			lost: outcomes.reduce((sum, outcome) => sum + outcome.lost, 0),
			duplicateCharges: sentTwice,
			secretsLeaked: outcomes.reduce((sum, outcome) => sum + outcome.leaked.length, 0),
			pass: failing === outcomes.length,
			control: true,
		});
		expect(failing).toBe(outcomes.length);
	});
});

it('control, previous transport: the issue’s exact case sends a charge a third time and charges twice', async () => {
	const attack = MONEY_ATTACKS.find((candidate) => candidate.name === '503 TOKEN_EXPIRED, then 503 after RM acted')!;
	const outcome = await runMoneyAttack(bench, MONEY_OPERATIONS[0], attack);
	expect({ sent: outcome.sent, reachedRm: outcome.reachedRm, charges: outcome.rmActs }).toEqual({
		sent: 3,
		reachedRm: 2,
		charges: 2,
	});
	// and n8n records no error: the execution "succeeded"
	expect(outcome.error).toBeUndefined();
});

it('control, previous transport: the error it rethrew for a 404 HTML holds the access token (in its cause)', async () => {
	const thrown: unknown[] = [];
	bench.proxy.reset();
	const transaction = seedPayment(bench.simulator, { title: 'Control' });
	bench.proxy.attack('GET', `/v3/payment/transaction/${transaction.transactionId}`, [
		{ refuse: { status: 404, html: '<html><title>404 Not Found</title></html>' } },
	]);
	const credentials = new InMemoryCredentialsHelper(simulatorCredentials(bench.simulator, { apiBaseUrl: bench.proxy.url }));
	await runNode({
		nodeType: errorKeepingNode(thrown),
		parameters: { resource: 'transaction', operation: 'get', transactionId: transaction.transactionId },
		items: [{}],
		credentialsHelper: credentials,
	});
	expect(thrown).toHaveLength(1);
	const found = secretsIn(thrown[0], [...credentialSecrets(simulatorCredentials(bench.simulator)), ...tokenSecrets(bench.issuedTokens)]);
	recordWalkControl(
		bench.log,
		'Control: 404 HTML on a read, transport before issue 9 (rethrew n8n-core’s error)',
		'the walk finds the access token (so the secrets test can fail)',
		found,
	);
});
