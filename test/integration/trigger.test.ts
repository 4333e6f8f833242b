/**
 * The Revenue Monster Trigger over real HTTP: the simulator pays and signs notifications with its own
 * server key and sends them to a 127.0.0.1 server that hands each request to the node through n8n-core's
 * WebhookContext (test/helpers/webhook.ts); confirmation calls go back to the simulator through n8n's
 * httpRequestWithAuthentication and the credential's real signing.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { RevenueMonsterTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTrigger.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { RequestTestNode } from '../helpers/request-node';
import { startWebhookHarness, type WebhookHarness } from '../helpers/webhook';
import { SIMULATOR_KEYS } from '../../simulator/keys';
import { deliverNotification, type NotificationOptions, type NotificationVariant } from '../../simulator/notify';
import type { Json } from '../../simulator/state';
import { useSimulator } from '../helpers/suite';

// The simulator sends notifications to loopback notify URLs itself; real backoff, shortened.
const suite = useSimulator({ autoNotify: true, backoff: { baseDelayMs: 5 } });
const harnesses: WebhookHarness[] = [];
/** notifyUrl for payments whose notification a test sends itself (not loopback: the simulator does not send to it) */
const ELSEWHERE = 'https://merchant.example/notify';
let orderCounter = 0;

afterAll(async () => await Promise.all(harnesses.map(async (harness) => await harness.close())));

async function trigger(
	parameters: IDataObject = {},
	credentials?: ICredentialDataDecryptedObject,
): Promise<WebhookHarness> {
	const credentialsHelper = credentials ? new InMemoryCredentialsHelper(credentials) : suite.credentials;
	const harness = await startWebhookHarness({ nodeType: new RevenueMonsterTrigger(), parameters, credentialsHelper });
	harnesses.push(harness);
	return harness;
}

/** A signed Open API call through n8n's engine and the real credential. */
async function api(method: string, path: string, body?: IDataObject): Promise<IDataObject> {
	const result = await runNode({
		nodeType: new RequestTestNode(),
		typeName: 'test.rmRequest',
		parameters: { method, path, body: body ? JSON.stringify(body) : '' },
		credentialsHelper: suite.credentials,
	});
	if (result.error) throw result.error;
	return result.outputs[0][0].json.item as IDataObject;
}

/** A hosted checkout, paid by the customer: returns RM's transaction. */
async function paidCheckout(notifyUrl: string, amount = 1500): Promise<Json> {
	const checkout = await api('POST', '/v3/payment/online', {
		storeId: suite.simulator.state.stores[0].id,
		type: 'WEB_PAYMENT',
		method: [],
		layoutVersion: 'v4',
		redirectUrl: 'https://merchant.example/thanks',
		notifyUrl,
		order: { id: `T${Date.now()}${orderCounter++}`, title: 'Batik shirt', currencyType: 'MYR', amount },
	});
	return suite.simulator.payCheckout(String(checkout.checkoutId), 'FPX_MY');
}

/** A recurring customer with a bound card; returns its id. */
async function boundRecurringCustomer(notifyUrl: string): Promise<string> {
	const customer = await api('POST', '/v3/recurring-payment', {
		storeId: suite.simulator.state.stores[0].id,
		email: 'aisyah@example.my',
		name: 'Aisyah',
		countryCode: '60',
		phoneNumber: '123456789',
		productName: 'Gym membership',
		productDescription: 'Monthly',
		currency: 'MYR',
		amount: 9900,
		redirectUrl: 'https://merchant.example/bound',
		notifyUrl,
		recurringInterval: 'MONTHLY',
		recurringTarget: '1',
		recurringRepetition: 12,
	});
	suite.simulator.bindCard(String(customer.id));
	return String(customer.id);
}

