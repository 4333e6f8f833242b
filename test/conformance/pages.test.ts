/**
 * The conformance table (pages.ts) against what really goes over the wire:
 * 1. the node, run in n8n's engine with a representative input per endpoint, sends bodies that match
 *    every row of the page (name, nesting, JSON type, required, enum, maximum length), nothing the page
 *    does not list (unless named as a deviation with its source), the page's example values where it
 *    gives them, and carries the page's response fields in its output;
 * 2. each example body printed on the pages is accepted by the simulator's validation;
 * 3. controls: the bodies the node sent before these fixes are reported, so the table can fail.
 */
import type { IDataObject } from 'n8n-workflow';

import { canonicalJson, signRequest } from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey } from '../../nodes/RevenueMonster/transport/keys';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import type { Json } from '../../simulator/state';
import { findingsFor, PAGES, type PageEndpoint } from './pages';
import { seedSavedCard } from '../../support/seed';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();
let storeId: string;
let sequence = 0;
const sent: Array<{ method: string; path: string; body: Json | undefined }> = [];

beforeAll(() => {
	suite.simulator.onApiRequest = (request) => sent.push(request);
	storeId = suite.simulator.state.stores[0].id;
});

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++sequence}`;

/** Runs the node once and returns the body it sent to `path` and its output JSON. */
async function nodeSends(parameters: IDataObject, path: RegExp, items: IDataObject[] = [{}]) {
	const before = sent.length;
	const { outputs, error } = await suite.run(parameters, items);
	expect(error).toBeUndefined();
	const request = sent.slice(before).find((entry) => path.test(entry.path));
	expect(request).toBeDefined();
	return { body: request!.body as Record<string, unknown>, output: outputs[0][0].json };
}

async function checkout(extra: IDataObject = {}): Promise<string> {
	const { output } = await nodeSends(
		{
			resource: 'checkout',
			operation: 'create',
			storeId,
			type: 'WEB_PAYMENT',
			orderId: unique('C'),
			orderTitle: 'Invoice 42',
			currency: 'MYR',
			amount: 1250,
			redirectUrl: 'https://shop.example.com/done',
			notifyUrl: 'https://n8n.example.com/webhook/x/notify',
			additionalFields: extra,
		},
		/^\/v3\/payment\/online$/,
	);
	return output.checkoutId as string;
}

function savedToken(userId: string): string {
	return seedSavedCard(suite.simulator, userId);
}

const tokenizedCustomer = (): IDataObject => ({
	resource: 'customer',
	operation: 'createTokenized',
	storeId,
	email: 'wei@example.com',
	redirectUrl: 'https://shop.example.com/card-saved',
	notifyUrl: 'https://n8n.example.com/webhook/x/notify',
});

const expectConforms = (endpoint: PageEndpoint, body: Record<string, unknown>, output?: IDataObject) => {
	expect({ page: endpoint.page, findings: findingsFor(endpoint, body, { asNode: true, defaults: true }) }).toEqual({
		page: endpoint.page,
		findings: [],
	});
	for (const field of endpoint.answer ?? []) expect(output).toHaveProperty(field);
};

const pay = (checkoutId: string, mode: string, extra: IDataObject = {}): IDataObject => ({
	resource: 'checkout',
	operation: 'pay',
	checkoutId,
	mode,
	...extra,
});

describe('the node sends what the pages list (one check per page row)', () => {
	const recurring = (extra: IDataObject): IDataObject => ({
		resource: 'customer',
		operation: 'createRecurring',
		storeId,
		email: 'aisyah@example.com',
		currency: 'MYR',
		amount: 1990,
		redirectUrl: 'https://shop.example.com/card-saved',
		notifyUrl: 'https://n8n.example.com/webhook/x/notify',
		additionalFields: { name: 'Aisyah', countryCode: '60', phoneNumber: '123456789', productName: 'Club', productDescription: 'Weekly', recurringRepetition: 3 },
		...extra,
	});

	it.each([
		['WEEKLY', { recurringInterval: 'WEEKLY', recurringTarget: '3' }],
		['MONTHLY', { recurringInterval: 'MONTHLY', recurringTarget: '-1' }],
		['DAILY', { recurringInterval: 'DAILY', recurringTarget: '1' }],
	])('Create Recurring Customer (%s)', async (_interval, extra) => {
		const { body } = await nodeSends(recurring(extra), /^\/v3\/recurring-payment$/);
		expectConforms(PAGES.createRecurringCustomer, body);
	});

	it('Create Tokenized Customer', async () => {
		const { body } = await nodeSends(
			{
				...tokenizedCustomer(),
				additionalFields: { name: 'Wei', countryCode: '60', phoneNumber: '123456789', productName: 'Card', productDescription: 'Bind' },
			},
			/^\/v3\/tokenized-payment$/,
		);
		expectConforms(PAGES.createTokenizedCustomer, body);
	});

	it('Create Customer Order', async () => {
		const created = await nodeSends(
			tokenizedCustomer(),
			/^\/v3\/tokenized-payment$/,
		);
		suite.simulator.bindCard(created.output.id as string);
		const { body } = await nodeSends(
			{
				resource: 'order',
				operation: 'create',
				customerId: created.output.id,
				currency: 'MYR',
				amount: 500,
				route: 'customerOrder',
				additionalFields: { title: 'Coffee', description: 'Bag of beans' },
			},
			/\/order$/,
		);
		expectConforms(PAGES.createCustomerOrder, body);
	});

	it('Online Payment: Hosted Payment Checkout (every optional field)', async () => {
		const { body, output } = await nodeSends(
			{
				resource: 'checkout',
				operation: 'create',
				storeId,
				type: 'WEB_PAYMENT',
				orderId: unique('H'),
				orderTitle: 'Invoice 42',
				currency: 'MYR',
				amount: 1250,
				redirectUrl: 'https://shop.example.com/done',
				notifyUrl: 'https://n8n.example.com/webhook/x/notify',
				additionalFields: {
					layoutVersion: 'v4',
					methods: ['TNG_MY', 'FPX_MY'],
					orderDetail: 'Two bags',
					orderAdditionalData: 'ref-1',
					customerUserId: 'u-1',
					customerEmail: 'a@example.com',
					customerCountryCode: '60',
					customerPhoneNumber: '123456789',
				},
			},
			/^\/v3\/payment\/online$/,
		);
		expectConforms(PAGES.hostedCheckout, body, output);
	});

	it.each([
		['payUrl', 'url', { method: 'TNG_MY' }],
		['payQrCode', 'qrcode', { method: 'MAYBANK_MY' }],
		['payDuitNowQr', 'duitnowQrcode', {}],
		['payMiniProgram', 'miniProgram', { method: 'WECHATPAY_CN', wechatUserId: 'oFGqK6w1kZyjDTtNAcOXBDHAa8CY' }],
		['payFpx', 'fpx', { bankCode: 'TEST0021' }],
		['payGoBiz', 'gobiz', {}],
	] as const)('Online Payment: Direct Payment Checkout (%s)', async (page, mode, extra) => {
		const checkoutId = await checkout();
		const { body, output } = await nodeSends(pay(checkoutId, mode, extra), /^\/v3\/payment\/online\/checkout$/);
		expectConforms(PAGES[page], body, output);
	});

	it('Online Payment: GoBiz w/ Card (card fields; the output is the url)', async () => {
		const checkoutId = await checkout({ customerUserId: unique('u') });
		const { body, output } = await nodeSends(
			pay(checkoutId, 'gobizCard', {
				cardName: 'TAN AH KOW',
				cardNumber: '4111 1111 1111 1111',
				cardCvc: '737',
				cardExpiryMonth: 12,
				cardExpiryYear: 2039,
				saveCard: true,
			}),
			/^\/v3\/payment\/online\/checkout$/,
		);
		expectConforms(PAGES.payGoBizCard, body, output);
		expect(output).toMatchObject({ paid: false });
	});

	it('Online Payment: GoBiz w/ Token (isSave as the example, by default)', async () => {
		const userId = unique('u');
		const token = savedToken(userId);
		const checkoutId = await checkout({ customerUserId: userId });
		const { body } = await nodeSends(pay(checkoutId, 'gobizToken', { cardToken: token }), /^\/v3\/payment\/online\/checkout$/);
		expectConforms(PAGES.payGoBizToken, body);
		expect(suite.simulator.state.cardTokens.get(userId)!.map((entry) => entry.token)).toEqual([token]);
	});

	it('Delete Customer Token', async () => {
		const userId = unique('u');
		const token = savedToken(userId);
		const { body } = await nodeSends({ resource: 'token', operation: 'delete', customerUserId: userId, token }, /^\/v3\/payment\/tokens\//);
		expectConforms(PAGES.deleteToken, body);
	});

	it('Refund', async () => {
		const checkoutId = await checkout();
		const transaction = suite.simulator.payCheckout(checkoutId, 'TNG_MY') as { transactionId: string };
		const { body } = await nodeSends(
			{
				resource: 'transaction',
				operation: 'refund',
				transactionId: transaction.transactionId,
				refundType: 'PARTIAL',
				currency: 'MYR',
				amount: 100,
				reason: 'Wrong item',
			},
			/^\/v3\/payment\/refund$/,
		);
		expectConforms(PAGES.refund, body);
	});
});

/** A signed call with any body, as a client following the page would send it. */
async function pageClientSends(method: 'POST' | 'DELETE', path: string, body: unknown): Promise<Record<string, unknown>> {
	const basic = Buffer.from(`${SIMULATOR_KEYS.clientId}:${SIMULATOR_KEYS.clientSecret}`).toString('base64');
	const token = (await (
		await fetch(`${suite.simulator.url}/v1/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ grantType: 'client_credentials' }),
		})
	).json()) as { accessToken: string };
	const url = `${suite.simulator.url}${path}`;
	const text = canonicalJson(body);
	const { headers } = signRequest(parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey), { method, url, body: text });
	const response = await fetch(url, {
		method,
		headers: { ...headers, Authorization: `Bearer ${token.accessToken}`, 'Content-Type': 'application/json' },
		body: text,
	});
	return (await response.json()) as Record<string, unknown>;
}

