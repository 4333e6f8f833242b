/**
 * The workflows the queue-mode run imports (published on import), built here rather than taken from
 * examples/: each starts from a production webhook (so its executions go through the queue to the
 * workers) and ends by reporting to the run's sink, so what every execution did is counted as it happens.
 */
import { createHash } from 'crypto';
import { existsSync } from 'fs';
import path from 'path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { REPO_ROOT } from '../lib/n8n-instance';
import { CREDENTIAL_ID, CREDENTIAL_NAME, type WorkflowJson, type WorkflowNode } from '../lib/workflows';

const RM = 'n8n-nodes-revenuemonster';
const credentials = { revenueMonsterApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

export const BILLING_PATH = 'queue-billing';
export const QR_PATH = 'queue-qr';
export const NOTIFY_WEBHOOK_ID = '7d2f9a44-1c3b-4e8a-9f61-2b8c5d0e4a17';
export const STORE_ID = '10946114768247530';

export const QUEUE_WORKFLOWS = {
	billing: 'rmQueueBilling01',
	notify: 'rmQueueNotify001',
	qr: 'rmQueueQrCode001',
	poll: 'rmQueuePolling01',
} as const;

/** A node ID as n8n makes them (a UUID: n8n's tables hold 36 characters), stable for a name. */
function nodeId(name: string): string {
	const hex = createHash('sha256').update(name).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function at(x: number): [number, number] {
	return [x * 260, 0];
}

function workflow(id: string, name: string, nodes: WorkflowNode[]): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, nodes, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

function webhook(name: string, pathName: string, webhookId: string): WorkflowNode {
	return {
		id: nodeId(`${webhookId}-node`),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
		webhookId,
		...{ position: at(0) },
	};
}

/** Last node: POST what the execution did to the sink (`route`). */
function report(route: string, sinkUrl: string, body: string, x: number): WorkflowNode {
	return {
		id: nodeId(`report-${route}`),
		name: 'Report to the test',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sinkUrl}/${route}`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify(${body}) }}`,
			options: {},
		},
		...{ position: at(x) },
	};
}

/**
 * Billing: a POST with `{customers: [{customerId, amountInCents}]}` charges each of them with
 * Order → Create (Concurrency `concurrency`), optionally behind the charge guard.
 */
export function billingWorkflow(sinkUrl: string, options: { concurrency: number; guardHours?: number }): WorkflowJson {
	return workflow(QUEUE_WORKFLOWS.billing, 'Queue mode: bill a batch of subscribers', [
		webhook('Batch to bill', BILLING_PATH, '2b7c1e90-5d4f-4a3b-8c2e-6f1a9d0b3e55'),
		{
			id: nodeId('split-customers'),
			name: 'One item per customer',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'body.customers', options: {} },
			...{ position: at(1) },
		},
		{
			id: nodeId('charge'),
			name: 'Charge saved card',
			type: `${RM}.revenueMonster`,
			typeVersion: 1,
			parameters: {
				resource: 'order',
				operation: 'create',
				customerId: '={{ $json.customerId }}',
				currency: 'MYR',
				amount: '={{ $json.amountInCents }}',
				route: 'customerOrder',
				additionalFields: { title: 'Queue-mode billing' },
				...(options.guardHours ? { options: { skipIfChargedWithinHours: options.guardHours } } : {}),
				requestOptions: { concurrency: options.concurrency },
			},
			credentials,
			...{ position: at(2) },
		},
		report(
			'billing',
			sinkUrl,
			'{ customerId: $json.payee?.userId ?? "", transactionId: $json.transactionId, status: $json.status, alreadyCharged: $json.alreadyCharged === true, executionId: $execution.id }',
			3,
		),
	]);
}

/** The table a downstream step claims event keys in (docs/SCALING.md: exactly once, downstream). */
export const EVENTS_TABLE = 'rm_payment_events';
export const POSTGRES_CREDENTIAL = { id: 'rmQueuePostgres1', name: 'Postgres (queue test)' };

/** The `eventKey` of an item, or, before the trigger emitted one, the same key built from the payment. */
const EVENT_KEY = '($json.eventKey || ("transaction:" + ($json.transaction?.transactionId ?? $json.data?.transactionId) + ":SUCCESS"))';

/**
 * Notifications: the trigger with its defaults. Each run reports to the sink (`notify`), and separately
 * claims its eventKey with a unique insert in Postgres; only a run whose insert took the key reports
 * `exact` (what a merchant does when a step must happen exactly once).
 */