/** What RM sends for a recurring charge (revenue-monster-api.md §4). */
function recurringNotification(customerId: string, transaction: IDataObject): Json {
	const order = transaction.order as IDataObject;
	return {
		eventType: 'RECURRING_PAYMENT',
		data: {
			amount: order.amount,
			currency: 'MYR',
			countryCode: '60',
			phoneNumber: '123456789',
			customerId,
			email: 'aisyah@example.my',
			name: 'Aisyah',
			merchantId: suite.simulator.state.merchant.id,
			storeId: suite.simulator.state.stores[0].id,
			orderId: order.id,
			status: transaction.status,
			createdAt: transaction.createdAt,
			updatedAt: transaction.updatedAt,
		},
	};
}

const online = (transaction: Json): Json => ({ eventType: 'PAYMENT_WEB_ONLINE', data: transaction });

async function send(
	harness: WebhookHarness,
	body: Json,
	variant: NotificationVariant = 'signed',
	method: 'POST' | 'GET' = 'POST',
	options: NotificationOptions = {},
): Promise<number[]> {
	return await deliverNotification(suite.simulator.serverPrivateKey, harness.url, body, variant, method, suite.simulator.nowMs(), options);
}

function lookupsOf(id: string): number {
	return suite.simulator.apiLog().filter((entry) => entry.method === 'GET' && entry.path.endsWith(`/${id}`)).length;
}

const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

describe('a genuine payment notification', () => {
	it('starts exactly one run holding the notification and the confirmed transaction', async () => {
		const harness = await trigger();
		expect(harness.url).toBe(`${harness.baseUrl}/webhook/${harness.node.webhookId}/notify`);

		const transaction = await paidCheckout(harness.url, 2590); // the suite.simulator notifies on its own
		const [delivery] = await harness.waitForDeliveries(1);

		// What n8n 2.41 answers for a run with responseData "noData": 200, empty body, typed JSON.
		expect(delivery).toMatchObject({
			method: 'POST',
			status: 200,
			answerText: '',
			answerType: 'application/json; charset=utf-8',
			nodeCalled: true,
		});
		expect(harness.runs).toHaveLength(1);
		const items = harness.runs[0][0];
		expect(items).toHaveLength(1);
		const item = items[0].json;
		expect(item.eventType).toBe('PAYMENT_WEB_ONLINE');
		expect(item.data).toEqual(JSON.parse(JSON.stringify(transaction)));
		expect(item.transaction).toMatchObject({
			transactionId: transaction.transactionId,
			status: 'SUCCESS',
			order: { amount: 2590 },
		});
		expect(item.verified).toMatchObject({ signature: true, dataSigned: true, confirmedWithApi: true });
		expect(item.eventKey).toBe(`transaction:${String(transaction.transactionId)}:SUCCESS`);
		expect(Date.parse((item.verified as IDataObject).signedAt as string)).not.toBeNaN();

		// Confirmation was a real, correctly signed call to RM's API.
		const lookup = suite.simulator.apiLog().filter((entry) => entry.path === `/v3/payment/transaction/${String(transaction.transactionId)}`);
		expect(lookup).toHaveLength(1);
		expect(lookup[0]).toMatchObject({ method: 'GET', status: 200, signatureValid: true });
	});

	it('accepts the recurring charge notification RM POSTs after charging a bound card', async () => {
		const harness = await trigger();
		const customerId = await boundRecurringCustomer(harness.url);
		const charged = await api('POST', `/v3/customer/${customerId}/order`, { currency: 'MYR', amount: 9900, title: 'June' });
		await harness.waitForDeliveries(1);

		expect(harness.deliveries[0]).toMatchObject({ status: 200, answerText: '' });
		expect(harness.runs).toHaveLength(1);
		const item = harness.runs[0][0][0].json;
		expect(item).toMatchObject({
			eventType: 'RECURRING_PAYMENT',
			data: { customerId, orderId: (charged.order as IDataObject).id, amount: 9900, status: 'SUCCESS' },
			transaction: { transactionId: charged.transactionId, status: 'SUCCESS', type: 'RECURRING_PAYMENT' },
		});
		// A recurring notification has no transaction id: it is confirmed by its order id.
		expect(lookupsOf(String((charged.order as IDataObject).id))).toBe(1);
	});
});

