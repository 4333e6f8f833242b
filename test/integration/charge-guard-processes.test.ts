/**
 * Issue #23 B1, the honest limit: the guard's cross-execution queue lives in one process. Two copies of
 * the node's modules (jest.isolateModules: what two queue-mode workers are) billing the same customer at
 * the same moment can both charge — this file pins that, so the docs' "not guaranteed" stays true and
 * visible. With the claim recipe of docs/SCALING.md ("Charges": an atomic claim on
 * `charge:{customerId}:{amount}:{currency}:{period}` in the user's own store before the node; here an
 * in-memory stand-in for Redis INCR / Postgres INSERT … ON CONFLICT DO NOTHING), each customer is
 * charged once.
 */
import type { INodeType } from 'n8n-workflow';

import { runNode } from '../../support/n8n';
import { guardedBilling } from '../helpers/guarded-charge';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();

/** The action node loaded once more, with module state of its own: a second "process". */
function nodeOfAnotherProcess(): INodeType {
	let node: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { RevenueMonster } = require('../../nodes/RevenueMonster/RevenueMonster.node') as { RevenueMonster: new () => INodeType };
		node = new RevenueMonster();
	});
	return node!;
}
const workers = [nodeOfAnotherProcess(), nodeOfAnotherProcess()];

const billing = guardedBilling();

const runOn = async (worker: INodeType, customerId: string) =>
	await runNode({ nodeType: worker, parameters: billing, items: [{ customerId }], credentialsHelper: suite.credentials });
const chargesOf = (customerId: string) =>
	suite.simulator.state.customerOrders.filter((order) => order.customerId === customerId && order.status === 'SUCCESS').length;

/** Redis INCR / Postgres INSERT … ON CONFLICT DO NOTHING: the first caller of a key wins, atomically. */
class ClaimStore {
	private readonly keys = new Set<string>();
	claim(key: string): boolean {
		if (this.keys.has(key)) return false;
		this.keys.add(key);
		return true;
	}
}

beforeAll(async () => {
	await suite.boundCustomer('warm-up@example.com');
	for (const worker of workers) await runOn(worker, await suite.boundCustomer('warm-up-worker@example.com'));
});

it('NOT guaranteed: two processes at the same moment, without a claim, can both charge', async () => {
	const customerId = await suite.boundCustomer('two-workers@example.com');
	// Both look-ups are answered 300 ms after they arrive (with the list as it was then): they overlap for sure.
	suite.simulator.addFault({ kind: 'slow', delayMs: 300, times: 2, method: 'GET', path: `/v3/customer/${customerId}/orders` });
	await Promise.all(workers.map(async (worker) => await runOn(worker, customerId)));
	// Documented in README "Safe re-runs" and docs/SCALING.md "Charges": this is why the claim exists.
	expect(chargesOf(customerId)).toBe(2);
});

it('one after the other on two processes: the guard alone holds (RM is the ledger)', async () => {
	const customerId = await suite.boundCustomer('sequential-workers@example.com');
	await runOn(workers[0], customerId);
	const second = await runOn(workers[1], customerId);
	expect(second.outputs[0][0].json).toMatchObject({ alreadyCharged: true });
	expect(chargesOf(customerId)).toBe(1);
});

it('with the claim recipe before the node: 2 processes × 5 executions at once charge once', async () => {
	const customerId = await suite.boundCustomer('claimed@example.com');
	const store = new ClaimStore();
	const period = '2026-W49';
	const key = `charge:${customerId}:2500:MYR:${period}`;
	const execution = async (worker: INodeType) => {
		// The workflow's claim step; the node runs only for the execution that won it.
		await Promise.resolve();
		if (!store.claim(key)) return 'claim lost';
		return (await runOn(worker, customerId)).outputs[0][0].json.alreadyCharged;
	};
	const outcomes = await Promise.all([0, 1, 2, 3, 4].flatMap(() => workers.map(execution)));
	expect(outcomes.filter((outcome) => outcome === false)).toHaveLength(1);
	expect(outcomes.filter((outcome) => outcome === 'claim lost')).toHaveLength(9);
	expect(chargesOf(customerId)).toBe(1);
});
