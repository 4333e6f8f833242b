/**
 * The charge guard (Order → Create → Options → Skip If Charged Within) through n8n-core's engine
 * against the simulator: RM's own order list decides, so running a billing run again charges nobody
 * twice; an older, failed or different charge does not block; a failed look-up charges nothing.
 */

import type { CustomerOrder } from '../../simulator/state';
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { guardedCharge, hoursAgo, pastOrder as pastOrderIn } from '../helpers/guarded-charge';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();
const { run } = suite;
const pastOrder = (customerId: string, fields: Partial<CustomerOrder>) => pastOrderIn(suite.simulator.state, customerId, fields);
const newCustomer = () => suite.boundCustomer('subscriber@example.com');

const charge = guardedCharge;

const ordersOf = (customerId: string) => suite.simulator.state.customerOrders.filter((order) => order.customerId === customerId);
const orderLookups = (customerId: string) =>
	suite.simulator.apiLog().filter((entry) => entry.method === 'GET' && entry.path === `/v3/customer/${customerId}/orders`).length;

describe('skips a charge RM already has', () => {
	it('a second run outputs the SUCCESS order with alreadyCharged and charges nothing', async () => {
		const customerId = await newCustomer();
		const first = await run(charge(customerId));
		expect(first.error).toBeUndefined();
		expect(first.outputs[0][0].json).toMatchObject({ paid: true, status: 'SUCCESS', alreadyCharged: false });
		const transactionId = first.outputs[0][0].json.transactionId;

		const second = await run(charge(customerId));
		expect(second.error).toBeUndefined();
		expect(second.outputs[0][0].json).toMatchObject({
			alreadyCharged: true,
			paid: true,
			status: 'SUCCESS',
			transactionId,
			amount: 2500,
			currency: 'MYR',
		});
		expect(ordersOf(customerId)).toHaveLength(1);
	});

	it('an IN_PROCESS order also blocks, with paid false', async () => {
		const customerId = await newCustomer();
		suite.simulator.addFault({ kind: 'inProcess', method: 'POST', path: '/order' });
		const first = await run(charge(customerId));
		expect(first.outputs[0][0].json).toMatchObject({ status: 'IN_PROCESS', paid: false, alreadyCharged: false });

		const second = await run(charge(customerId));
		expect(second.error).toBeUndefined();
		expect(second.outputs[0][0].json).toMatchObject({ alreadyCharged: true, paid: false, status: 'IN_PROCESS' });
		expect(ordersOf(customerId)).toHaveLength(1);
	});

	it('two items for the same customer in one run, sent concurrently: one charge, one alreadyCharged', async () => {
		const warmUp = await newCustomer();
		const customerId = await newCustomer();
		// The router runs the first item alone (it fetches the token); the next two go out together.
		const { outputs, error } = await run(
			{ ...charge('={{ $json.customerId }}'), requestOptions: { concurrency: 3 } },
			[{ customerId: warmUp }, { customerId }, { customerId }],
		);
		expect(error).toBeUndefined();
		const flags = outputs[0].slice(1).map((item) => item.json.alreadyCharged).sort();
		expect(flags).toEqual([false, true]);
		expect(ordersOf(customerId)).toHaveLength(1);
	});
});

describe('charges when nothing recent matches (controls for the above)', () => {
	it('the matching order is older than the window', async () => {
		const customerId = await newCustomer();
		await run(charge(customerId));
		ordersOf(customerId)[0].createdAt = hoursAgo(481);
		const again = await run(charge(customerId));
		expect(again.outputs[0][0].json).toMatchObject({ paid: true, alreadyCharged: false });
		expect(ordersOf(customerId)).toHaveLength(2);
	});

	it('the earlier charge FAILED', async () => {
		const customerId = await newCustomer();
		suite.simulator.addFault({ kind: 'decline', method: 'POST', path: '/order' });
		const declined = await run(charge(customerId));
		expect(declined.error?.message).toMatch(/Charge declined/);
		const again = await run(charge(customerId));
		expect(again.error).toBeUndefined();
		expect(again.outputs[0][0].json).toMatchObject({ paid: true, alreadyCharged: false });
		expect(ordersOf(customerId).map((order) => order.status)).toEqual(['FAILED', 'SUCCESS']);
	});

	it('the earlier charge was another amount', async () => {
		const customerId = await newCustomer();
		await run(charge(customerId, { amount: 1500 }));
		const again = await run(charge(customerId));
		expect(again.outputs[0][0].json).toMatchObject({ paid: true, alreadyCharged: false, order: { amount: 2500 } });
		expect(ordersOf(customerId)).toHaveLength(2);
	});

	it('the guard is off (0 or left out): no look-up, a second charge', async () => {
		const customerId = await newCustomer();
		await run(charge(customerId, { options: {} }));
		await run(charge(customerId, { options: { skipIfChargedWithinHours: 0 } }));
		expect(ordersOf(customerId)).toHaveLength(2);
		expect(orderLookups(customerId)).toBe(0);
	});
});