describe('notifications that are not provably from Revenue Monster', () => {
	it.each<NotificationVariant>(['tampered', 'wrongKey', 'unsigned', 'stale'])(
		'%s: 401, nothing started, RM not even asked',
		async (variant) => {
			const harness = await trigger();
			const transaction = await paidCheckout(ELSEWHERE);
			const statuses = await send(harness, online(transaction), variant);

			expect(statuses).toEqual([401]);
			expect(harness.deliveries[0]).toMatchObject({ status: 401, answer: { error: 'invalid signature' }, nodeCalled: true });
			expect(harness.runs).toHaveLength(0);
			expect(lookupsOf(String(transaction.transactionId))).toBe(0);
		},
	);

	it('a body that is not JSON is refused by n8n before the node runs (422), and by the node when it gets it (401)', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);

		// As application/json, n8n's own body parser refuses it: the node is never called.
		expect(await send(harness, online(transaction), 'malformed')).toEqual([422]);
		expect(harness.deliveries[0].nodeCalled).toBe(false);

		// Sent as text, n8n passes it through and the trigger refuses it.
		expect(await send(harness, online(transaction), 'malformed', 'POST', { contentType: 'text/plain' })).toEqual([401]);
		expect(harness.deliveries[1]).toMatchObject({ nodeCalled: true, answer: { error: 'invalid signature' } });
		expect(harness.runs).toHaveLength(0);
	});

	it('a correctly signed body that is not an {eventType, data} notification: 400, nothing started', async () => {
		const harness = await trigger();
		expect(await send(harness, { hello: 'world' })).toEqual([400]);
		expect(harness.deliveries[0].answer).toEqual({ error: 'invalid notification' });
		expect(harness.runs).toHaveLength(0);
	});

	it('a signature over a body with the same fields in another order still verifies (RM signs canonical JSON)', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);
		// Reverse the key order of the body the suite.simulator signs: the bytes differ from the canonical form.
		const reversed = Object.fromEntries(Object.entries(transaction).reverse()) as Json;
		expect(await send(harness, { data: reversed, eventType: 'PAYMENT_WEB_ONLINE' })).toEqual([200]);
		expect(harness.runs).toHaveLength(1);
	});
});