describe("the pages' example bodies pass the simulator's validation", () => {
	const examples = Object.entries(PAGES).flatMap(([name, endpoint]) =>
		(endpoint.examples ?? []).map((example, index) => [`${endpoint.page} #${index + 1}`, name, example] as const),
	);

	it.each(examples)('%s', async (_label, name, example) => {
		const endpoint = PAGES[name];
		const userId = unique('u');
		const token = savedToken(userId);
		const checkoutId = await checkout({ customerUserId: userId });
		const fill = (value: unknown): unknown => {
			if (typeof value === 'string') {
				return value
					.replace('{checkoutId}', checkoutId)
					.replace('{storeId}', storeId)
					.replace('{orderId}', unique('E'))
					.replace('{token}', token);
			}
			if (Array.isArray(value)) return value.map(fill);
			if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fill(entry)]));
			return value;
		};
		const body = fill(example) as Record<string, unknown>;
		expect(findingsFor(endpoint, body, { asNode: false })).toEqual([]);
		const answer = await pageClientSends(endpoint.method, endpoint.path.replace('{userId}', userId), body);
		expect(answer).toMatchObject({ code: 'SUCCESS' });
		expect(answer).not.toHaveProperty('error');
	});

	it('Create Recurring Customer: amount as the 2022 page\'s String and as an integer, DAILY without recurringTarget', async () => {
		const base = {
			storeId,
			email: 'dev@revenuemonster.my',
			currency: 'MYR',
			redirectUrl: 'https://google.com',
			notifyUrl: 'https://google.com',
			recurringInterval: 'DAILY',
		};
		for (const amount of ['100', 100]) {
			const answer = await pageClientSends('POST', '/v3/recurring-payment', { ...base, amount });
			expect(answer).toMatchObject({ code: 'SUCCESS', item: { recurringPayment: { amount: 100, recurringInterval: 'DAILY' } } });
			expect((answer.item as Json).recurringPayment).not.toHaveProperty('recurringTarget');
		}
	});
});

