/**
 * Issue #23 B1 in a real n8n: the weekly billing example (examples/weekly-billing.json, charge guard
 * 144 h), started by a webhook instead of its schedule, is started 2, 5 and 20 times at once for one
 * customer, and a 20-customer list twice at once. Every execution runs in the one n8n process (regular
 * mode), so the node's process-wide per-customer queue must let exactly one charge through per
 * customer; the simulator counts the charges. A control round with the guard off shows the executions
 * really overlap (more than one charge). Called once from scripts/e2e.ts while n8n is running.
 */
import { randomUUID } from 'crypto';

import type { RevenueMonsterSimulator } from '../../simulator/server';
import { seedBoundCustomer } from '../../support/reliability';
import type { Checklist } from '../lib/checklist';
import type { N8nInstance } from '../lib/n8n-instance';
import { waitFor } from '../lib/processes';
import { billingFor, nodeNamed, type Subscriber, type WorkflowJson } from '../lib/workflows';

export interface GuardConcurrencyContext {
	n8n: N8nInstance;
	simulator: RevenueMonsterSimulator;
	/** scratch folder for the CLI imports */
	workDir: string;
	list: Checklist;
}

interface Round {
	name: string;
	/** how many executions are started at once */
	executions: number;
	customers: string[];
	guard: boolean;
	workflow: WorkflowJson;
	path: string;
}

/** The billing example for these subscribers, started by POST /webhook/<path> (answered at once). */
function webhookBilling(id: string, path: string, subscribers: Subscriber[], baseUrl: string, guard: boolean): WorkflowJson {
	const workflow = billingFor(subscribers, baseUrl);
	workflow.id = id;
	workflow.name = `Guard concurrency: ${path}`;
	const triggers = new Set(['Every Monday 9:00', 'Run billing now']);
	workflow.nodes = workflow.nodes.filter((node) => !triggers.has(node.name));
	for (const name of triggers) delete workflow.connections[name];
	workflow.nodes.push({
		id: randomUUID(),
		name: 'Start billing',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		webhookId: randomUUID(),
		position: [0, 0],
	} as WorkflowJson['nodes'][number]);
	workflow.connections['Start billing'] = { main: [[{ node: 'Subscribers to bill', type: 'main', index: 0 }]] };
	if (!guard) nodeNamed(workflow, 'Charge saved card').parameters.options = {};
	return workflow;
}

export async function guardConcurrency({ n8n, simulator, workDir, list }: GuardConcurrencyContext): Promise<void> {
	list.section('server: the same billing started 2, 5 and 20 times at once (the charge guard across executions)');
	const stamp = Date.now().toString(36);
	const subscriber = (customerId: string): Subscriber => ({ customerId, email: `c-${customerId}@example.com`, plan: 'Weekly veg box', amountInCents: 2990 });
	const round = (name: string, executions: number, customerCount: number, guard = true): Round => {
		const customers = Array.from({ length: customerCount }, () => seedBoundCustomer(simulator));
		const path = `guard-${name}-${stamp}`;
		const workflow = webhookBilling(`rmGuard${name}${stamp}`.slice(0, 32), path, customers.map(subscriber), n8n.baseUrl, guard);
		return { name, executions, customers, guard, workflow, path };
	};
	const rounds = [round('two', 2, 1), round('five', 5, 1), round('twenty', 20, 1), round('list', 2, 20), round('off', 5, 1, false)];

	await n8n.importWorkflows(rounds.map((r) => r.workflow), workDir);
	for (const r of rounds) await n8n.publish(r.workflow.id);
	// The running n8n picks up a workflow published by the CLI by itself (within ~10-13 s, docs/SCALING.md).
	for (const r of rounds) {
		await waitFor(
			`the webhook ${r.path} to be registered`,
			async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/${r.path}`, { method: 'GET' });
				const text = await response.text();
				// Registered for POST only, n8n answers a GET naming that method; unregistered: "… is not registered."
				return /Did you mean to make a POST request/.test(text) ? true : undefined;
			},
			{ timeoutMs: 90_000, intervalMs: 1000, while: n8n.serverProcess },
		);
	}
	list.note(`${rounds.length} webhook-started copies of examples/weekly-billing.json published`);

	const chargesOf = (customerId: string) =>
		simulator.state.customerOrders.filter((order) => order.customerId === customerId && order.status === 'SUCCESS').length;
	for (const r of rounds) {
		const startedAt = Date.now();
		const answers = await Promise.all(
			Array.from({ length: r.executions }, async () => (await fetch(`${n8n.baseUrl}/webhook/${r.path}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status),
		);
		const executions = await waitFor(
			`${r.executions} executions of ${r.path} to finish`,
			async () => {
				const done = (await n8n.executions(r.workflow.id)).filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
				return done.length >= r.executions ? done : undefined;
			},
			{ timeoutMs: 180_000, intervalMs: 500, while: n8n.serverProcess },
		);
		const charges = r.customers.map(chargesOf);
		const total = charges.reduce((sum, count) => sum + count, 0);
		const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
		const detail = { answers, statuses: executions.map((execution) => execution.status), charges: total, seconds };
		if (r.guard) {
			list.check(
				`${r.executions} executions at once, ${r.customers.length} customer(s): each charged exactly once (${total} charges, ${seconds} s)`,
				answers.every((status) => status === 200) && charges.every((count) => count === 1),
				detail,
			);
		} else {
			list.check(
				`control, guard off: ${r.executions} executions at once charged the customer ${total} times (they really overlap)`,
				total > 1,
				detail,
			);
		}
	}
}
