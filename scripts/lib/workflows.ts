/**
 * The example workflows (examples/*.json) and the credentials they use, prepared for a local n8n that
 * talks to the simulator. The examples are what a user imports as-is; the only values changed here
 * are the ones a user would change too: the n8n address in notify URLs, the store, and the sample
 * subscriber list.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { SIMULATOR_KEYS } from '../../simulator/keys';
import { REPO_ROOT } from './n8n-instance';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The IDs and names the examples refer to. */
export const CREDENTIAL_ID = 'rmSimulatorCred1';
export const CREDENTIAL_NAME = 'Revenue Monster (simulator)';
export const FORM_LOGIN_ID = 'rmRefundFormAuth';
export const FORM_LOGIN_NAME = 'Refund form login';
/** The n8n address written in the examples' notify URLs (n8n's default). */
export const EXAMPLE_N8N_URL = 'http://localhost:5678';

export const WORKFLOWS = {
	billing: { file: 'weekly-billing.json', id: 'rmWeeklyBilling1' },
	checkoutLink: { file: 'checkout-link.json', id: 'rmCheckoutLink01' },
	notification: { file: 'payment-notification.json', id: 'rmPaymentNotify1' },
	refundForm: { file: 'refund-form.json', id: 'rmRefundForm0001' },
	dunning: { file: 'dunning.json', id: 'rmDunningFailed1' },
	// Imported unpublished: it needs a Redis credential ("Redis (claims)"), which dev and the e2e do not
	// have; test:queue runs it against a real Redis.
	notificationQueueMode: { file: 'payment-notification-queue-mode.json', id: 'rmPaymentQueue01' },
} as const;

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export function loadWorkflow(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.isAbsolute(file) ? file : path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

export function nodeNamed(workflow: WorkflowJson, name: string): WorkflowNode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`workflow "${workflow.name}" has no node "${name}"`);
	return node;
}

/** Replaces a text everywhere in the workflow's parameters (URLs, store IDs). */
export function replaceEverywhere(workflow: WorkflowJson, from: string, to: string): WorkflowJson {
	return JSON.parse(JSON.stringify(workflow).split(from).join(to)) as WorkflowJson;
}

/** The production notify URL of the payment notification workflow on an n8n at `baseUrl`. */
export function notifyUrl(baseUrl: string): string {
	const trigger = loadWorkflow(WORKFLOWS.notification.file).nodes.find(
		(node) => node.webhookId && node.type.endsWith('Trigger'),
	);
	return `${baseUrl}/webhook/${trigger!.webhookId}/notify`;
}

export function refundFormUrl(baseUrl: string): string {
	const form = nodeNamed(loadWorkflow(WORKFLOWS.refundForm.file), 'Refund request');
	return `${baseUrl}/form/${form.webhookId}`;
}

/** All examples, pointed at the n8n on `baseUrl`. */
export function preparedExamples(baseUrl: string): WorkflowJson[] {
	return Object.values(WORKFLOWS).map(({ file }) => replaceEverywhere(loadWorkflow(file), EXAMPLE_N8N_URL, baseUrl));
}

export interface Subscriber {
	customerId: string;
	email: string;
	plan: string;
	amountInCents: number;
}

/** The billing example with its sample subscriber list replaced (what a user does with their own list). */
export function billingFor(subscribers: Subscriber[], baseUrl: string): WorkflowJson {
	const workflow = replaceEverywhere(loadWorkflow(WORKFLOWS.billing.file), EXAMPLE_N8N_URL, baseUrl);
	const code = nodeNamed(workflow, 'Subscribers to bill');
	const source = String(code.parameters.jsCode);
	const header = source.slice(0, source.indexOf('return ['));
	const rows = subscribers.map((subscriber) => `  { json: ${JSON.stringify(subscriber)} },`);
	code.parameters.jsCode = `${header}return [\n${rows.join('\n')}\n];\n`;
	return workflow;
}

/**
 * The credentials the examples use, for `n8n import:credentials`: Revenue Monster (environment "custom",
 * the simulator at `simulatorUrl`, with its demo keys) and the refund form's login.
 */
export function credentialsFor(simulatorUrl: string, formLogin: { user: string; password: string }): object[] {
	return [
		{
			id: CREDENTIAL_ID,
			name: CREDENTIAL_NAME,
			type: 'revenueMonsterApi',
			data: {
				environment: 'custom',
				apiBaseUrl: simulatorUrl,
				oauthBaseUrl: simulatorUrl,
				clientId: SIMULATOR_KEYS.clientId,
				clientSecret: SIMULATOR_KEYS.clientSecret,
				privateKey: SIMULATOR_KEYS.merchantPrivateKey,
				serverPublicKey: SIMULATOR_KEYS.serverPublicKey,
			},
		},
		{ id: FORM_LOGIN_ID, name: FORM_LOGIN_NAME, type: 'httpBasicAuth', data: formLogin },
	];
}

// ---------------------------------------------------------------------------------------------
// What the built package offers, so a step whose operation is not built yet is skipped by name.

const NODE_FILE = path.join(REPO_ROOT, 'dist', 'nodes', 'RevenueMonster', 'RevenueMonster.node.js');
const TRIGGER_FILE = path.join(REPO_ROOT, 'dist', 'nodes', 'RevenueMonster', 'RevenueMonsterTrigger.node.js');

/** `resource.operation` pairs the built action node offers, and whether the trigger is built. */
export function builtFeatures(): { operations: Set<string>; trigger: boolean } {
	const operations = new Set<string>();
	if (existsSync(NODE_FILE)) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { RevenueMonster } = require(NODE_FILE) as {
			RevenueMonster: new () => { description: INodeTypeDescription };
		};
		for (const property of new RevenueMonster().description.properties as INodeProperties[]) {
			const resources = property.displayOptions?.show?.resource as string[] | undefined;
			if (property.name !== 'operation' || !resources) continue;
			for (const option of property.options ?? []) {
				for (const resource of resources) operations.add(`${resource}.${String((option as { value: string }).value)}`);
			}
		}
	}
	return { operations, trigger: existsSync(TRIGGER_FILE) };
}

/** What a workflow needs from the package: its action operations and whether it uses the trigger. */
export function featuresUsed(workflow: WorkflowJson): { operations: string[]; trigger: boolean } {
	const operations = workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-revenuemonster.revenueMonster')
		.map((node) => `${String(node.parameters.resource)}.${String(node.parameters.operation)}`);
	const trigger = workflow.nodes.some((node) => node.type === 'n8n-nodes-revenuemonster.revenueMonsterTrigger');
	return { operations: [...new Set(operations)], trigger };
}

/** Why a workflow cannot run with the built package yet, or undefined when it can. */
export function missingFeatures(workflow: WorkflowJson, built = builtFeatures()): string | undefined {
	const used = featuresUsed(workflow);
	const missing = used.operations.filter((operation) => !built.operations.has(operation));
	if (used.trigger && !built.trigger) missing.push('the Revenue Monster Trigger node');
	return missing.length > 0 ? `not in the built package yet: ${missing.join(', ')}` : undefined;
}