describe('controls: the table reports what the node used to send', () => {
	it('Saved Card with isSave: false by default (item 1)', () => {
		const before = { checkoutId: '1', type: 'URL', method: 'GOBIZ_MY', gobiz: { type: 'DIRECT_PAYMENT' }, card: { isToken: true, isSave: false, no: 'tk' } };
		expect(findingsFor(PAGES.payGoBizToken, before, { asNode: true, defaults: true })).toEqual([
			"card.isSave: false by default, the page's example sends true",
		]);
	});

	it('a charge day sent for DAILY (item 3)', () => {
		const before = {
			storeId: 's',
			email: 'a@b.co',
			currency: 'MYR',
			amount: 100,
			redirectUrl: 'https://x.example',
			notifyUrl: 'https://x.example',
			recurringInterval: 'DAILY',
			recurringTarget: 'every day',
		};
		expect(findingsFor(PAGES.createRecurringCustomer, before, { asNode: true })).toEqual([
			'recurringTarget: sent with recurringInterval "DAILY", where it has no meaning',
		]);
	});

	it('a DuitNow QR without its method, a field the page does not list, a wrong type, a text too long', () => {
		expect(findingsFor(PAGES.payDuitNowQr, { checkoutId: '1', type: 'DUITNOW_QRCODE', method: '' }, { asNode: true })).toEqual([
			'method: "" is not one of ["MAYBANK_MY"]',
		]);
		expect(findingsFor(PAGES.payUrl, { checkoutId: '1', type: 'URL', method: 'TNG_MY', extra: 1 }, { asNode: true })).toEqual([
			'extra: sent, but the page does not list it',
		]);
		expect(
			findingsFor(
				PAGES.hostedCheckout,
				{
					storeId: 's',
					redirectUrl: 'r',
					notifyUrl: 'n',
					layoutVersion: 'v3',
					type: 'WEB_PAYMENT',
					order: { id: 'x'.repeat(25), title: 't', currencyType: 'MYR', amount: '100' },
				},
				{ asNode: true },
			),
		).toEqual(['order.id: 25 characters, the page allows 24', 'order.amount: string, the page says integer']);
	});

	it('Card Details answered with a transaction instead of the url (item 2)', async () => {
		// The page's answer for "GoBiz w/ Card" is {type, url}: an output without url fails the check.
		expect(() => expectConforms(PAGES.payGoBizCard, { ...PAGES.payGoBizCard.examples![0], checkoutId: '1' }, { type: 'URL', transaction: {} })).toThrow();
	});
});