describe('duplicates and replays', () => {
	it('the same signed request twice: one run, both answered 200', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);

		expect(await send(harness, online(transaction), 'duplicate')).toEqual([200, 200]);
		expect(harness.runs).toHaveLength(1);
		expect(harness.deliveries.map((delivery) => delivery.answerText)).toEqual(['', '']);
		expect(lookupsOf(String(transaction.transactionId))).toBe(1);
	});

	it('a copy answered without a run changes no static data, so n8n saves nothing (queue mode: no overwrite)', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);
		expect(await send(harness, online(transaction))).toEqual([200]);
		// Control: the accepted copy is saved.
		const saves = harness.staticDataSaves;
		expect(saves).toBeGreaterThan(0);

		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(await send(harness, online(transaction), 'duplicate')).toEqual([200, 200]);
		expect(harness.runs).toHaveLength(1);
		expect(harness.staticDataSaves).toBe(saves);
	});

	it('RM resending the same payment with a fresh signature: 200, no second run', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(harness.url);
		await harness.waitForDeliveries(1);

		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(harness.runs).toHaveLength(1);
	});

	it('is remembered in the workflow static data, so a restarted n8n still ignores it', async () => {
		const first = await trigger();
		const transaction = await paidCheckout(first.url);
		await first.waitForDeliveries(1);
		expect(first.runs).toHaveLength(1);
		const saved = first.savedStaticData['node:Revenue Monster Trigger'] as IDataObject;
		// The key comes from RM's record (transaction id and confirmed status), never from the notification's text.
		// One entry per payment: its lookup key (transaction id) follows from the key.
		expect(saved.acceptedPayments).toEqual([`transaction:${String(transaction.transactionId)}:SUCCESS`]);

		// Same saved workflow, new process (nothing in memory): only the static data remembers.
		const restarted = await trigger();
		restarted.savedStaticData = structuredClone(first.savedStaticData);
		expect(await send(restarted, online(transaction))).toEqual([200]);
		expect(restarted.runs).toHaveLength(0);
	});

	it('n8n 2.41 keeps no static data a run wrote (once there is some): the next duplicate answered saves it', async () => {
		const harness = await trigger();
		const first = await paidCheckout(ELSEWHERE);
		const second = await paidCheckout(ELSEWHERE, 2500);
		const saved = () => ((harness.savedStaticData['node:Revenue Monster Trigger'] ?? {}) as IDataObject).acceptedPayments as string[];
		const secondKey = `transaction:${String(second.transactionId)}:SUCCESS`;
		expect(await send(harness, online(first))).toEqual([200]);
		expect(await send(harness, online(second))).toEqual([200]);
		expect(harness.runs).toHaveLength(2);
		// The workflow had static data (the first payment) when the second ran: n8n dropped the run's write.
		expect(saved()).not.toContain(secondKey);

		// A restart now: the memory is gone, and a replay of the second payment's request (inside the
		// signature's time window) starts a second run. The documented limit; `eventKey` is the remedy.
		const restartedAtOnce = await trigger();
		restartedAtOnce.savedStaticData = structuredClone(harness.savedStaticData);
		expect(await send(restartedAtOnce, online(second))).toEqual([200]);
		expect(restartedAtOnce.runs).toHaveLength(1);

		// A duplicate of any payment answered before the restart (no run) saves what the process knows.
		expect(await send(harness, online(first))).toEqual([200]);
		expect(harness.runs).toHaveLength(2);
		expect(saved()).toContain(secondKey);
		const restartedLater = await trigger();
		restartedLater.savedStaticData = structuredClone(harness.savedStaticData);
		expect(await send(restartedLater, online(second))).toEqual([200]);
		expect(restartedLater.runs).toHaveLength(0);
	});

	it('payments remembered by the previous version (`eventType:id:status` keys) are still recognised', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);
		harness.savedStaticData = {
			'node:Revenue Monster Trigger': { acceptedPayments: [`PAYMENT_WEB_ONLINE:${String(transaction.transactionId)}:SUCCESS`] },
		};
		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(harness.runs).toHaveLength(0);
	});

	it('two copies arriving together start one run', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);
		const statuses = (await Promise.all([send(harness, online(transaction)), send(harness, online(transaction))])).flat();

		expect(harness.runs).toHaveLength(1);
		expect(statuses).toContain(200);
		// The copy that arrived while the first was being confirmed is told to come back (409), or,
		// if it came after, that it was received (200).
		expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
	});

	it('with Ignore Duplicates off, a re-signed resend runs again, but a byte-identical replay never does', async () => {
		const harness = await trigger({ options: { ignoreDuplicates: false } });
		const transaction = await paidCheckout(ELSEWHERE);

		expect(await send(harness, online(transaction), 'duplicate')).toEqual([200, 200]);
		expect(harness.runs).toHaveLength(1);
		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(harness.runs).toHaveLength(2);
	});
});

describe('event filter', () => {
	it('a notification for an event not selected is answered 200 and starts nothing', async () => {
		const harness = await trigger({ events: ['RECURRING_PAYMENT'] });
		const transaction = await paidCheckout(harness.url);
		await harness.waitForDeliveries(1);

		expect(harness.deliveries[0]).toMatchObject({ status: 200, answerText: '' });
		expect(harness.runs).toHaveLength(0);
		expect(lookupsOf(String(transaction.transactionId))).toBe(0);
	});

	it('the selected event still starts its run', async () => {
		const harness = await trigger({ events: ['RECURRING_PAYMENT'] });
		const customerId = await boundRecurringCustomer(harness.url);
		await api('POST', `/v3/customer/${customerId}/order`, { currency: 'MYR', amount: 1200 });
		await harness.waitForDeliveries(1);
		expect(harness.runs).toHaveLength(1);
		expect(harness.runs[0][0][0].json.eventType).toBe('RECURRING_PAYMENT');
	});
});

