/**
 * Checkout → Create, Get and Pay (every mode) through n8n-core's engine against the strict simulator:
 * real HTTP, real signatures. Bad input is refused before anything is sent; card numbers and CVCs
 * never show up in outputs or errors.
 */
import { generateKeyPairSync } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials, type NodeRunResult } from '../../support/n8n';
import { seedSavedCard } from '../../support/seed';
import { errorKeepingNode } from '../helpers/error-keeping-node';
import { useSimulator } from '../helpers/suite';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TEST_CARD = '4111111111111111';
const TEST_CVC = '737';

const suite = useSimulator();
const { run } = suite;
let orderSequence = 0;

/** The node as n8n runs it, keeping the error instances it throws (the copy in the run drops some parts). */
const thrown: unknown[] = [];

const nextOrderId = () => `ORD-${Date.now().toString(36)}-${++orderSequence}`;

const createParameters = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'checkout',
	operation: 'create',
	storeId: suite.simulator.state.stores[0].id,
	type: 'WEB_PAYMENT',
	orderId: nextOrderId(),
	orderTitle: 'Invoice 42',
	currency: 'MYR',
	amount: 1250,
	redirectUrl: 'https://shop.example.com/thank-you',
	notifyUrl: 'https://n8n.example.com/webhook/abc/notify',
	...overrides,
});

async function createCheckout(overrides: IDataObject = {}): Promise<string> {
	const { outputs, error } = await run(createParameters(overrides));
	expect(error).toBeUndefined();
	return outputs[0][0].json.checkoutId as string;
}

const pay = (checkoutId: string, mode: string, overrides: IDataObject = {}): IDataObject => ({
	resource: 'checkout',
	operation: 'pay',
	checkoutId,
	mode,
	...overrides,
});

/** Card fields filled from the input item, as a workflow does it (e.g. from a form). */
const cardParameters = (overrides: IDataObject = {}): IDataObject => ({
	cardName: 'TAN AH KOW',
	cardNumber: '={{ $json.number }}',
	cardCvc: '={{ $json.cvc }}',
	cardExpiryMonth: 12,
	cardExpiryYear: 2039,
	...overrides,
});
const cardItem = (overrides: IDataObject = {}): IDataObject[] => [{ number: '4111 1111 1111 1111', cvc: TEST_CVC, ...overrides }];

/** Everything a user or the execution log can see of a run: output items and the error. */
function visible(result: NodeRunResult): string {
	return JSON.stringify(result.outputs) + JSON.stringify(result.error ?? null) + String(result.error?.message ?? '') + String(result.error?.description ?? '');
}

/** Whether `needle` is anywhere inside `value`, non-enumerable properties and causes included. */
function holds(value: unknown, needle: string, seen = new Set<unknown>()): boolean {
	if (typeof value === 'string') return value.includes(needle);
	if (Buffer.isBuffer(value)) return value.toString('utf8').includes(needle);
	if (!value || typeof value !== 'object' || seen.has(value)) return false;
	seen.add(value);
	return Object.getOwnPropertyNames(value).some((key) => {
		try {
			return holds((value as Record<string, unknown>)[key], needle, seen);
		} catch {
			return false;
		}
	});
}

function expectPng(item: INodeExecutionData, field: string): void {
	const binary = item.binary?.[field];
	expect(binary).toBeDefined();
	expect(binary!.mimeType).toBe('image/png');
	expect(binary!.fileName).toMatch(/\.png$/);
	const bytes = Buffer.from(binary!.data, 'base64');
	expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
	expect(bytes.length).toBeGreaterThan(PNG_SIGNATURE.length);
}

