/**
 * Issue #22 part 4: the shapes of Revenue Monster's answers (responses.ts), seed pages first, checked on
 * what the simulator answers a client that follows the pages (signed, over real HTTP) and on what the node
 * outputs for the charge: container (`item` object / array / map, `items` + `meta.cursor`), the JSON type of
 * every field, enums and RFC 3339 times. Controls show that the checks report a wrong container, a
 * transaction-shaped order, a money string and a missing cursor.
 */
import type { IDataObject } from 'n8n-workflow';

import { canonicalJson, signRequest } from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey } from '../../nodes/RevenueMonster/transport/keys';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import { DEFAULT_ORDERS_LIST } from '../../simulator/orders-list';
import { seedSavedCard } from '../../support/seed';
import { useSimulator } from '../helpers/suite';
import { RESPONSES, responseFindings, type ResponseShape } from './responses';

const suite = useSimulator();
let token = '';
const ids: Record<string, string> = {};

/** A signed call as a client following the pages sends it; RM's answer as JSON. */
async function client(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
	const url = `${suite.simulator.url}${path}`;
	const text = body === undefined ? undefined : canonicalJson(body);
	const { headers } = signRequest(parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey), { method, url, body: text });
	const response = await fetch(url, {
		method,
		headers: { ...headers, Authorization: `Bearer ${token}`, ...(text ? { 'Content-Type': 'application/json' } : {}) },
		body: text,
	});
	return (await response.json()) as Record<string, unknown>;
}

