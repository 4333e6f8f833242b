/**
 * Customer operations run by n8n-core's engine against the simulator: real HTTP, real signatures.
 * Validation failures must name field, item and value, and reach nothing on the wire.
 */
import type { IDataObject } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { useSimulator } from '../helpers/suite';

// Two orders per page, so listing five orders takes three pages.
const suite = useSimulator({ pageSize: 2, parameters: { resource: 'customer' } });
const { run } = suite;
let storeId: string;
beforeAll(() => (storeId = suite.simulator.state.stores[0].id));

const recurring = (overrides: IDataObject = {}): IDataObject => ({
	operation: 'createRecurring',
	storeId,
	email: 'aisyah@example.com',
	currency: 'MYR',
	amount: 1990,
	recurringInterval: 'WEEKLY',
	recurringTarget: '1',
	redirectUrl: 'https://shop.example.com/card-saved',
	notifyUrl: 'https://n8n.example.com/webhook/abc/notify',
	...overrides,
});

const tokenized = (overrides: IDataObject = {}): IDataObject => ({
	operation: 'createTokenized',
	storeId,
	email: 'wei.ling@example.com',
	redirectUrl: 'https://shop.example.com/card-saved',
	notifyUrl: 'https://n8n.example.com/webhook/abc/notify',
	...overrides,
});

/** A customer that has bound a card (RM only knows customers from then on). */
const boundCustomer = () => suite.boundCustomer('wei.ling@example.com');

function requestsTo(method: string, pathPart: string): number {
	return suite.simulator.apiLog().filter((entry) => entry.method === method && entry.path.includes(pathPart)).length;
}

describe('Create Recurring', () => {
	it('creates the customer with its schedule, sends the charge day as a string, and outputs the card binding URL', async () => {
		const { outputs, error } = await run(
			recurring({
				additionalFields: {
					name: 'Aisyah Rahman',
					countryCode: '60',
					phoneNumber: '123456789',
					productName: 'Coffee club',
					productDescription: 'One bag a week',
					recurringRepetition: 12,
				},
			}),
		);
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		const customer = outputs[0][0].json;
		expect(customer).toMatchObject({
			email: 'aisyah@example.com',
			name: 'Aisyah Rahman',
			storeId,
			isActive: false,
			paymentUrl: expect.stringContaining('/sim/bind/'),
			recurringPayment: {
				amount: 1990,
				currency: 'MYR',
				recurringInterval: 'WEEKLY',
				recurringTarget: '1',
				recurringRepetition: 12,
			},
		});
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
		const stored = suite.simulator.state.customers.get(customer.id as string)!;
		expect(typeof stored.recurringPayment!.recurringTarget).toBe('string');
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({
			method: 'POST',
			path: '/v3/recurring-payment',
			signatureValid: true,
		});
	});

	it('sends a charge day that an expression gives as a number as a string ("-1" = last day of the month)', async () => {
		const { outputs, error } = await run(
			recurring({ recurringInterval: '={{ $json.interval }}', recurringTarget: '={{ $json.day }}' }),
			[{ interval: 'MONTHLY', day: -1 }],
		);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.recurringPayment).toMatchObject({ recurringInterval: 'MONTHLY', recurringTarget: '-1' });
		const stored = suite.simulator.state.customers.get(outputs[0][0].json.id as string)!;
		expect(stored.recurringPayment!.recurringTarget).toBe('-1');
	});

	it('sends no charge day for DAILY, even when one was left in the parameters ("Create Recurring Customer": optional)', async () => {
		// A workflow switched from WEEKLY to DAILY may still hold the old value: it must not go out.
		const { outputs, error } = await run(recurring({ recurringInterval: 'DAILY', recurringTarget: 'every day' }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.recurringPayment).toMatchObject({ recurringInterval: 'DAILY' });
		const stored = suite.simulator.state.customers.get(outputs[0][0].json.id as string)!;
		expect(stored.recurringPayment).not.toHaveProperty('recurringTarget');
		const bare = await run(recurring({ recurringInterval: 'DAILY', recurringTarget: undefined }));
		expect(bare.error).toBeUndefined();
		expect(suite.simulator.state.customers.get(bare.outputs[0][0].json.id as string)!.recurringPayment).not.toHaveProperty(
			'recurringTarget',
		);
	});

	it('shows the charge day only for WEEKLY (Sunday…Saturday) and MONTHLY (1st…28th, last day), as pickers', () => {
		const chargeDays = new RevenueMonster().description.properties.filter((property) => property.name === 'recurringTarget');
		const byInterval = Object.fromEntries(
			chargeDays.map((property) => [
				(property.displayOptions?.show?.recurringInterval as string[]).join(','),
				property,
			]),
		);
		expect(Object.keys(byInterval).sort()).toEqual(['MONTHLY', 'WEEKLY']);
		const values = (interval: string) =>
			((byInterval[interval].options ?? []) as Array<{ name: string; value: string }>).map((option) => [option.name, option.value]);
		expect(byInterval.WEEKLY.type).toBe('options');
		expect(values('WEEKLY')).toEqual([
			['Sunday', '0'],
			['Monday', '1'],
			['Tuesday', '2'],
			['Wednesday', '3'],
			['Thursday', '4'],
			['Friday', '5'],
			['Saturday', '6'],
		]);
		expect(values('MONTHLY')).toHaveLength(29);
		expect(values('MONTHLY').slice(0, 3)).toEqual([
			['1st', '1'],
			['2nd', '2'],
			['3rd', '3'],
		]);
		expect(values('MONTHLY').slice(-2)).toEqual([
			['28th', '28'],
			['Last Day of the Month', '-1'],
		]);
		expect(values('MONTHLY').map(([name]) => name)).toContain('21st');
	});

	it('still refuses a charge day outside the rules for WEEKLY, before sending', async () => {
		const before = suite.simulator.apiLog().length;
		const { error } = await run(recurring({ recurringInterval: 'WEEKLY', recurringTarget: '7' }));
		expect(error?.message).toMatch(/^Invalid Charge Day in item 0: "7" is not a day of the week/);
		expect(suite.simulator.apiLog().length).toBe(before);
	});
});