describe('create', () => {
	it('opens a hosted checkout and outputs its checkoutId and url', async () => {
		const parameters = createParameters();
		const { outputs, error } = await run(parameters);
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		const { checkoutId, url } = outputs[0][0].json as { checkoutId: string; url: string };
		expect(checkoutId).toMatch(/^\d+$/);
		expect(url).toBe(`${suite.simulator.url}/sim/checkout/${checkoutId}`);
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });

		const stored = suite.simulator.state.checkouts.get(checkoutId)!;
		expect(stored).toMatchObject({
			type: 'WEB_PAYMENT',
			method: [],
			order: { id: parameters.orderId, title: 'Invoice 42', amount: 1250, currencyType: 'MYR' },
			redirectUrl: 'https://shop.example.com/thank-you',
			notifyUrl: 'https://n8n.example.com/webhook/abc/notify',
			customer: {},
		});
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({ method: 'POST', path: '/v3/payment/online', status: 200, signatureValid: true });
	});

	it('Open One Method Directly: the url opens that method ("Individual Payment Checkout"), the page stays in checkoutUrl', async () => {
		const { outputs, error } = await run(createParameters({ additionalFields: { individualMethod: 'TNG_MY' } }));
		expect(error).toBeUndefined();
		const { checkoutId, url, checkoutUrl } = outputs[0][0].json as Record<string, string>;
		expect(checkoutUrl).toBe(`${suite.simulator.url}/sim/checkout/${checkoutId}`);
		expect(url).toBe(`${checkoutUrl}?method=TNG_MY`);
		const rewritten = await run(createParameters({ additionalFields: { individualMethod: 'GRABPAY_MY', methods: ['GRABPAY_MY', 'TNG_MY'] } }));
		expect(rewritten.error).toBeUndefined();
		expect(rewritten.outputs[0][0].json.url).toBe(`${rewritten.outputs[0][0].json.checkoutUrl}?method=GRABPAY_MY`);
	});

	it('Open One Method Directly refuses a method the checkout does not offer, before sending', async () => {
		const before = suite.simulator.apiLog().length;
		const { error } = await run(createParameters({ additionalFields: { individualMethod: 'BOOST_MY', methods: ['TNG_MY'] } }));
		expect(error?.message).toMatch(/^Invalid Open One Method Directly in item 0: "BOOST_MY" is not one of the Payment Methods/);
		expect(suite.simulator.apiLog().length).toBe(before);
	});

	it('sends the additional fields: methods, order detail and data, customer', async () => {
		const orderId = nextOrderId();
		const { outputs, error } = await run(
			createParameters({
				orderId,
				type: 'MOBILE_PAYMENT',
				additionalFields: {
					layoutVersion: 'v4',
					methods: ['TNG_MY', 'FPX_MY', 'WECHATPAY_CN'],
					orderDetail: 'Two boxes of coffee & a mug <gift>',
					orderAdditionalData: 'crm:8812',
					customerUserId: 'customer-42',
					customerEmail: 'payer@example.com',
					customerCountryCode: '60',
					customerPhoneNumber: '123456789',
				},
			}),
		);
		expect(error).toBeUndefined();
		const stored = suite.simulator.state.checkouts.get(outputs[0][0].json.checkoutId as string)!;
		expect(stored).toMatchObject({
			type: 'MOBILE_PAYMENT',
			method: ['TNG_MY', 'FPX_MY', 'WECHATPAY_CN'],
			order: { id: orderId, detail: 'Two boxes of coffee & a mug <gift>', additionalData: 'crm:8812' },
			customer: { userId: 'customer-42', email: 'payer@example.com', countryCode: '60', phoneNumber: '123456789' },
		});
	});

	it('surfaces RM refusing a reused order ID, with its code', async () => {
		const orderId = nextOrderId();
		await createCheckout({ orderId });
		const { error } = await run(createParameters({ orderId }));
		expect(error?.message).toMatch(/\[ORDER_ID_DUPLICATE\]/);
		expect(error?.context?.revenueMonsterCode).toBe('ORDER_ID_DUPLICATE');
	});
});

