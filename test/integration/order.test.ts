/**
 * Order → Create charges a bound card through n8n-core's engine against the simulator. Paid only when
 * RM's transaction says SUCCESS; declined is an error naming the transaction; a lost answer is never
 * sent again.
 */
import type { IDataObject } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();
const { run, boundCustomer } = suite;
let customerId: string;
let secondCustomerId: string;

beforeAll(async () => {
	customerId = await boundCustomer();
	secondCustomerId = await boundCustomer();
});

const charge = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'create',
	customerId,
	currency: 'MYR',
	amount: 2500,
	...overrides,
});

const chargesMade = () => suite.simulator.state.customerOrders.length;

describe('routes', () => {
	it.each([
		['customerOrder', (id: string) => `/v3/customer/${id}/order`],
		['recurringAdhocOrder', (id: string) => `/v3/recurring-payment/${id}/order`],
		['recurringCharge', (id: string) => `/v3/recurring-payment/${id}/charge`],
	])('route %s charges the card at its own path and outputs a paid transaction', async (route, path) => {
		const { outputs, error } = await run(
			charge({ route, additionalFields: { title: 'March box', description: 'Coffee club, March' } }),
		);
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		const transaction = outputs[0][0].json;
		expect(transaction).toMatchObject({
			paid: true,
			status: 'SUCCESS',
			type: 'RECURRING_PAYMENT',
			currencyType: 'MYR',
			order: { title: 'March box', detail: 'Coffee club, March', amount: 2500 },
		});
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({
			method: 'POST',
			path: path(customerId),
			status: 200,
			signatureValid: true,
		});
		expect(suite.simulator.state.transactionById(transaction.transactionId as string)).toMatchObject({
			status: 'SUCCESS',
			finalAmount: 2500,
		});
	});

	it('uses the customer-order path when no route is set', async () => {
		const { error } = await run(charge());
		expect(error).toBeUndefined();
		expect(suite.simulator.apiLog().at(-1)?.path).toBe(`/v3/customer/${customerId}/order`);
	});
});

describe('declined and pending charges', () => {
	it('a declined card stops the node with an error naming the transaction and the reason', async () => {
		suite.simulator.addFault({ kind: 'decline', reason: 'Insufficient funds', path: '/order' });
		const { outputs, error } = await run(charge());
		expect(outputs).toEqual([]);
		const declined = suite.simulator.state.transactions.at(-1)!;
		expect(declined.status).toBe('FAILED');
		expect(error?.message).toBe(
			`Charge declined: transaction ${declined.transactionId} failed (Revenue Monster reason: Insufficient funds)`,
		);
		expect(error?.description).toContain('No money was taken');
	});

	it('with the error output, the declined item goes there and the other items are still charged', async () => {
		// Only the second customer's card declines; items 0 and 2 are the first customer's.
		suite.simulator.addFault({ kind: 'decline', path: `/v3/customer/${secondCustomerId}/order` });
		const before = chargesMade();
		const { outputs, error } = await run(
			charge({ customerId: '={{ $json.customer }}', amount: '={{ $json.amount }}' }),
			[
				{ customer: customerId, amount: 1000 },
				{ customer: secondCustomerId, amount: 2000 },
				{ customer: customerId, amount: 3000 },
			],
			'continueErrorOutput',
		);
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.pairedItem, item.json.paid, item.json.finalAmount])).toEqual([
			[{ item: 0 }, true, 1000],
			[{ item: 2 }, true, 3000],
		]);
		expect(outputs[1]).toHaveLength(1);
		const failed = outputs[1][0];
		expect(failed.pairedItem).toEqual({ item: 1 });
		const declined = suite.simulator.state.transactions.find(
			(transaction) => transaction.status === 'FAILED' && transaction.finalAmount === 2000,
		)!;
		// The error output item is the input item plus the error (naming the transaction and the reason) and
		// what to do next, for a follow-up; no item.error, which n8n would reduce to the message alone.
		expect(failed.json).toEqual({
			customer: secondCustomerId,
			amount: 2000,
			error: `Charge declined: transaction ${declined.transactionId} failed (Revenue Monster reason: 9010)`,
			message: expect.stringMatching(/No money was taken/),
		});
		expect(failed.error).toBeUndefined();
		// Three charges, each sent once.
		expect(chargesMade() - before).toBe(3);
	});

	it('an IN_PROCESS charge comes out with paid: false, never as paid', async () => {
		suite.simulator.addFault({ kind: 'inProcess', path: '/order' });
		const { outputs, error } = await run(charge());
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ status: 'IN_PROCESS', paid: false });
	});
});

describe('never charged twice', () => {
	it('a charge whose answer is lost is reported as outcome unknown and not sent again', async () => {
		suite.simulator.addFault({ kind: 'drop', path: '/order', method: 'POST' });
		const before = chargesMade();
		const { error } = await run(charge());
		expect(error?.message).toMatch(
			/^Outcome unknown: POST \/v3\/customer\/\d+\/order was sent but no answer came back/,
		);
		expect(error?.message).toContain('It was not retried, so nothing was charged twice.');
		expect(chargesMade() - before).toBe(1);
	});

	it('a 500 on a charge is not retried either', async () => {
		suite.simulator.addFault({ kind: 'serverError', path: '/order', method: 'POST', times: 3 });
		const posts = suite.simulator.apiLog().filter((entry) => entry.method === 'POST').length;
		const { error } = await run(charge());
		expect(error?.message).toMatch(/^Outcome unknown: .* Revenue Monster answered HTTP 500/);
		expect(suite.simulator.apiLog().filter((entry) => entry.method === 'POST').length).toBe(posts + 1);
	});
});