describe('Create Tokenized', () => {
	it('creates a customer you charge yourself, inactive until the card is bound', async () => {
		const { outputs, error } = await run(tokenized({ additionalFields: { name: 'Wei Ling' } }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({
			email: 'wei.ling@example.com',
			name: 'Wei Ling',
			isActive: false,
			paymentUrl: expect.stringContaining('/sim/bind/'),
		});
		expect(outputs[0][0].json.recurringPayment).toBeUndefined();
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({
			method: 'POST',
			path: '/v3/tokenized-payment',
			signatureValid: true,
		});
	});

	it("surfaces Revenue Monster's error code and message (unknown store)", async () => {
		const { error, outputs } = await run(tokenized({ storeId: '99999' }));
		expect(outputs).toEqual([]);
		expect(error?.message).toBe('Revenue Monster: store not found [STORE_NOT_FOUND]');
		expect(error?.description).toContain('No store with this ID belongs to the merchant');
	});
});

describe('Get', () => {
	it('gets a customer once the card is bound, with the masked card', async () => {
		const id = await boundCustomer();
		const { outputs, error } = await run({ operation: 'get', customerId: id });
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ id, isActive: true, label: '411111******1111' });
	});

	it('reports a customer Revenue Monster does not know', async () => {
		const { error } = await run({ operation: 'get', customerId: 'no-such-customer' });
		expect(error?.message).toBe('Revenue Monster: customer not found [CUSTOMER_NOT_FOUND]');
	});
});

describe('Toggle Status', () => {
	it('flips the customer between active and inactive', async () => {
		const id = await boundCustomer();
		const first = await run({ operation: 'toggleStatus', customerId: id });
		expect(first.error).toBeUndefined();
		expect(first.outputs[0][0].json).toMatchObject({ id, isActive: false });
		const second = await run({ operation: 'toggleStatus', customerId: id });
		expect(second.outputs[0][0].json).toMatchObject({ id, isActive: true });
		expect(suite.simulator.state.customers.get(id)!.isActive).toBe(true);
	});

	it('with a wanted status, flips only when needed, so running twice does not switch back', async () => {
		const id = await boundCustomer();
		const puts = requestsTo('PUT', `/v3/customer/${id}/status`);
		const parameters = { operation: 'toggleStatus', customerId: id, additionalFields: { wantedStatus: 'inactive' } };

		const first = await run(parameters);
		expect(first.outputs[0][0].json).toMatchObject({ id, isActive: false });
		const second = await run(parameters);
		expect(second.error).toBeUndefined();
		expect(second.outputs[0][0].json).toMatchObject({ id, isActive: false });

		expect(requestsTo('PUT', `/v3/customer/${id}/status`)).toBe(puts + 1);
		expect(suite.simulator.state.customers.get(id)!.isActive).toBe(false);
	});
});