describe('create: bad input is refused before anything is sent', () => {
	const cases: Array<[string, IDataObject, RegExp]> = [
		['a decimal amount', { amount: 12.5 }, /^Invalid Amount in item 0: 12\.5 is not a whole number of cents/],
		['a negative amount', { amount: -5 }, /^Invalid Amount in item 0: -5 is below Revenue Monster's minimum of 10 cents/],
		['"RM10" as amount', { amount: 'RM10' }, /^Invalid Amount in item 0: "RM10" is not a whole number of cents/],
		['an amount below 10 cents', { amount: 5 }, /^Invalid Amount in item 0: 5 is below Revenue Monster's minimum of 10 cents/],
		[
			'an order ID over 24 characters',
			{ orderId: 'A'.repeat(25) },
			new RegExp(`^Invalid Order ID in item 0: "${'A'.repeat(25)}" is 25 characters long; Revenue Monster accepts at most 24`),
		],
		[
			'an order title over 32 characters',
			{ orderTitle: 'T'.repeat(33) },
			new RegExp(`^Invalid Order Title in item 0: "${'T'.repeat(33)}" is 33 characters long; Revenue Monster accepts at most 32`),
		],
		[
			'an order detail over 600 characters',
			{ additionalFields: { orderDetail: 'd'.repeat(601) } },
			new RegExp(`^Invalid Order Detail in item 0: "${'d'.repeat(601)}" is 601 characters long; Revenue Monster accepts at most 600`),
		],
		[
			'order additional data over 128 characters',
			{ additionalFields: { orderAdditionalData: 'x'.repeat(129) } },
			new RegExp(`^Invalid Order Additional Data in item 0: "${'x'.repeat(129)}" is 129 characters long; Revenue Monster accepts at most 128`),
		],
		['a relative redirect URL', { redirectUrl: '/thank-you' }, /^Invalid Redirect URL in item 0: "\/thank-you" is not an absolute http\(s\) URL/],
		['a notify URL that is not http(s)', { notifyUrl: 'ftp://n8n.example.com/notify' }, /^Invalid Notify URL in item 0: "ftp:\/\/n8n\.example\.com\/notify" is not an absolute http\(s\) URL/],
		['a customer email without @', { additionalFields: { customerEmail: 'payer.example.com' } }, /^Invalid Customer Email in item 0: "payer\.example\.com" is not an email address/],
		['a payment method without region', { additionalFields: { methods: ['TNG'] } }, /^Invalid Payment Methods in item 0: \["TNG"\] contains "TNG"/],
	];

	it.each(cases)('%s', async (_name, overrides, message) => {
		const logBefore = suite.simulator.log.length;
		const { error, outputs } = await run(createParameters(overrides));
		expect(error?.message).toMatch(message);
		expect(error?.description).toBe('Nothing was sent to Revenue Monster for item 0.');
		expect(outputs).toEqual([]);
		expect(suite.simulator.log.length).toBe(logBefore);
	});

	it('names the item: with "continue on fail" each bad item fails alone and the good ones are created', async () => {
		const logBefore = suite.simulator.apiLog().length;
		const { error, outputs } = await run(
			createParameters({ amount: '={{ $json.amount }}', orderId: '={{ $json.orderId }}' }),
			[
				{ amount: 1000, orderId: nextOrderId() },
				{ amount: 12.5, orderId: nextOrderId() },
				{ amount: -5, orderId: nextOrderId() },
				{ amount: 'RM10', orderId: nextOrderId() },
				{ amount: 9, orderId: nextOrderId() },
				{ amount: '2000', orderId: nextOrderId() },
			],
			'continueRegularOutput',
		);
		expect(error).toBeUndefined();
		const items = outputs[0];
		expect(items).toHaveLength(6);
		expect(items[0].json.checkoutId).toBeDefined();
		expect(items[1].json.error).toMatch(/^Invalid Amount in item 1: 12\.5 /);
		expect(items[2].json.error).toMatch(/^Invalid Amount in item 2: -5 /);
		expect(items[3].json.error).toMatch(/^Invalid Amount in item 3: "RM10" /);
		expect(items[4].json.error).toMatch(/^Invalid Amount in item 4: 9 is below/);
		expect(items[5].json.checkoutId).toBeDefined();
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		// Only the two good items reached Revenue Monster.
		expect(suite.simulator.apiLog().slice(logBefore).map((entry) => entry.path)).toEqual(['/v3/payment/online', '/v3/payment/online']);
	});
});

describe('get', () => {
	it('shows an open checkout, then the transaction ID once it is paid', async () => {
		const checkoutId = await createCheckout();
		const open = await run({ resource: 'checkout', operation: 'get', checkoutId });
		expect(open.error).toBeUndefined();
		// "Online Payment" page: a checkout's status is SUCCESS, FAILED, CANCELLED or EXPIRED; an open one has none yet.
		expect(open.outputs[0][0].json).toMatchObject({ id: checkoutId, status: '', transactionId: '', order: { amount: 1250 } });

		const transaction = suite.simulator.payCheckout(checkoutId, 'TNG_MY') as { transactionId: string };
		const paid = await run({ resource: 'checkout', operation: 'get', checkoutId });
		expect(paid.outputs[0][0].json).toMatchObject({ id: checkoutId, status: 'SUCCESS', transactionId: transaction.transactionId });
	});

	it('surfaces an unknown checkout with its code', async () => {
		const { error } = await run({ resource: 'checkout', operation: 'get', checkoutId: '999' });
		expect(error?.message).toMatch(/\[CHECKOUT_NOT_FOUND\]/);
	});
});

describe('pay', () => {
	it('url: a link that opens one e-wallet', async () => {
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, 'url', { method: 'TNG_MY' }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ type: 'URL', url: `${suite.simulator.url}/sim/checkout/${checkoutId}`, checkoutId });
	});

	it('qrcode: the QR code as JSON and as a PNG file in binary "qrCode"', async () => {
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, 'qrcode', { method: 'MAYBANK_MY' }));
		expect(error).toBeUndefined();
		const item = outputs[0][0];
		expect(item.json).toMatchObject({ type: 'QRCODE', qrcode: { data: `${suite.simulator.url}/sim/checkout/${checkoutId}` }, checkoutId });
		expectPng(item, 'qrCode');
		// The image is the binary file; the JSON does not carry a second, base64 copy of it.
		expect(item.json.qrcode).not.toHaveProperty('base64Image');
		expect(JSON.stringify(item.json)).not.toContain(item.binary!.qrCode.data.slice(0, 40));
		expect(item.binary!.qrCode.fileName).toBe(`checkout-${checkoutId}-qr.png`);
	});

	it('duitnowQrcode: a DuitNow QR code as a PNG file in the chosen binary field', async () => {
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, 'duitnowQrcode', { binaryPropertyName: 'duitnow' }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ type: 'DUITNOW_QRCODE', checkoutId });
		expect(outputs[0][0].json.qrcode).not.toHaveProperty('base64Image');
		expectPng(outputs[0][0], 'duitnow');
	});

	it('miniProgram: base64 data for the mini program', async () => {
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, 'miniProgram', { method: 'ALIPAY_CN' }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.type).toBe('MINI_PROGRAM');
		const data = JSON.parse(Buffer.from(outputs[0][0].json.data as string, 'base64').toString('utf8'));
		expect(data).toEqual({ checkoutId, method: 'ALIPAY_CN' });
	});

	it.each([
		['url', 'TNG_MY'],
		['miniProgram', 'ALIPAY_CN'],
	])('%s without a method chosen sends the default shown for that mode (%s)', async (mode, expected) => {
		// The two modes show different Method lists under the same parameter name; n8n must pick the
		// visible one's default. (The simulator refuses a request without a method.)
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, mode));
		expect(error).toBeUndefined();
		if (mode === 'miniProgram') {
			expect(JSON.parse(Buffer.from(outputs[0][0].json.data as string, 'base64').toString('utf8')).method).toBe(expected);
		} else {
			expect(outputs[0][0].json.type).toBe('URL');
		}
	});

	it('fpx: a link to the chosen bank', async () => {
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, 'fpx', { bankCode: 'ABB0233:B2C' }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ type: 'URL', url: `${suite.simulator.url}/sim/checkout/${checkoutId}`, checkoutId });
	});

	it('fpx: an offline bank is RM’s error, with its code', async () => {
		const checkoutId = await createCheckout();
		const { error } = await run(pay(checkoutId, 'fpx', { bankCode: 'BCBB0235:B2C' }));
		expect(error?.message).toMatch(/\[BANK_OFFLINE\]/);
	});

	it('gobiz: a link to the card payment page', async () => {
		const checkoutId = await createCheckout();
		const { outputs, error } = await run(pay(checkoutId, 'gobiz'));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toEqual({ type: 'URL', url: `${suite.simulator.url}/sim/checkout/${checkoutId}`, checkoutId });
		expect(suite.simulator.state.checkouts.get(checkoutId)!.status).toBe('');
	});

	/** The customer's browser opening the URL a card payment gave (the simulator passes 3-D Secure at once). */
	async function completeAtUrl(url: string): Promise<void> {
		const response = await fetch(url, { redirect: 'manual' });
		expect(response.status).toBe(302);
	}

	it('gobizCard: outputs the url where the customer completes the payment; nothing is paid before ("GoBiz w/ Card")', async () => {
		const checkoutId = await createCheckout({ amount: 4990 });
		const result = await run(pay(checkoutId, 'gobizCard', cardParameters()), cardItem());
		expect(result.error).toBeUndefined();
		const output = result.outputs[0][0].json;
		expect(output).toEqual({
			type: 'URL',
			url: expect.stringContaining(`/sim/checkout/${checkoutId}`),
			checkoutId,
			paid: false,
			status: 'PENDING',
		});
		expect(suite.simulator.state.checkouts.get(checkoutId)!.status).toBe('');
		expect(suite.simulator.state.transactionByOrderId(suite.simulator.state.checkouts.get(checkoutId)!.order.id as string)).toBeUndefined();
		expect(visible(result)).not.toContain(TEST_CARD);
		expect(visible(result)).not.toContain(`"${TEST_CVC}"`);

		await completeAtUrl(output.url as string);
		const paid = await run({ resource: 'checkout', operation: 'get', checkoutId });
		expect(paid.outputs[0][0].json).toMatchObject({ status: 'SUCCESS' });
		const transaction = suite.simulator.state.transactionById(paid.outputs[0][0].json.transactionId as string)!;
		expect(transaction).toMatchObject({ method: 'GOBIZ', finalAmount: 4990, order: { currencyType: 'MYR' } });
	});

	it('gobizCard with Save Card, then gobizToken charges the saved card and keeps it (isSave: true)', async () => {
		const userId = `customer-${Date.now()}`;
		const first = await createCheckout({ additionalFields: { customerUserId: userId } });
		const saved = await run(pay(first, 'gobizCard', cardParameters({ saveCard: true })), cardItem());
		expect(saved.error).toBeUndefined();
		expect(suite.simulator.state.cardTokens.get(userId) ?? []).toHaveLength(0);
		await completeAtUrl(saved.outputs[0][0].json.url as string);
		const tokens = suite.simulator.state.cardTokens.get(userId)!;
		expect(tokens).toHaveLength(1);
		expect(tokens[0].label).toBe('411111******1111');

		const second = await createCheckout({ amount: 777, additionalFields: { customerUserId: userId } });
		const { outputs, error } = await run(pay(second, 'gobizToken', { cardToken: tokens[0].token }));
		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ paid: true, status: 'SUCCESS', finalAmount: 777, checkoutId: second });
		// The card is still saved: the next payment with the same token works too.
		expect(suite.simulator.state.cardTokens.get(userId)!.map((token) => token.token)).toEqual([tokens[0].token]);
		const third = await createCheckout({ amount: 888, additionalFields: { customerUserId: userId } });
		const again = await run(pay(third, 'gobizToken', { cardToken: tokens[0].token }));
		expect(again.error).toBeUndefined();
		expect(again.outputs[0][0].json).toMatchObject({ paid: true, finalAmount: 888 });
	});

	it('gobizToken with Keep Saved Card off pays once and Revenue Monster deletes the card', async () => {
		const userId = `forget-${Date.now()}`;
		const token = seedSavedCard(suite.simulator, userId);
		const first = await createCheckout({ additionalFields: { customerUserId: userId } });
		const once = await run(pay(first, 'gobizToken', { cardToken: token, keepSavedCard: false }));
		expect(once.error).toBeUndefined();
		expect(once.outputs[0][0].json).toMatchObject({ paid: true });
		expect(suite.simulator.state.cardTokens.get(userId)).toEqual([]);
		const second = await createCheckout({ additionalFields: { customerUserId: userId } });
		const after = await run(pay(second, 'gobizToken', { cardToken: token }));
		expect(after.error?.message).toMatch(/\[INVALID_CARD_TOKEN\]/);
	});

	it('gobizToken: an answer with neither item nor error is a clear error naming the operation and RM’s code', async () => {
		const userId = `bare-${Date.now()}`;
		const token = seedSavedCard(suite.simulator, userId);
		const checkoutId = await createCheckout({ additionalFields: { customerUserId: userId } });
		suite.simulator.addFault({ kind: 'bareCode', method: 'POST', path: '/v3/payment/online/checkout', code: 'PAYMENT_FAILED' });
		const { error } = await run(pay(checkoutId, 'gobizToken', { cardToken: token }));
		expect(error?.message).toBe(
			"Checkout → Pay: Revenue Monster's answer holds no transaction (Revenue Monster code: PAYMENT_FAILED)",
		);
		expect(error?.description).toMatch(/Do not run this charge again before looking it up/);
	});

	it('gobizToken: an unknown token is RM’s error, with its code', async () => {
		const checkoutId = await createCheckout({ additionalFields: { customerUserId: 'nobody' } });
		const { error } = await run(pay(checkoutId, 'gobizToken', { cardToken: 'tok_unknown' }));
		expect(error?.message).toMatch(/\[INVALID_CARD_TOKEN\]/);
	});

	it.each([
		['a mistyped card number', {}, { number: '4111-1111-1111-1112' }, /^Invalid Card Number in item 0: "411111\*{6}1112" is not a valid card number/],
		['a CVC that is not 3 or 4 digits', {}, { cvc: '73' }, /^Invalid CVC in item 0: "\(hidden\)" is not 3 or 4 digits/],
		['a month of 13', { cardExpiryMonth: 13 }, {}, /^Invalid Expiry Month in item 0: 13 is not a month from 1 to 12/],
		['an expired card', { cardExpiryMonth: 1, cardExpiryYear: 2020 }, {}, /^Invalid Expiry Year in item 0: "1\/2020" is in the past/],
	])('gobizCard refuses %s before sending, showing no card number or CVC', async (_name, overrides, item, message) => {
		const checkoutId = await createCheckout();
		const logBefore = suite.simulator.log.length;
		const result = await run(pay(checkoutId, 'gobizCard', cardParameters(overrides)), cardItem(item));
		expect(result.error?.message).toMatch(message);
		expect(suite.simulator.log.length).toBe(logBefore);
		expect(visible(result)).not.toMatch(/4111111111111112|411111111111111/);
		expect(visible(result)).not.toContain('"73"');
	});

	it('gobizCard: an RM error echoing the card number is shown masked', async () => {
		const checkoutId = await createCheckout();
		suite.simulator.addFault({ kind: 'errorIn200', method: 'POST', path: '/v3/payment/online/checkout', code: `CARD_${TEST_CARD}` });
		const result = await run(pay(checkoutId, 'gobizCard', cardParameters()), cardItem(), 'continueErrorOutput');
		expect(result.outputs[1]).toHaveLength(1);
		const { number, cvc, ...errorItem } = result.outputs[1][0].json;
		// n8n's error output repeats the input item (the workflow's own data); what the node adds is masked.
		expect([number, cvc]).toEqual(['4111 1111 1111 1111', TEST_CVC]);
		expect(errorItem.error).toMatch(/CARD_411111\*{6}1111/);
		expect(errorItem.error).toMatch(/\[CARD_411111\*{6}1111\]$/);
		expect(JSON.stringify(errorItem)).not.toMatch(/4111 ?1111 ?1111 ?1111|"737"/);
	});

	it.each([
		['with spaces', 'card 4111 1111 1111 1111 refused'],
		['with dashes', 'card 4111-1111-1111-1111 refused'],
		['in groups of other sizes', 'card 411111 111111 1111 refused'],
		['with its CVC labelled', 'card refused (CVV: 737)'],
		['with its CVC as JSON', 'bad card {"cvc":"737"}'],
		['with its CVC as plain text', 'security check 737 failed'],
	])('gobizCard: an RM error echoing the card %s shows neither number nor CVC', async (_name, message) => {
		const checkoutId = await createCheckout();
		suite.simulator.addFault({ kind: 'errorIn200', method: 'POST', path: '/v3/payment/online/checkout', code: 'CARD_REFUSED', message });
		const result = await runNode({
			nodeType: errorKeepingNode(thrown),
			parameters: pay(checkoutId, 'gobizCard', cardParameters()),
			items: cardItem(),
			credentialsHelper: suite.credentials,
		});
		expect(result.error?.message).toMatch(/CARD_REFUSED/);
		const shown = visible(result);
		expect(shown).not.toMatch(/4111[\s-]*1111[\s-]*1111[\s-]*1111|411111 111111 1111/);
		expect(shown).not.toMatch(/(?<!\d)737(?!\d)/);
		const error = thrown.at(-1);
		expect(holds(error, '737')).toBe(false);
	});

	it('gobizCard: RM’s sandbox debug for a bad signature, which repeats the request, is left out', async () => {
		const checkoutId = await createCheckout();
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
		const wrongKey = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator, { privateKey: otherKey }));
		const result = await runNode({
			nodeType: new RevenueMonster(),
			parameters: pay(checkoutId, 'gobizCard', cardParameters()),
			items: cardItem(),
			credentialsHelper: wrongKey,
		});
		expect(result.error?.message).toBe('Revenue Monster: invalid request signature [INVALID_REQUEST_SIGNATURE]');
		expect(result.error?.description).toMatch(/does not match the public key.*sandbox debug is not shown for card payments/s);
		const shown = visible(result);
		expect(shown).not.toMatch(/sortedJson|preVerifyContent|data=|"base64"/);
		expect(shown).not.toContain(TEST_CARD);
		// Other modes keep the debug: it is how a mismatched key is diagnosed.
		const url = await runNode({ nodeType: new RevenueMonster(), parameters: pay(checkoutId, 'url'), credentialsHelper: wrongKey });
		expect(url.error?.description).toMatch(/preVerifyContent/);
	});

	it('gobizCard: a lost answer is not retried, says the outcome is unknown, and shows no card number', async () => {
		const checkoutId = await createCheckout();
		suite.simulator.addFault({ kind: 'drop', method: 'POST', path: '/v3/payment/online/checkout' });
		const logBefore = suite.simulator.apiLog().length;
		const result = await runNode({
			nodeType: errorKeepingNode(thrown),
			parameters: pay(checkoutId, 'gobizCard', cardParameters()),
			items: cardItem(),
			credentialsHelper: suite.credentials,
		});
		expect(result.error?.message).toMatch(/^Outcome unknown: POST \/v3\/payment\/online\/checkout was sent but no answer came back.* It was not retried/);
		expect(suite.simulator.apiLog().slice(logBefore).filter((entry) => entry.path === '/v3/payment/online/checkout')).toHaveLength(1);
		// The simulator did process the request: this is why the node must not send it again.
		expect(suite.simulator.state.checkouts.get(checkoutId)!.pendingCard).toMatchObject({ label: '411111******1111' });
		expect(visible(result)).not.toContain(TEST_CARD);
		expect(visible(result)).not.toContain(`"${TEST_CVC}"`);
		// Not even in the error instance's hidden parts: its cause was the HTTP client's error, which
		// held the request body, and n8n hands the instance to its error reporter.
		const error = thrown.at(-1);
		expect((error as Error).message).toBe(result.error?.message);
		expect(holds(error, TEST_CARD)).toBe(false);
		expect(holds(error, `"cvc":"${TEST_CVC}"`)).toBe(false);
	});
});