const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`);

beforeAll(async () => {
	const basic = Buffer.from(`${SIMULATOR_KEYS.clientId}:${SIMULATOR_KEYS.clientSecret}`).toString('base64');
	token = (
		(await (
			await fetch(`${suite.simulator.url}/v1/token`, {
				method: 'POST',
				headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ grantType: 'client_credentials' }),
			})
		).json()) as { accessToken: string }
	).accessToken;
	ids.customerId = await suite.boundCustomer('shapes@example.com');
	ids.storeId = suite.simulator.state.stores[0].id;
	ids.userId = 'shape-user-1';
	seedSavedCard(suite.simulator, ids.userId);
	const created = await client('POST', '/v3/payment/online', {
		storeId: ids.storeId,
		redirectUrl: 'https://shop.example.com/done',
		notifyUrl: 'https://n8n.example.com/webhook/x/notify',
		layoutVersion: 'v3',
		type: 'WEB_PAYMENT',
		method: [],
		order: { id: `SHAPE${Date.now()}`, title: 'Shapes', currencyType: 'MYR', amount: 100 },
	});
	ids.checkoutId = (created.item as IDataObject).checkoutId as string;
	const paid = suite.simulator.payCheckout(ids.checkoutId, 'TNG_MY') as { transactionId: string; order: { id: string } };
	ids.transactionId = paid.transactionId;
	ids.orderId = paid.order.id;
});

const charges = Object.entries(RESPONSES).filter(([, shape]) => shape.method === 'POST');
const reads = Object.entries(RESPONSES).filter(([, shape]) => shape.method !== 'POST');

describe('seed pages first: the charge at its three paths answers a RECURRING_PAYMENT Transaction', () => {
	it.each(charges.map(([name, shape]) => [`${shape.seed ?? shape.source}: ${shape.page}`, name, shape] as const))(
		'%s',
		async (_label, _name, shape: ResponseShape) => {
			const answer = await client('POST', fill(shape.path), { currency: 'MYR', amount: 1500, title: 'Plan' });
			expect(responseFindings(shape, answer)).toEqual([]);
		},
	);

	it.each([
		['S001', 'recurringAdhocOrder', RESPONSES.chargeS001],
		['S002', 'recurringCharge', RESPONSES.chargeS002],
		['default', 'customerOrder', RESPONSES.chargeCustomerOrder],
	] as const)('the node on route %s (%s) outputs that Transaction, typed as the page says', async (_seed, route, shape) => {
		const { outputs, error } = await suite.run({
			resource: 'order',
			operation: 'create',
			customerId: ids.customerId,
			currency: 'MYR',
			amount: 1700,
			route,
		});
		expect(error).toBeUndefined();
		expect(suite.simulator.apiLog().at(-1)?.path).toBe(fill(shape.path));
		expect(responseFindings(shape, { item: outputs[0][0].json, code: 'SUCCESS' })).toEqual([]);
	});
});

describe('doc-v2 pages: the GET (and toggle) answers have the shapes the pages show', () => {
	it.each(reads.map(([name, shape]) => [`${shape.method} ${shape.path} (${shape.page})`, name, shape] as const))(
		'%s',
		async (_label, _name, shape: ResponseShape) => {
			const answer = await client(shape.method, fill(shape.path));
			expect(responseFindings(shape, answer)).toEqual([]);
		},
	);

	it('Get Customer Orders, through the node (Customer → Get Orders): each output item is a flat order', async () => {
		const { outputs, error } = await suite.run({ resource: 'customer', operation: 'getOrders', customerId: ids.customerId, returnAll: true });
		expect(error).toBeUndefined();
		expect(outputs[0].length).toBeGreaterThan(0);
		expect(responseFindings(RESPONSES.getCustomerOrders, { items: outputs[0].map((item) => item.json), code: 'SUCCESS', meta: { cursor: '' } })).toEqual([]);
	});
});

describe('controls: the shape checks fail on what RM might send instead', () => {
	afterEach(() => (suite.simulator.state.ordersList = { ...DEFAULT_ORDERS_LIST }));

	it('the orders list under `item` (as the token list) is reported', async () => {
		suite.simulator.state.ordersList = { ...DEFAULT_ORDERS_LIST, container: 'item' };
		const answer = await client('GET', fill(RESPONSES.getCustomerOrders.path));
		expect(responseFindings(RESPONSES.getCustomerOrders, answer)).toEqual(['items: undefined, the page says array']);
	});

	it('transaction-shaped orders (nested order.amount, currencyType) are reported field by field', async () => {
		suite.simulator.state.ordersList = { ...DEFAULT_ORDERS_LIST, entry: 'transaction' };
		const answer = await client('GET', fill(RESPONSES.getCustomerOrders.path));
		const findings = responseFindings(RESPONSES.getCustomerOrders, answer);
		expect(findings).toEqual(expect.arrayContaining(['items[0].amount: undefined, the page says integer', 'items[0].currency: undefined, the page says string']));
	});

	it('a money string, a missing cursor, a non-RFC-3339 time and an unknown status are reported', () => {
		const order = { id: '1', status: 'PAID', amount: '15.00', currency: 'MYR', transactionId: 't', checkoutId: 'c', paymentUrl: '', recurringReference: 'r', createdAt: '2026-12-07 10:00' };
		expect(responseFindings(RESPONSES.getCustomerOrders, { items: [order], code: 'SUCCESS' })).toEqual([
			'meta.cursor: undefined, the page says string',
			'items[0].status: "PAID" is not one of ["SUCCESS","FAILED","IN_PROCESS"]',
			'items[0].amount: string, the page says integer',
			'items[0].createdAt: "2026-12-07 10:00", the page says an RFC 3339 time',
		]);
	});

	it('an FPX bank list as an array instead of a map, and a charge that is not RECURRING_PAYMENT', async () => {
		const banks = await client('GET', '/v3/payment/fpx-bank');
		expect(responseFindings(RESPONSES.getFpxBanks, { ...banks, item: Object.values(banks.item as object) })).not.toEqual([]);
		// A customer of its own: the toggle above left the shared one inactive.
		const customerId = await suite.boundCustomer('control-charge@example.com');
		const charge = await client('POST', `/v3/customer/${customerId}/order`, { currency: 'MYR', amount: 1500 });
		const asWeb = { ...charge, item: { ...(charge.item as object), type: 'WEB_PAYMENT' } };
		expect(responseFindings(RESPONSES.chargeCustomerOrder, asWeb)).toEqual(['item.type: "WEB_PAYMENT" is not one of ["RECURRING_PAYMENT"]']);
	});
});