describe('Get Orders', () => {
	let customerId: string;
	let chargedTransactions: string[];

	beforeAll(async () => {
		customerId = await boundCustomer();
		// Five real charges, one per input item.
		const amounts = [1000, 1100, 1200, 1300, 1400];
		const charges = await run(
			{ resource: 'order', operation: 'create', customerId, currency: 'MYR', amount: '={{ $json.amount }}' },
			amounts.map((amount) => ({ amount })),
		);
		expect(charges.error).toBeUndefined();
		chargedTransactions = charges.outputs[0].map((item) => item.json.transactionId as string);
		expect(chargedTransactions).toHaveLength(5);
	});

	it('returns every order, one item each, following the cursor across pages', async () => {
		const before = requestsTo('GET', `/v3/customer/${customerId}/orders`);
		const { outputs, error } = await run({ operation: 'getOrders', customerId, returnAll: true });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.transactionId)).toEqual(chargedTransactions);
		expect(outputs[0].map((item) => item.json.amount)).toEqual([1000, 1100, 1200, 1300, 1400]);
		expect(outputs[0].every((item) => item.json.status === 'SUCCESS')).toBe(true);
		// 2 + 2 + 1 orders: three pages.
		expect(requestsTo('GET', `/v3/customer/${customerId}/orders`) - before).toBe(3);
	});

	it('stops at the limit, reading only the pages it needs', async () => {
		const before = requestsTo('GET', `/v3/customer/${customerId}/orders`);
		const { outputs, error } = await run({ operation: 'getOrders', customerId, returnAll: false, limit: 3 });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.transactionId)).toEqual(chargedTransactions.slice(0, 3));
		expect(requestsTo('GET', `/v3/customer/${customerId}/orders`) - before).toBe(2);
	});

	it('pairs each order with the input item that asked for it', async () => {
		const other = await boundCustomer();
		const { outputs, error } = await run({ operation: 'getOrders', customerId: '={{ $json.id }}', returnAll: true }, [
			{ id: other },
			{ id: customerId },
		]);
		expect(error).toBeUndefined();
		// The other customer has no orders: all five come from item 1.
		expect(outputs[0]).toHaveLength(5);
		expect(outputs[0].every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
	});
});