describe('errors from Revenue Monster', () => {
	it("surfaces RM's code and message (a customer RM does not know)", async () => {
		const { error } = await run(charge({ customerId: 'no-such-customer' }));
		expect(error?.message).toBe('Revenue Monster: customer not found [CUSTOMER_NOT_FOUND]');
	});

	it('surfaces an error RM returns inside HTTP 200', async () => {
		suite.simulator.addFault({ kind: 'errorIn200', path: '/order', code: 'SYSTEM_BUSY' });
		const { error } = await run(charge());
		expect(error?.message).toBe('Revenue Monster: system is busy, please try again later [SYSTEM_BUSY]');
	});
});

describe('validation before any request', () => {
	const cases: Array<[string, IDataObject, RegExp]> = [
		[
			'a decimal amount',
			{ amount: 12.5 },
			/^Invalid Amount in item 1: 12\.5 is not a whole number of cents \(amounts are whole cents: RM 12\.50 is 1250\)/,
		],
		[
			'a decimal amount as text',
			{ amount: '12.50' },
			/^Invalid Amount in item 1: "12\.50" is not a whole number of cents/,
		],
		[
			'a negative amount',
			{ amount: -1000 },
			/^Invalid Amount in item 1: -1000 is below Revenue Monster's minimum of 10 cents/,
		],
		[
			'an amount with a currency prefix',
			{ amount: 'RM10' },
			/^Invalid Amount in item 1: "RM10" is not a whole number of cents/,
		],
		[
			'an amount below 10 cents',
			{ amount: 5 },
			/^Invalid Amount in item 1: 5 is below Revenue Monster's minimum of 10 cents \(RM 0\.10\)/,
		],
		['an empty amount', { amount: '' }, /^Invalid Amount in item 1: "" is empty: type the amount in cents/],
		[
			'a currency other than MYR',
			{ currency: 'SGD' },
			/^Invalid Currency in item 1: "SGD" is not a supported currency/,
		],
		[
			'an unknown route',
			{ route: 'charge' },
			/^Invalid Route in item 1: "charge" is not one of customerOrder, recurringAdhocOrder, recurringCharge/,
		],
		[
			'a title over 32 characters',
			{ title: 'x'.repeat(33) },
			/^Invalid Title in item 1: "x{33}" is 33 characters long; Revenue Monster accepts at most 32/,
		],
		['an empty customer ID', { customer: '' }, /^Invalid Customer ID in item 1: "" is required/],
	];

	it.each(cases)(
		'rejects %s, naming field, item and value, and charges nothing for it',
		async (_name, bad, message) => {
			const good = { customer: customerId, amount: 1500, currency: 'MYR', route: 'customerOrder', title: 'Box' };
			const before = chargesMade();
			const { outputs, error } = await run(
				charge({
					customerId: '={{ $json.customer }}',
					amount: '={{ $json.amount }}',
					currency: '={{ $json.currency }}',
					route: '={{ $json.route }}',
					additionalFields: { title: '={{ $json.title }}' },
				}),
				[good, { ...good, ...bad }],
				'continueErrorOutput',
			);
			expect(error).toBeUndefined();
			expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
			expect(outputs[1][0].json.error).toMatch(message);
			expect(chargesMade() - before).toBe(1);
		},
	);

	it('without continue-on-fail, a bad amount stops the node before anything is sent', async () => {
		const logged = suite.simulator.log.length;
		const { outputs, error } = await run(charge({ amount: 'RM10' }));
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(/^Invalid Amount in item 0: "RM10" is not a whole number of cents/);
		expect(suite.simulator.log.length).toBe(logged);
	});
});

describe('public names (contract.md)', () => {
	it('has create with customerId, currency, amount, route, additional title, description, and options.timeout', () => {
		const shown = new RevenueMonster().description.properties.filter(
			(property) =>
				property.displayOptions?.show?.resource?.includes('order') &&
				property.displayOptions?.show?.operation?.includes('create'),
		);
		expect(shown.map((property) => property.name)).toEqual([
			'customerId',
			'currency',
			'amount',
			'route',
			'additionalFields',
			'options',
		]);
		const collection = shown.find((property) => property.name === 'additionalFields');
		expect(((collection?.options ?? []) as Array<{ name: string }>).map((option) => option.name).sort()).toEqual([
			'description',
			'title',
		]);
		const route = shown.find((property) => property.name === 'route');
		expect(route?.default).toBe('customerOrder');
		expect(((route?.options ?? []) as Array<{ value: string }>).map((option) => option.value)).toEqual([
			'customerOrder',
			'recurringAdhocOrder',
			'recurringCharge',
		]);
	});
});
