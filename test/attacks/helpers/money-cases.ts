/**
 * The money attacks of issue 9, shared by the attack suite and its controls: every money-moving
 * operation (charge on its three routes, refund, reverse, checkout pay), each sent through the
 * attacker's proxy (money-proxy.ts) that lets RM act and then answers 5xx, token errors, 429 or
 * cuts the connection. Measured for each: how often the request was sent, how often it reached RM
 * (so RM may have acted), what RM did, and what the user was told.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { InMemoryCredentialsHelper, simulatorCredentials } from '../../../support/n8n';
import type { RevenueMonsterSimulator } from '../../../simulator/server';
import { seedBoundCustomer } from '../../../support/reliability';
import { refundParameters, runCase, type CaseRun } from '../../../support/fault-runs';
import { seedPayment, seedSavedCard } from '../../../support/seed';
import { rmErrorBody, type MoneyProxy, type ProxyAnswer } from './money-proxy';

export interface MoneyTarget {
	item: IDataObject;
	parameters: IDataObject;
	/** the POST that moves money */
	path: string;
	/** how many times RM actually moved the money (charges, refunds, reversals, payments) */
	rmActs: () => number;
}

export interface MoneyOperation {
	name: string;
	prepare: (simulator: RevenueMonsterSimulator) => MoneyTarget;
}

const CHARGE_ROUTES: Record<string, (customerId: string) => string> = {
	customerOrder: (id) => `/v3/customer/${id}/order`,
	recurringAdhocOrder: (id) => `/v3/recurring-payment/${id}/order`,
	recurringCharge: (id) => `/v3/recurring-payment/${id}/charge`,
};

function charge(route: string): MoneyOperation {
	return {
		name: `Order → Create (${route})`,
		prepare: (simulator) => {
			const customerId = seedBoundCustomer(simulator);
			return {
				item: { customerId, amount: 1000 },
				parameters: {
					resource: 'order',
					operation: 'create',
					customerId: '={{ $json.customerId }}',
					currency: 'MYR',
					amount: '={{ $json.amount }}',
					route,
					additionalFields: {},
				},
				path: CHARGE_ROUTES[route](customerId),
				rmActs: () => simulator.state.customerOrders.filter((order) => order.customerId === customerId).length,
			};
		},
	};
}

function paidTransaction(simulator: RevenueMonsterSimulator) {
	return seedPayment(simulator, { title: 'Attack suite order' });
}

const refund: MoneyOperation = {
	name: 'Transaction → Refund',
	prepare: (simulator) => {
		const transaction = paidTransaction(simulator);
		return {
			item: { transactionId: transaction.transactionId },
			parameters: refundParameters('attack suite'),
			path: '/v3/payment/refund',
			// each refund takes 100 cents off the balance
			rmActs: () => (transaction.finalAmount - transaction.balanceAmount) / 100,
		};
	},
};

const reverse: MoneyOperation = {
	name: 'Transaction → Reverse',
	prepare: (simulator) => {
		const transaction = paidTransaction(simulator);
		return {
			item: { orderId: transaction.order.id },
			parameters: { resource: 'transaction', operation: 'reverse', orderId: '={{ $json.orderId }}' },
			path: '/v3/payment/reverse',
			rmActs: () => (transaction.status === 'REVERSED' ? 1 : 0),
		};
	},
};

const checkoutPay: MoneyOperation = {
	// Card Details only returns a link the customer completes; a saved card is charged at once.
	name: 'Checkout → Pay (saved card)',
	prepare: (simulator) => {
		const now = simulator.state.now();
		const checkoutId = simulator.state.nextId();
		const orderId = `ATK-${checkoutId}`;
		const userId = `attack-${checkoutId}`;
		const token = seedSavedCard(simulator, userId);
		simulator.state.checkouts.set(checkoutId, {
			id: checkoutId,
			type: 'WEB_PAYMENT',
			transactionId: '',
			order: { id: orderId, title: 'Attack suite', amount: 1250, currencyType: 'MYR' },
			platform: 'OPEN_API',
			method: [],
			redirectUrl: 'https://shop.example/thanks',
			notifyUrl: '',
			startAt: now,
			status: '',
			customer: { userId },
			storeId: simulator.state.stores[0].id,
			createdAt: now,
			updatedAt: now,
		});
		return {
			item: { checkoutId },
			parameters: {
				resource: 'checkout',
				operation: 'pay',
				checkoutId: '={{ $json.checkoutId }}',
				mode: 'gobizToken',
				cardToken: token,
			},
			path: '/v3/payment/online/checkout',
			rmActs: () => simulator.state.transactions.filter((transaction) => transaction.order.id === orderId).length,
		};
	},
};

export const MONEY_OPERATIONS: MoneyOperation[] = [
	charge('customerOrder'),
	charge('recurringAdhocOrder'),
	charge('recurringCharge'),
	refund,
	reverse,
	checkoutPay,
];