describe('validation before any request', () => {
	// Item 0 is valid, item 1 carries the bad value: the error must name item 1, and only item 0
	// may reach the simulator.
	const cases: Array<[string, IDataObject, RegExp]> = [
		['a decimal amount', { amount: 12.5 }, /^Invalid Amount in item 1: 12\.5 is not a whole number of cents/],
		[
			'a negative amount',
			{ amount: -500 },
			/^Invalid Amount in item 1: -500 is below Revenue Monster's minimum of 10 cents/,
		],
		[
			'a negative amount as text',
			{ amount: '-500' },
			/^Invalid Amount in item 1: "-500" is not a whole number of cents/,
		],
		[
			'an amount with a currency prefix',
			{ amount: 'RM10' },
			/^Invalid Amount in item 1: "RM10" is not a whole number of cents/,
		],
		[
			'an amount below 10 cents',
			{ amount: 9 },
			/^Invalid Amount in item 1: 9 is below Revenue Monster's minimum of 10 cents/,
		],
		[
			'a weekly charge day above 6',
			{ interval: 'WEEKLY', day: '7' },
			/^Invalid Charge Day in item 1: "7" is not a day of the week for WEEKLY/,
		],
		[
			'a weekly charge day that is a name',
			{ interval: 'WEEKLY', day: 'monday' },
			/^Invalid Charge Day in item 1: "monday" is not a day of the week/,
		],
		[
			'a monthly charge day of 29',
			{ interval: 'MONTHLY', day: '29' },
			/^Invalid Charge Day in item 1: "29" is not a day of the month for MONTHLY/,
		],
		[
			'a monthly charge day of -2',
			{ interval: 'MONTHLY', day: -2 },
			/^Invalid Charge Day in item 1: -2 is not a day of the month/,
		],
		[
			'an unknown interval',
			{ interval: 'YEARLY' },
			/^Invalid Interval in item 1: "YEARLY" is not one of DAILY, WEEKLY, MONTHLY/,
		],
		[
			'a relative redirect URL',
			{ redirectUrl: 'shop.example.com/back' },
			/^Invalid Redirect URL in item 1: "shop\.example\.com\/back" is not an absolute http\(s\) URL/,
		],
		[
			'an ftp notify URL',
			{ notifyUrl: 'ftp://example.com/notify' },
			/^Invalid Notify URL in item 1: "ftp:\/\/example\.com\/notify" is not an absolute http\(s\) URL/,
		],
		['an email without a domain', { email: 'aisyah@' }, /^Invalid Email in item 1: "aisyah@" is not an email address/],
		[
			'a fractional number of charges',
			{ repetition: 1.5 },
			/^Invalid Number of Charges in item 1: 1\.5 is not a whole number/,
		],
		[
			'a currency other than MYR',
			{ currency: 'USD' },
			/^Invalid Currency in item 1: "USD" is not a supported currency/,
		],
	];

	const good = {
		amount: 1000,
		interval: 'MONTHLY',
		day: '15',
		redirectUrl: 'https://shop.example.com/back',
		notifyUrl: 'https://n8n.example.com/notify',
		email: 'good@example.com',
		repetition: 6,
		currency: 'MYR',
	};

	const fromItems = () =>
		recurring({
			email: '={{ $json.email }}',
			currency: '={{ $json.currency }}',
			amount: '={{ $json.amount }}',
			recurringInterval: '={{ $json.interval }}',
			recurringTarget: '={{ $json.day }}',
			redirectUrl: '={{ $json.redirectUrl }}',
			notifyUrl: '={{ $json.notifyUrl }}',
			additionalFields: { recurringRepetition: '={{ $json.repetition }}' },
		});

	it.each(cases)('rejects %s, naming field, item and value, and sends nothing for it', async (_name, bad, message) => {
		const creates = requestsTo('POST', '/v3/recurring-payment');
		const customers = suite.simulator.state.customers.size;
		const { outputs, error } = await run(fromItems(), [good, { ...good, ...bad }], 'continueErrorOutput');
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(outputs[1][0].json.error).toMatch(message);
		expect(requestsTo('POST', '/v3/recurring-payment')).toBe(creates + 1);
		expect(suite.simulator.state.customers.size).toBe(customers + 1);
	});

	it('without continue-on-fail, stops the node with the error and sends nothing for the bad item', async () => {
		const logged = suite.simulator.log.length;
		const { error, outputs } = await run(recurring({ amount: 12.5 }));
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(
			/^Invalid Amount in item 0: 12\.5 is not a whole number of cents \(amounts are whole cents: RM 12\.50 is 1250\)/,
		);
		expect(error?.description).toBe('Nothing was sent to Revenue Monster for item 0.');
		expect(suite.simulator.log.length).toBe(logged);
	});

	it('needs a customer ID before any request', async () => {
		const logged = suite.simulator.log.length;
		const { error } = await run({ operation: 'get', customerId: '  ' });
		expect(error?.message).toMatch(/^Invalid Customer ID in item 0: "  " is required/);
		expect(suite.simulator.log.length).toBe(logged);
	});
});

describe('public names (contract.md)', () => {
	const properties = new RevenueMonster().description.properties;

	function fieldsOf(operation: string): { top: string[]; additional: string[] } {
		const shown = properties.filter(
			(property) =>
				property.displayOptions?.show?.resource?.includes('customer') &&
				property.displayOptions?.show?.operation?.includes(operation),
		);
		const collection = shown.find((property) => property.name === 'additionalFields');
		return {
			// Fields shown for different choices may share a name (the charge day pickers): list it once.
			top: [...new Set(shown.map((property) => property.name))].filter((name) => name !== 'additionalFields'),
			additional: ((collection?.options ?? []) as Array<{ name: string }>).map((option) => option.name).sort(),
		};
	}

	it('has exactly the operations of the contract', () => {
		const operation = properties.find(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('customer'),
		);
		expect(((operation?.options ?? []) as Array<{ value: string }>).map((option) => option.value).sort()).toEqual([
			'createRecurring',
			'createTokenized',
			'get',
			'getOrders',
			'toggleStatus',
		]);
	});

	it('names the fields as the contract does', () => {
		const details = ['countryCode', 'name', 'phoneNumber', 'productDescription', 'productName'];
		expect(fieldsOf('createRecurring')).toEqual({
			top: [
				'storeId',
				'email',
				'currency',
				'amount',
				'recurringInterval',
				'recurringTarget',
				'redirectUrl',
				'notifyUrl',
			],
			additional: [...details, 'recurringRepetition'].sort(),
		});
		expect(fieldsOf('createTokenized')).toEqual({
			top: ['storeId', 'email', 'redirectUrl', 'notifyUrl'],
			additional: details,
		});
		expect(fieldsOf('get')).toEqual({ top: ['customerId'], additional: [] });
		expect(fieldsOf('toggleStatus')).toEqual({ top: ['customerId'], additional: ['wantedStatus'] });
		expect(fieldsOf('getOrders')).toEqual({ top: ['customerId', 'returnAll', 'limit'], additional: [] });
	});
});
