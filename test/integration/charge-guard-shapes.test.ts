/**
 * Issue #22: the charge guard over every shape of the customer-orders list RM's pages allow (container
 * `items` / `item`, flat order / transaction object, oldest / newest first; simulator/orders-list.ts).
 * Each combination either works (skips the customer already charged, charges the one who is not) or
 * fails closed (an error, nothing charged): never a second charge. Answers no page shows (another
 * container, entries without a currency, an unknown status…) must fail closed.
 *
 * Control: with the guard of commit 87734ce (reads `items` only, flat orders only, an entry it cannot
 * read is "no match") the `item` and `transaction` combinations charge a second time, and so do most
 * of the tampered answers (see the report of issue #22).
 */

import type { CustomerOrder, Json } from '../../simulator/state';
import { ALL_ORDERS_LIST_SHAPES, DEFAULT_ORDERS_LIST, describeShape, type OrdersListShape } from '../../simulator/orders-list';
import { guardedCharge, hoursAgo, pastOrder as pastOrderIn } from '../helpers/guarded-charge';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();
const { run } = suite;
const pastOrder = (customerId: string, fields: Partial<CustomerOrder>) => pastOrderIn(suite.simulator.state, customerId, fields);
const newCustomer = () => suite.boundCustomer('subscriber@example.com');

const charge = guardedCharge;

const ordersOf = (customerId: string) => suite.simulator.state.customerOrders.filter((order) => order.customerId === customerId);
const FAILED_CLOSED = /Could not check earlier charges of customer \d+, so it was not charged/;


function useShape(shape: OrdersListShape): void {
	suite.simulator.state.ordersList = { ...shape };
}
afterEach(() => useShape(DEFAULT_ORDERS_LIST));

/** "Works or fails closed": the run either skipped the customer or failed with the guard's error; no new order. */
function expectNoSecondCharge(result: Awaited<ReturnType<typeof run>>, customerId: string, ordersBefore: number): void {
	expect(ordersOf(customerId)).toHaveLength(ordersBefore);
	if (result.error) expect(result.error.message).toMatch(FAILED_CLOSED);
	else expect(result.outputs[0][0].json).toMatchObject({ alreadyCharged: true });
}

describe.each(ALL_ORDERS_LIST_SHAPES.map((shape) => [describeShape(shape), shape] as const))('orders list %s', (_name, shape) => {
	beforeEach(() => useShape(shape));

	it('a second run charges nobody twice', async () => {
		const customerId = await newCustomer();
		const first = await run(charge(customerId));
		expect(first.error).toBeUndefined();
		expect(first.outputs[0][0].json).toMatchObject({ paid: true, alreadyCharged: false });
		const second = await run(charge(customerId));
		expectNoSecondCharge(second, customerId, 1);
		// Both documented entry shapes are read: the guard works here, it does not just refuse.
		expect(second.error).toBeUndefined();
		expect(second.outputs[0][0].json).toMatchObject({ alreadyCharged: true, paid: true, transactionId: first.outputs[0][0].json.transactionId });
	});

	it('a match among 45 orders (three pages with `items`), on either end of the list', async () => {
		const customerId = await newCustomer();
		for (let i = 0; i < 44; i++) suite.simulator.state.customerOrders.push(pastOrder(customerId, { createdAt: hoursAgo(1000 - i) }));
		const match = pastOrder(customerId, { amount: 2500, createdAt: hoursAgo(3) });
		suite.simulator.state.customerOrders.push(match);
		const result = await run(charge(customerId));
		expectNoSecondCharge(result, customerId, 45);
		expect(result.outputs[0][0].json).toMatchObject({ alreadyCharged: true, transactionId: match.transactionId });
	});

	it('an IN_PROCESS charge blocks too (paid false)', async () => {
		const customerId = await newCustomer();
		suite.simulator.state.customerOrders.push(pastOrder(customerId, { amount: 2500, status: 'IN_PROCESS' }));
		const result = await run(charge(customerId));
		expectNoSecondCharge(result, customerId, 1);
		expect(result.outputs[0][0].json).toMatchObject({ alreadyCharged: true, paid: false });
	});

	it('two items for the same customer at once (Concurrency 3): one charge', async () => {
		const warmUp = await newCustomer();
		const customerId = await newCustomer();
		const { outputs, error } = await run({ ...charge('={{ $json.customerId }}'), requestOptions: { concurrency: 3 } }, [
			{ customerId: warmUp },
			{ customerId },
			{ customerId },
		]);
		expect(error).toBeUndefined();
		expect(outputs[0].slice(1).map((item) => item.json.alreadyCharged).sort()).toEqual([false, true]);
		expect(ordersOf(customerId)).toHaveLength(1);
	});

	it('control: charges when the only match is older than the window, FAILED, or another amount', async () => {
		const customerId = await newCustomer();
		suite.simulator.state.customerOrders.push(
			pastOrder(customerId, { amount: 2500, createdAt: hoursAgo(481) }),
			pastOrder(customerId, { amount: 2500, status: 'FAILED' }),
			pastOrder(customerId, { amount: 1500 }),
		);
		const result = await run(charge(customerId));
		expect(result.error).toBeUndefined();
		expect(result.outputs[0][0].json).toMatchObject({ paid: true, alreadyCharged: false });
		expect(ordersOf(customerId)).toHaveLength(4);
	});
});