const plain503 = { status: 503, html: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' };

export interface MoneyAttack {
	name: string;
	answers: ProxyAnswer[];
	/** sends the node may make at most (429s refused before RM count as sends) */
	maxSends: number;
	/**
	 * How the control shows the check can fail: `previous` runs the transport as it was before
	 * issue 9; `runAgain` runs the node again after its error, as "Retry On Fail" would.
	 */
	control: 'previous' | 'runAgain';
}

/**
 * The fault classes. Answers the proxy gives *before* RM are RM refusing (nothing done); answers
 * *after RM* come once RM has moved the money.
 */
export const MONEY_ATTACKS: MoneyAttack[] = [
	{
		name: '503 TOKEN_EXPIRED, then 503 after RM acted',
		answers: [{ refuse: { status: 503, body: rmErrorBody('TOKEN_EXPIRED') } }, { afterRm: plain503 }],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '503 TOKEN_EXPIRED, then 503 TOKEN_EXPIRED after RM acted',
		answers: [
			{ refuse: { status: 503, body: rmErrorBody('TOKEN_EXPIRED') } },
			{ afterRm: { status: 503, body: rmErrorBody('TOKEN_EXPIRED') } },
		],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '500 TOKEN_INVALID, then 500 TOKEN_INVALID after RM acted',
		answers: [
			{ refuse: { status: 500, body: rmErrorBody('TOKEN_INVALID') } },
			{ afterRm: { status: 500, body: rmErrorBody('TOKEN_INVALID') } },
		],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '400 TOKEN_EXPIRED, then 400 TOKEN_EXPIRED after RM acted',
		answers: [
			{ refuse: { status: 400, body: rmErrorBody('TOKEN_EXPIRED') } },
			{ afterRm: { status: 400, body: rmErrorBody('TOKEN_EXPIRED') } },
		],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '401, then 503 TOKEN_EXPIRED after RM acted',
		answers: [
			{ refuse: { status: 401, body: rmErrorBody('TOKEN_EXPIRED') } },
			{ afterRm: { status: 503, body: rmErrorBody('TOKEN_EXPIRED') } },
		],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '401, then 401 after RM acted',
		answers: [
			{ refuse: { status: 401, body: rmErrorBody('TOKEN_EXPIRED') } },
			{ afterRm: { status: 401, body: rmErrorBody('TOKEN_EXPIRED') } },
		],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '503 TOKEN_EXPIRED, then 429 after RM acted',
		answers: [
			{ refuse: { status: 503, body: rmErrorBody('TOKEN_EXPIRED') } },
			{ afterRm: { status: 429, body: rmErrorBody('TOO_MANY_REQUEST_PER_SECOND') } },
		],
		control: 'previous',
		maxSends: 2,
	},
	{
		name: '429 twice (refused), then 503 after RM acted',
		answers: [
			{ refuse: { status: 429, body: rmErrorBody('TOO_MANY_REQUEST_PER_SECOND') } },
			{ refuse: { status: 429, body: rmErrorBody('TOO_MANY_REQUEST_PER_SECOND') } },
			{ afterRm: plain503 },
		],
		control: 'runAgain',
		maxSends: 3,
	},
	{
		name: '502 after RM acted',
		answers: [{ afterRm: { status: 502, html: '<html><body>Bad Gateway</body></html>' } }],
		control: 'runAgain',
		maxSends: 1,
	},
	{
		name: 'Connection reset after RM acted',
		answers: [{ afterRm: 'reset' }],
		control: 'runAgain',
		maxSends: 1,
	},
	{
		name: '503 TOKEN_EXPIRED, then connection reset after RM acted',
		answers: [{ refuse: { status: 503, body: rmErrorBody('TOKEN_EXPIRED') } }, { afterRm: 'reset' }],
		control: 'runAgain',
		maxSends: 2,
	},
];

export interface AttackOutcome {
	sent: number;
	reachedRm: number;
	rmActs: number;
	/** requests that reached RM beyond the first: each one could have moved the money again */
	sentTwice: number;
	error?: { message: string; description: string; code?: string };
	leaked: string[];
	lost: number;
	runs: CaseRun[];
}

export interface AttackEnvironment {
	simulator: RevenueMonsterSimulator;
	proxy: MoneyProxy;
	issuedTokens: Set<string>;
	nodeType?: INodeType;
}

/**
 * Runs one operation under one attack, with "On Error → Continue (using error output)". With
 * `runAgainOnError`, a failed run is run once more, as n8n's "Retry On Fail" would (a control).
 */
export async function runMoneyAttack(
	env: AttackEnvironment,
	operation: MoneyOperation,
	attack: MoneyAttack,
	options: { runAgainOnError?: boolean } = {},
): Promise<AttackOutcome> {
	env.proxy.reset();
	const target = operation.prepare(env.simulator);
	env.proxy.attack('POST', target.path, attack.answers);
	const credentials = new InMemoryCredentialsHelper(simulatorCredentials(env.simulator, { apiBaseUrl: env.proxy.url }));
	const run = () =>
		runCase({
			simulator: env.simulator,
			issuedTokens: env.issuedTokens,
			credentials,
			parameters: target.parameters,
			items: [target.item],
			nodeType: env.nodeType,
		});
	const runs = [await run()];
	if (options.runAgainOnError && runs[0].errors.size > 0) runs.push(await run());
	const { sent, reachedRm } = env.proxy.sendsTo('POST', target.path);
	const last = runs[runs.length - 1];
	return {
		sent,
		reachedRm,
		rmActs: target.rmActs(),
		sentTwice: Math.max(0, reachedRm - 1),
		error: runs[0].errors.get(0),
		leaked: [...new Set(runs.flatMap((one) => one.leaked))],
		lost: last.items.lost.length,
		runs,
	};
}

/** What the suite requires of every case; a control is a case where this does not hold. */
export function attackHolds(outcome: AttackOutcome, attack: MoneyAttack): boolean {
	return (
		outcome.sent <= attack.maxSends &&
		outcome.sentTwice === 0 &&
		outcome.reachedRm <= 1 &&
		/^Outcome unknown/.test(outcome.error?.message ?? '') &&
		outcome.leaked.length === 0 &&
		outcome.lost === 0
	);
}