export function notifyWorkflow(sinkUrl: string): WorkflowJson {
	const trigger: WorkflowNode = {
		id: nodeId('notify-trigger'),
		name: 'Payment notification',
		type: `${RM}.revenueMonsterTrigger`,
		typeVersion: 1,
		parameters: { events: ['PAYMENT_WEB_ONLINE', 'RECURRING_PAYMENT'], options: {} },
		credentials,
		webhookId: NOTIFY_WEBHOOK_ID,
		...{ position: at(0) },
	};
	const reportRun = report(
		'notify',
		sinkUrl,
		`{ transactionId: $json.transaction?.transactionId ?? $json.data?.transactionId ?? "", eventKey: $json.eventKey ?? "", executionId: $execution.id }`,
		1,
	);
	const claim: WorkflowNode = {
		id: nodeId('claim-event-key'),
		name: 'Claim event key',
		type: 'n8n-nodes-base.postgres',
		typeVersion: 2.5,
		parameters: {
			operation: 'executeQuery',
			query: `INSERT INTO ${EVENTS_TABLE} (event_key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_key`,
			options: { queryReplacement: `={{ ${EVENT_KEY} }}` },
		},
		credentials: { postgres: POSTGRES_CREDENTIAL },
		...{ position: at(1) },
	};
	const claimed: WorkflowNode = {
		id: nodeId('claimed'),
		name: 'Claimed here?',
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
				conditions: [
					{
						id: 'claimed-key',
						leftValue: '={{ $json.event_key }}',
						rightValue: '',
						operator: { type: 'string', operation: 'notEmpty', singleValue: true },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
		...{ position: at(2) },
	};
	const reportExact = {
		...report('exact', sinkUrl, '{ eventKey: $json.event_key, executionId: $execution.id }', 3),
		id: nodeId('report-exact'),
		name: 'Report exactly-once step',
	};
	const flow = workflow(QUEUE_WORKFLOWS.notify, 'Queue mode: payment notification', [
		trigger,
		reportRun,
		claim,
		claimed,
		reportExact,
	]);
	flow.connections = {
		[trigger.name]: {
			main: [
				[
					{ node: reportRun.name, type: 'main', index: 0 },
					{ node: claim.name, type: 'main', index: 0 },
				],
			],
		},
		[claim.name]: { main: [[{ node: claimed.name, type: 'main', index: 0 }]] },
		[claimed.name]: { main: [[{ node: reportExact.name, type: 'main', index: 0 }], []] },
	};
	return flow;
}

/** The Postgres credential of the exactly-once step. */
export function postgresCredential(database: { host: string; port: number; database: string; user: string; password: string }): object {
	return {
		...POSTGRES_CREDENTIAL,
		type: 'postgres',
		data: { ...database, ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 10 },
	};
}

/** Binary data: a checkout paid by QR code; the PNG is made on a worker. */
export function qrWorkflow(sinkUrl: string): WorkflowJson {
	return workflow(QUEUE_WORKFLOWS.qr, 'Queue mode: QR code on a worker', [
		webhook('QR requested', QR_PATH, '5e0a3c71-9b2d-4f6e-8a14-7c3d2e1f0b98'),
		{
			id: nodeId('create-checkout'),
			name: 'Create checkout',
			type: `${RM}.revenueMonster`,
			typeVersion: 1,
			parameters: {
				resource: 'checkout',
				operation: 'create',
				storeId: STORE_ID,
				type: 'WEB_PAYMENT',
				orderId: '={{ $json.body.orderId }}',
				orderTitle: 'Queue-mode QR',
				currency: 'MYR',
				amount: 1250,
				redirectUrl: 'http://127.0.0.1/paid',
				notifyUrl: `${sinkUrl}/unused-notify`,
				additionalFields: {},
			},
			credentials,
			...{ position: at(1) },
		},
		{
			id: nodeId('pay-qr'),
			name: 'QR code',
			type: `${RM}.revenueMonster`,
			typeVersion: 1,
			parameters: {
				resource: 'checkout',
				operation: 'pay',
				checkoutId: '={{ $json.checkoutId }}',
				mode: 'qrcode',
				method: 'TNG_MY',
				binaryPropertyName: 'qrCode',
			},
			credentials,
			...{ position: at(2) },
		},
		report('qr', sinkUrl, '{ checkoutId: $json.checkoutId ?? "", executionId: $execution.id }', 3),
	]);
}

/**
 * The polling transaction trigger, every minute (n8n refuses to activate a poller more often: "The
 * polling interval is too short"), reporting each item.
 */
export function pollingWorkflow(sinkUrl: string): WorkflowJson {
	return workflow(QUEUE_WORKFLOWS.poll, 'Queue mode: transaction poll', [
		{
			id: nodeId('poll-trigger'),
			name: 'Transactions',
			type: `${RM}.revenueMonsterTransactionTrigger`,
			typeVersion: 1,
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				statuses: ['FAILED'],
				options: {},
			},
			credentials,
			...{ position: at(0) },
		},
		report(
			'poll',
			sinkUrl,
			'{ transactionId: $json.transactionId ?? "", eventKey: $json.eventKey ?? "", executionId: $execution.id }',
			1,
		),
	]);
}

// ---------------------------------------------------------------------------------------------
// What the built package offers (other helpers add the charge guard and the polling trigger).

const DIST = path.join(REPO_ROOT, 'dist', 'nodes', 'RevenueMonster');

function descriptionOf(file: string, exportName: string): INodeTypeDescription | undefined {
	const full = path.join(DIST, file);
	if (!existsSync(full)) return undefined;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(full) as Record<string, new () => { description: INodeTypeDescription }>;
	return module[exportName] ? new module[exportName]().description : undefined;
}

function hasProperty(properties: INodeProperties[], name: string): boolean {
	return properties.some(
		(property) =>
			property.name === name ||
			hasProperty((property.options ?? []).filter((option): option is INodeProperties => 'type' in option), name),
	);
}

export function builtQueueFeatures(): { chargeGuard: boolean; transactionTrigger: boolean } {
	const node = descriptionOf('RevenueMonster.node.js', 'RevenueMonster');
	return {
		chargeGuard: node ? hasProperty(node.properties, 'skipIfChargedWithinHours') : false,
		transactionTrigger: existsSync(path.join(DIST, 'RevenueMonsterTransactionTrigger.node.js')),
	};
}

/**
 * The Redis credential an example's Redis node names (same ID and name, so the example imports as it
 * is), pointing at the run's Redis; database 1, apart from n8n's queue in database 0.
 */
export function redisCredential(workflow: WorkflowJson, port: number): object {
	const reference = workflow.nodes.map((node) => node.credentials?.redis).find(Boolean);
	if (!reference) throw new Error(`"${workflow.name}" has no node with a Redis credential`);
	return { ...reference, type: 'redis', data: { host: '127.0.0.1', port, database: 1, password: '', user: '', ssl: false } };
}