describe('answers no page shows fail closed: nothing charged, the error says why', () => {
	const items = (answer: Json) => (answer.items ?? answer.item) as Json[];
	const cases: Array<[string, (answer: Json) => Json, RegExp]> = [
		['the list under "data"', (answer) => ({ data: items(answer), code: 'SUCCESS', meta: answer.meta }), /no order list.*"data"/],
		['no list at all', () => ({ code: 'SUCCESS' }), /no order list/],
		['a single object under "item"', (answer) => ({ item: items(answer)[0], code: 'SUCCESS' }), /no order list.*"item"/],
		['both "items" and "item"', (answer) => ({ items: items(answer), item: items(answer), code: 'SUCCESS' }), /no order list/],
		['entries without a currency', (answer) => ({ ...answer, items: items(answer).map(({ currency: _c, ...rest }) => rest) }), /no recognisable/],
		['entries without an amount', (answer) => ({ ...answer, items: items(answer).map(({ amount: _a, ...rest }) => rest) }), /no recognisable/],
		['amounts as money text ("25.00")', (answer) => ({ ...answer, items: items(answer).map((entry) => ({ ...entry, amount: '25.00' })) }), /no recognisable/],
		['entries without a time', (answer) => ({ ...answer, items: items(answer).map(({ createdAt: _t, ...rest }) => rest) }), /no recognisable/],
		['an unknown status ("PENDING")', (answer) => ({ ...answer, items: items(answer).map((entry) => ({ ...entry, status: 'PENDING' })) }), /no recognisable/],
		['the order nested under "order" without its amount', (answer) => ({ ...answer, items: items(answer).map((entry) => ({ ...entry, amount: undefined, currency: undefined, order: { id: entry.id } })) }), /no recognisable/],
		['entries that are strings', (answer) => ({ ...answer, items: items(answer).map((entry) => String(entry.id)) }), /not an object/],
	];

	it.each(cases)('%s', async (_name, tamper, reason) => {
		const customerId = await newCustomer();
		const first = await run(charge(customerId));
		expect(first.error).toBeUndefined();
		useShape({ ...DEFAULT_ORDERS_LIST, tamper });
		const second = await run(charge(customerId));
		expect(second.error?.message).toMatch(FAILED_CLOSED);
		expect(second.error?.message).toMatch(reason);
		expect(String((second.error as { description?: string }).description)).toMatch(/Customer → Get Orders/);
		expect(ordersOf(customerId)).toHaveLength(1);
	});

	it('a cursor that repeats: fails closed instead of stopping early', async () => {
		const customerId = await newCustomer();
		for (let i = 0; i < 25; i++) suite.simulator.state.customerOrders.push(pastOrder(customerId, { amount: 990 }));
		suite.simulator.state.customerOrders.push(pastOrder(customerId, { amount: 2500 }));
		useShape({ ...DEFAULT_ORDERS_LIST, tamper: (answer) => ({ ...answer, meta: { cursor: 'MA==', count: 26 } }) });
		const result = await run(charge(customerId));
		expect(result.error?.message).toMatch(FAILED_CLOSED);
		expect(ordersOf(customerId)).toHaveLength(26);
	});

	it('control: the untampered answer charges a customer with no orders (the refusals above are about the shape)', async () => {
		const customerId = await newCustomer();
		useShape({ ...DEFAULT_ORDERS_LIST, tamper: (answer) => answer });
		const result = await run(charge(customerId));
		expect(result.error).toBeUndefined();
		expect(ordersOf(customerId)).toHaveLength(1);
	});
});
