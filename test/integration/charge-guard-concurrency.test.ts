/**
 * Issue #23 B1: the charge guard holds across executions in one process. N executions of the same
 * billing started at once (each its own IExecuteFunctions context through n8n-core's WorkflowExecute,
 * as a schedule plus a manual run, or a retry, are) bill each customer at most once in the window.
 *
 * Control: with the guard of commit 87734ce (its per-customer queue keyed by the execution context)
 * every execution reads "no orders" and charges: 2 runs → 2 charges, 5 → 5, 20 → 20, and the
 * 20-customer list run twice at once charges 20 of 20 twice (measured 2026-12-07).
 */

import { guardedBilling } from '../helpers/guarded-charge';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();
const { run } = suite;

const billing = guardedBilling;

const chargesOf = (customerId: string) =>
	suite.simulator.state.customerOrders.filter((order) => order.customerId === customerId && order.status === 'SUCCESS').length;

beforeAll(async () => {
	// The token is fetched once beforehand, so every execution below starts at the check, not at the token.
	await suite.boundCustomer('warm-up@example.com');
});

describe('N executions of the same billing at once, one customer', () => {
	it.each([2, 5, 20])('%i executions: one charge, the others alreadyCharged', async (executions) => {
		const customerId = await suite.boundCustomer(`one-${executions}@example.com`);
		const results = await Promise.all(Array.from({ length: executions }, async () => await run(billing(), [{ customerId }])));
		expect(results.map((result) => result.error)).toEqual(results.map(() => undefined));
		const flags = results.map((result) => result.outputs[0][0].json.alreadyCharged);
		// Charges first: the control run (the guard of 87734ce) shows 2, 5 and 20 here.
		expect(chargesOf(customerId)).toBe(1);
		expect(flags.filter((flag) => flag === false)).toHaveLength(1);
		expect(flags.filter((flag) => flag === true)).toHaveLength(executions - 1);
	});
});

describe('a 20-customer billing run twice at once (a schedule and a manual run)', () => {
	it('each of the 20 customers is charged exactly once', async () => {
		const customers: string[] = [];
		for (let i = 0; i < 20; i++) customers.push(await suite.boundCustomer(`list-${i}@example.com`));
		const items = customers.map((customerId) => ({ customerId }));
		const [first, second] = await Promise.all([
			run({ ...billing(), requestOptions: { concurrency: 4 } }, items),
			run({ ...billing(), requestOptions: { concurrency: 4 } }, items),
		]);
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(customers.map(chargesOf)).toEqual(customers.map(() => 1));
		const skipped = [...first.outputs[0], ...second.outputs[0]].filter((item) => item.json.alreadyCharged === true);
		expect(skipped).toHaveLength(20);
	});
});

describe('controls: the queue is per customer and per merchant, not a global lock', () => {
	it('different customers at once are each charged (nothing skipped wrongly)', async () => {
		const customers = await Promise.all(Array.from({ length: 5 }, async (_, i) => await suite.boundCustomer(`other-${i}@example.com`)));
		const results = await Promise.all(customers.map(async (customerId) => await run(billing(), [{ customerId }])));
		expect(results.map((result) => result.outputs[0][0].json.alreadyCharged)).toEqual(customers.map(() => false));
		expect(customers.map(chargesOf)).toEqual(customers.map(() => 1));
	});

	it('with the guard off, two executions at once charge twice (what the guard prevents is real)', async () => {
		const customerId = await suite.boundCustomer('unguarded@example.com');
		await Promise.all([run(billing({ options: {} }), [{ customerId }]), run(billing({ options: {} }), [{ customerId }])]);
		expect(chargesOf(customerId)).toBe(2);
	});

	it('a failed check in one execution does not block the next one in the queue', async () => {
		const customerId = await suite.boundCustomer('after-failure@example.com');
		suite.simulator.addFault({ kind: 'serverError', times: 3, method: 'GET', path: `/v3/customer/${customerId}/orders` });
		const [failed, charged] = await Promise.all([run(billing(), [{ customerId }]), run(billing(), [{ customerId }])]);
		const outcomes = [failed, charged].map((result) => (result.error ? 'error' : String(result.outputs[0][0].json.alreadyCharged)));
		expect(outcomes.sort()).toEqual(['error', 'false']);
		expect(chargesOf(customerId)).toBe(1);
	});
});