describe('GET notifications (RM documents the recurring callback as GET)', () => {
	async function chargedRecurring(): Promise<{ customerId: string; transaction: IDataObject }> {
		const customerId = await boundRecurringCustomer(ELSEWHERE);
		const transaction = await api('POST', `/v3/customer/${customerId}/order`, { currency: 'MYR', amount: 4500 });
		return { customerId, transaction };
	}

	it('with the notification in the body', async () => {
		const harness = await trigger();
		const { customerId, transaction } = await chargedRecurring();

		expect(await send(harness, recurringNotification(customerId, transaction), 'signed', 'GET')).toEqual([200]);
		expect(harness.deliveries[0].method).toBe('GET');
		expect(harness.runs).toHaveLength(1);
		expect(harness.runs[0][0][0].json).toMatchObject({
			eventType: 'RECURRING_PAYMENT',
			data: { orderId: (transaction.order as IDataObject).id, amount: 4500 },
			transaction: { transactionId: transaction.transactionId, status: 'SUCCESS' },
			verified: { signature: true, confirmedWithApi: true },
		});
	});

	it('in the query string (signed without data, as RM signs a bodyless request): a hint, the item holds RM’s record', async () => {
		const harness = await trigger();
		const { customerId, transaction } = await chargedRecurring();
		const notification = recurringNotification(customerId, transaction);

		expect(await send(harness, notification, 'signed', 'GET', { placement: 'query' })).toEqual([200]);
		expect(harness.runs).toHaveLength(1);
		const item = harness.runs[0][0][0].json;
		const order = transaction.order as IDataObject;
		// `data` is RM's confirmed record; what the query said is kept apart, labelled unverified.
		expect(item).toMatchObject({
			eventType: 'RECURRING_PAYMENT',
			eventKey: `transaction:${String(transaction.transactionId)}:SUCCESS`,
			data: { orderId: order.id, amount: 4500, currency: 'MYR', status: 'SUCCESS', transactionId: transaction.transactionId },
			transaction: { transactionId: transaction.transactionId },
			unverified: { source: 'query string', data: { orderId: order.id, customerId } },
			verified: { signature: true, dataSigned: false, confirmedWithApi: true },
		});

		// Changed in the query (the signature never covered it): RM's record disagrees, so nothing runs.
		const other = await chargedRecurring();
		expect(
			await send(harness, recurringNotification(other.customerId, other.transaction), 'tampered', 'GET', { placement: 'query' }),
		).toEqual([409]);
		expect(harness.runs).toHaveLength(1);
	});

	it('in the query string with Confirm With API off: 401, nothing vouches for it', async () => {
		const harness = await trigger({ options: { confirmWithApi: false } });
		const { customerId, transaction } = await chargedRecurring();
		expect(await send(harness, recurringNotification(customerId, transaction), 'signed', 'GET', { placement: 'query' })).toEqual([
			401,
		]);
		expect(harness.deliveries[0].answer).toEqual({ error: 'unverified notification' });
		expect(harness.runs).toHaveLength(0);
	});
});