describe('reads every page of the orders', () => {

	it('finds a match on the third page (the list is oldest first and promises no order)', async () => {
		const customerId = await newCustomer();
		for (let i = 0; i < 44; i++) suite.simulator.state.customerOrders.push(pastOrder(customerId, { createdAt: hoursAgo(1000 - i) }));
		const match = pastOrder(customerId, { amount: 2500, createdAt: hoursAgo(3) });
		suite.simulator.state.customerOrders.push(match);
		const before = orderLookups(customerId);

		const { outputs, error } = await run(charge(customerId));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ alreadyCharged: true, transactionId: match.transactionId });
		expect(orderLookups(customerId) - before).toBe(3); // 20 + 20 + 5 orders per page
		expect(ordersOf(customerId)).toHaveLength(45);
	});

	it('reads to the end and charges when no page has a match', async () => {
		const customerId = await newCustomer();
		for (let i = 0; i < 41; i++) suite.simulator.state.customerOrders.push(pastOrder(customerId, { amount: 2400 }));
		const before = orderLookups(customerId);
		const { outputs } = await run(charge(customerId));
		expect(outputs[0][0].json).toMatchObject({ paid: true, alreadyCharged: false });
		expect(orderLookups(customerId) - before).toBe(3);
	});
});

describe('a failed look-up charges nothing', () => {
	it.each([
		['a 500 on every try', { kind: 'serverError' as const, times: 3 }],
		['an error inside a 200', { kind: 'errorIn200' as const, code: 'SYSTEM_BUSY' }],
	])('%s: an error naming the customer, no charge', async (_name, fault) => {
		const customerId = await newCustomer();
		suite.simulator.addFault({ ...fault, method: 'GET', path: '/orders' });
		const { error, outputs } = await run(charge(customerId));
		expect(error?.message).toContain(`Could not check earlier charges of customer ${customerId}`);
		expect(outputs).toEqual([]);
		expect(ordersOf(customerId)).toHaveLength(0);
		expect(suite.simulator.apiLog().some((entry) => entry.method === 'POST' && entry.path.includes(customerId))).toBe(false);
	});

	it('an unknown customer: the look-up error, no charge attempted', async () => {
		const { error } = await run(charge('1700000000000000001'));
		expect(error?.message).toMatch(/Could not check earlier charges of customer 1700000000000000001.*CUSTOMER_NOT_FOUND/);
	});

	it('the error output routes it with "On Error → Continue (using error output)"', async () => {
		const customerId = await newCustomer();
		suite.simulator.addFault({ kind: 'serverError', times: 3, method: 'GET', path: '/orders' });
		const { outputs } = await run(charge(customerId), [{}], 'continueErrorOutput');
		expect(outputs[0]).toHaveLength(0);
		expect(String(outputs[1][0].json.error)).toContain('Could not check earlier charges');
	});
});

describe('public names (contract.md)', () => {
	it('order.create options hold timeout and skipIfChargedWithinHours', () => {
		const options = new RevenueMonster().description.properties.find(
			(property) => property.name === 'options' && property.displayOptions?.show?.resource?.includes('order'),
		);
		const names = ((options?.options ?? []) as Array<{ name: string; default: unknown }>).map((option) => option.name);
		// The one Options collection also holds Concurrency and Max Requests per Second (issue 12, item 10).
		expect(names.sort()).toEqual(['concurrency', 'maxRequestsPerSecond', 'skipIfChargedWithinHours', 'timeout']);
	});
});