describe('confirmation with the API', () => {
	it('a payment RM reports as FAILED starts nothing (409) and is not remembered', async () => {
		const harness = await trigger();
		const customerId = await boundRecurringCustomer(ELSEWHERE);
		suite.simulator.addFault({ kind: 'decline', path: `/v3/customer/${customerId}/order`, reason: '9010' });
		const declined = await api('POST', `/v3/customer/${customerId}/order`, { currency: 'MYR', amount: 3000 });
		expect(declined.status).toBe('FAILED');

		// Correctly signed, but claiming success for a charge RM declined.
		const claim = recurringNotification(customerId, { ...declined, status: 'SUCCESS' });
		expect(await send(harness, claim)).toEqual([409]);
		expect(harness.deliveries[0].answer).toEqual({ error: 'payment not confirmed' });
		expect(harness.runs).toHaveLength(0);
		expect(harness.savedStaticData).toEqual({});
	});

	it('a transaction RM does not know starts nothing (409)', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);
		const forged = { ...transaction, transactionId: '999999999999999999' };
		expect(await send(harness, online(forged))).toEqual([409]);
		expect(harness.runs).toHaveLength(0);
	});

	it('an amount that differs from what RM recorded starts nothing (409), even without signature checks', async () => {
		const harness = await trigger({ options: { verifySignature: false } });
		const transaction = await paidCheckout(ELSEWHERE, 1000);
		const altered = { ...transaction, order: { ...(transaction.order as Json), amount: 100000 } };
		expect(await send(harness, online(altered), 'unsigned')).toEqual([409]);
		expect(harness.runs).toHaveLength(0);
	});

	it('when RM cannot be asked, answers 503 so RM resends, and the resend runs once', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(ELSEWHERE);
		// The read is retried twice by the transport: three failures in a row make it give up.
		suite.simulator.addFault({ kind: 'serverError', method: 'GET', path: String(transaction.transactionId), times: 3 });

		expect(await send(harness, online(transaction))).toEqual([503]);
		expect(harness.deliveries[0].answer).toEqual({ error: 'payment could not be confirmed' });
		expect(harness.runs).toHaveLength(0);

		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(harness.runs).toHaveLength(1);
	});

	it('with Confirm With API off, a verified notification runs without asking RM', async () => {
		const harness = await trigger({ options: { confirmWithApi: false } });
		const transaction = await paidCheckout(ELSEWHERE);
		expect(await send(harness, online(transaction))).toEqual([200]);
		expect(harness.runs).toHaveLength(1);
		const item = harness.runs[0][0][0].json;
		expect(item.transaction).toBeUndefined();
		expect(item.verified).toMatchObject({ signature: true, confirmedWithApi: false });
		expect(lookupsOf(String(transaction.transactionId))).toBe(0);
	});
});

describe('activation and the server public key', () => {
	it('activates when the credential has the server public key (PEM or the bare base64 the portal shows)', async () => {
		await expect((await trigger()).activate()).resolves.toBeUndefined();
		const bare = await trigger({}, simulatorCredentials(suite.simulator, { serverPublicKey: pemBody(SIMULATOR_KEYS.serverPublicKey) }));
		await expect(bare.activate()).resolves.toBeUndefined();
		await expect(bare.deactivate()).resolves.toBeUndefined();
	});

	it('fails to activate without a server public key while Verify Signature is on, saying where to find it', async () => {
		const harness = await trigger({}, simulatorCredentials(suite.simulator, { serverPublicKey: '' }));
		const failure = harness.activate();
		await expect(failure).rejects.toThrow(/cannot verify notifications: The server public key is empty/);
		await expect(failure).rejects.toThrow(/Developer → Applications → Server Public Key/);
	});

	it('fails to activate with a server public key that cannot be read, without echoing it', async () => {
		const garbage = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnotakey';
		const harness = await trigger({}, simulatorCredentials(suite.simulator, { serverPublicKey: garbage }));
		const error = (await harness.activate().catch((caught: unknown) => caught)) as Error & { description?: string };
		expect(error.message).toMatch(/could not be read/);
		expect(`${error.message} ${error.description}`).not.toContain(garbage);
		expect(error.description).toMatch(/Server Public Key/);
	});

	it('with Verify Signature off, activates and receives without any server public key', async () => {
		const harness = await trigger(
			{ options: { verifySignature: false } },
			simulatorCredentials(suite.simulator, { serverPublicKey: '' }),
		);
		await expect(harness.activate()).resolves.toBeUndefined();
		const transaction = await paidCheckout(ELSEWHERE);
		expect(await send(harness, online(transaction), 'unsigned')).toEqual([200]);
		expect(harness.runs).toHaveLength(1);
		expect(harness.runs[0][0][0].json.verified).toMatchObject({ signature: false, confirmedWithApi: true });
	});

	it('if the key is removed after activation, notifications are refused (500) with a generic answer', async () => {
		const harness = await trigger({}, simulatorCredentials(suite.simulator, { serverPublicKey: '' }));
		const transaction = await paidCheckout(ELSEWHERE);
		expect(await send(harness, online(transaction))).toEqual([500]);
		expect(harness.deliveries[0].answer).toEqual({ error: 'notification receiver is not configured' });
		expect(harness.runs).toHaveLength(0);
	});
});

describe('while listening for a test event', () => {
	it('a refused or duplicate notification shows its reason in n8n’s log as a warning (the editor shows nothing)', async () => {
		// The trigger as n8n runs it, its context's logger observed (n8n's is silent in tests).
		const warnings: string[] = [];
		const logger = { warn: (message: string) => warnings.push(message), debug: () => {}, info: () => {}, error: () => {} };
		class ObservedTrigger extends RevenueMonsterTrigger {
			async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
				Object.defineProperty(this, 'logger', { value: logger });
				return await new RevenueMonsterTrigger().webhook.call(this);
			}
		}
		const observed = (mode: 'manual' | 'webhook') =>
			startWebhookHarness({ nodeType: new ObservedTrigger(), parameters: {}, credentialsHelper: suite.credentials, mode });
		{
			const harness = await startWebhookHarness({
				nodeType: new ObservedTrigger(),
				parameters: {},
				credentialsHelper: suite.credentials,
				mode: 'manual',
			});
			harnesses.push(harness);
			const transaction = await paidCheckout(ELSEWHERE);
			await send(harness, online(transaction), 'duplicate');
			await send(harness, online(transaction), 'tampered');
			expect(harness.runs).toHaveLength(1);
			expect(warnings).toEqual([
				'Revenue Monster Trigger: test event: ignored a notification already accepted (same nonce)',
				expect.stringMatching(/^Revenue Monster Trigger: test event: refused a notification \(401\): its signature does not match/),
			]);
			// In production the duplicate is only a debug line.
			warnings.length = 0;
			const production = await observed('webhook');
			harnesses.push(production);
			await send(production, online(await paidCheckout(ELSEWHERE)), 'duplicate');
			expect(production.runs).toHaveLength(1);
			expect(warnings).toEqual([]);
		}
	});
});

describe('answers', () => {
	it('never carry keys, tokens or internal errors', async () => {
		const harness = await trigger();
		const transaction = await paidCheckout(harness.url);
		await harness.waitForDeliveries(1);
		for (const variant of ['tampered', 'wrongKey', 'unsigned', 'stale', 'duplicate'] as NotificationVariant[]) {
			await send(harness, online(transaction), variant);
		}
		suite.simulator.addFault({ kind: 'errorIn200', method: 'GET', code: 'SYSTEM_BUSY', times: 3 });
		const other = await paidCheckout(ELSEWHERE);
		await send(harness, online(other));

		const allowed = [
			'',
			{ error: 'invalid signature' },
			{ error: 'payment not confirmed' },
			{ error: 'payment could not be confirmed' },
		];
		for (const delivery of harness.deliveries) expect(allowed).toContainEqual(delivery.answer);
		expect(harness.deliveries.map((delivery) => delivery.answer)).toContainEqual({ error: 'payment could not be confirmed' });
		const everything = JSON.stringify(harness.deliveries.map((delivery) => delivery.answer));
		const stored = suite.credentials.stored.values().next().value!.data;
		expect(everything).not.toContain(pemBody(SIMULATOR_KEYS.merchantPrivateKey).slice(100, 160));
		expect(everything).not.toContain(SIMULATOR_KEYS.clientSecret);
		if (stored.accessToken) expect(everything).not.toContain(String(stored.accessToken));
	});
});
