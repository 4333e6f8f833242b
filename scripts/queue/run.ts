/**
 * `npm run test:queue`: the package in n8n's queue mode, measured. It starts, on 127.0.0.1 only, a
 * throwaway Postgres and Redis (Debian packages, installed with apt-get when missing and run as root),
 * the Revenue Monster simulator, and the pinned n8n as main + 2 workers + 2 webhook processes behind a
 * round-robin proxy, then measures:
 * - billing: 200 subscribers billed by 10 executions at once, spread over both workers, with the node's
 *   Concurrency 4: charges per customer, tokens issued, wall time; then again behind the charge guard;
 * - notifications: 100 payments each notified 3 times, copies alternating between the 2 webhook
 *   processes, simultaneous / 100 ms / 1 s / 5 s apart: runs per payment;
 * - polling: the transaction trigger polls once per interval across the cluster (when it is built);
 * - binary data: a QR code made on a worker is read back from the main process's REST API.
 * It prints every figure and ends with one summary line; it exits non-zero when a customer is charged
 * twice, or a payment runs more often than docs/SCALING.md says it can. Every process it starts is
 * stopped by its id, also on failure or Ctrl-C. Scratch files and logs: `.queue/run-<pid>/`.
 *
 * To iterate in a few minutes: `npm run test:queue -- --only notifications --payments 10` runs one part
 * (billing, notifications, binary, polling) with fewer payments per spacing.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

import { prepareNotification } from '../../simulator/notify';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';
import type { Customer, Json } from '../../simulator/state';
import { Checklist } from '../lib/checklist';
import { REPO_ROOT, packPackage, withoutNpmConfig } from '../lib/n8n-instance';
import { ensureN8nRuntime } from '../lib/n8n-runtime';
import { LocalPostgres } from '../lib/postgres';
import { LocalRedis } from '../lib/redis';
import { freePort, runCommand, sleep, stopAll, stopAllOnExit, waitFor } from '../lib/processes';
import { credentialsFor } from '../lib/workflows';
import { QueueCluster } from './cluster';
import { RoundRobinProxy, Sink } from './proxy';
import {
	BILLING_PATH,
	EVENTS_TABLE,
	NOTIFY_WEBHOOK_ID,
	QR_PATH,
	QUEUE_WORKFLOWS,
	billingWorkflow,
	builtQueueFeatures,
	notifyWorkflow,
	pollingWorkflow,
	postgresCredential,
	qrWorkflow,
} from './workflows';

const QUEUE_DIR = path.join(REPO_ROOT, '.queue');
const WORK_DIR = path.join(QUEUE_DIR, `run-${process.pid}`);
const OWNER = { email: 'queue@example.com', password: 'Queue-owner-password-1', firstName: 'Queue', lastName: 'Runner' };

const CUSTOMERS = 200;
const BATCHES = 10;
const NODE_CONCURRENCY = 4;
const WORKER_CONCURRENCY = 5;
const PARTS = ['billing', 'notifications', 'binary', 'polling'] as const;
const OPTIONS = parseOptions(process.argv.slice(2));
const PAYMENTS = OPTIONS.payments;
const COPIES = 3;
/** Payments start this far apart (100 in 20 s); the copies of one payment keep their spacing. */
const PAYMENT_STAGGER_MS = 200;
/** RM resends a notification until it gets a 200; here up to 5 more times, 2 s apart. */
const RESENDS = 5;
const RESEND_AFTER_MS = 2_000;
export const SPACINGS: Array<{ label: string; ms: number }> = [
	{ label: 'simultaneous', ms: 0 },
	{ label: '100ms', ms: 100 },
	{ label: '1s', ms: 1000 },
	{ label: '5s', ms: 5000 },
];
/**
 * The most runs one payment may start (docs/SCALING.md, "Notifications"): one per webhook process that
 * receives a copy before the first accepted copy is saved to the database, whatever the spacing; how
 * often that happens depends on how long a process takes to accept one, and is measured, not promised.
 */
const WEBHOOK_PROCESSES = 2;

const list = new Checklist();
let simulator: RevenueMonsterSimulator | undefined;
let cluster: QueueCluster | undefined;
let postgres: LocalPostgres | undefined;
let redis: LocalRedis | undefined;
const proxy: { server?: RoundRobinProxy } = {};
const sink = new Sink();

interface Figures {
	charged: number;
	twice: number;
	tokens: number;
	runs: Record<string, number>;
	worst: Record<string, number>;
}
const figures: Figures = { charged: 0, twice: -1, tokens: -1, runs: {}, worst: {} };
/** Tokens issued before the workflows were published (none: the credential starts without one). */
let tokensAtPublish = 0;

async function main(): Promise<void> {
	const stopEverything = async () => {
		await cluster?.stop();
		await proxy.server?.stop();
		await sink.stop();
		await simulator?.stop();
		await redis?.stop();
		await postgres?.stop();
	};
	stopAllOnExit(stopEverything);
	const started = Date.now();
	let crashed = false;
	try {
		await run();
	} catch (error) {
		crashed = true;
		list.check('the queue-mode run went to the end', false, (error as Error).stack ?? (error as Error).message);
	} finally {
		await stopEverything().catch(() => undefined);
		await stopAll();
	}
	if (crashed) console.log(`logs: ${WORK_DIR}`);
	list.note(`wall time of the whole run: ${Math.round((Date.now() - started) / 1000)} s`);
	const ok = list.summary();
	console.log(summaryLine());
	process.exit(ok ? 0 : 1);
}

function summaryLine(): string {
	const runs = SPACINGS.map(({ label }) => figures.runs[label]);
	const total = runs.every((value) => value !== undefined) ? runs.reduce((a, b) => a + b, 0) : 'n/a';
	const spacing = SPACINGS.map(({ label }) => `${label}: ${figures.runs[label] ?? 'n/a'}`).join(', ');
	const charged = OPTIONS.only === undefined || OPTIONS.only === 'billing' ? `${figures.charged}/${CUSTOMERS}` : 'n/a (billing not run)';
	return (
		`queue mode: ${charged} customers charged exactly once, ${figures.twice < 0 ? 'n/a' : figures.twice} duplicate charges, ` +
		`${figures.tokens < 0 ? 'n/a' : figures.tokens} tokens, ${total} runs for ${PAYMENTS} payments (${spacing})`
	);
}

async function run(): Promise<void> {
	list.section('n8n runtime, package');
	const runtime = await ensureN8nRuntime((line) => list.note(line));
	removeFinishedRuns();
	mkdirSync(WORK_DIR, { recursive: true });
	await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT, env: withoutNpmConfig(), timeoutMs: 300_000 });
	const tarball = await packPackage(WORK_DIR);
	const features = builtQueueFeatures();
	list.note(
		`built: charge guard ${features.chargeGuard ? 'yes' : 'no'}, transaction trigger ${features.transactionTrigger ? 'yes' : 'no'}`,
	);

	list.section('Postgres, Redis, simulator (127.0.0.1 only)');
	// Postgres runs as the `postgres` user when this is root: its folder must not sit under a mode-700 home.
	const dbDir = path.join(os.tmpdir(), `n8n-rm-queue-${process.pid}`);
	rmSync(dbDir, { recursive: true, force: true });
	postgres = await LocalPostgres.prepare(dbDir, await freePort(), (line) => list.note(line));
	const database = await postgres.start({
		database: 'n8n',
		user: 'n8n',
		password: 'n8n-queue-test',
		logFile: path.join(WORK_DIR, 'postgres.log'),
	});
	list.note(`Postgres ${database.version} on 127.0.0.1:${database.port} (pid ${postgres.pid}, data in ${dbDir})`);
	await LocalRedis.install((line) => list.note(line));
	redis = new LocalRedis(await freePort(), path.join(WORK_DIR, 'redis'));
	await redis.start(path.join(WORK_DIR, 'redis.log'));
	list.note(`Redis on 127.0.0.1:${redis.port} (pid ${redis.pid})`);
	simulator = await startSimulator({ port: await freePort(), autoNotify: false });
	await sink.start();
	list.note(`simulator ${simulator.url}; the workflows report to ${sink.url}`);

	list.section('n8n in queue mode: main, 2 workers, 2 webhook processes');
	const proxyPort = await freePort();
	const webhookBaseUrl = `http://127.0.0.1:${proxyPort}`;
	cluster = await QueueCluster.create(
		{
			runtime,
			dir: WORK_DIR,
			owner: OWNER,
			encryptionKey: 'rm-queue-encryption-key-not-a-secret',
			database,
			redisPort: redis.port,
			webhookBaseUrl,
			workerConcurrency: WORKER_CONCURRENCY,
		},
		{ workers: 2, webhooks: WEBHOOK_PROCESSES },
	);
	proxy.server = new RoundRobinProxy(cluster.webhooks.map((process) => process.baseUrl));
	await proxy.server.start(proxyPort);
	await cluster.installPackage(tarball);
	const workflows = [
		billingWorkflow(sink.url, { concurrency: NODE_CONCURRENCY, guardHours: features.chargeGuard ? 24 : undefined }),
		notifyWorkflow(sink.url),
		qrWorkflow(sink.url),
		...(features.transactionTrigger ? [pollingWorkflow(sink.url)] : []),
	];
	const importStarted = Date.now();
	await cluster.main.importCredentials(
		[...credentialsFor(simulator.url, { user: 'unused', password: 'unused' }), postgresCredential(database)],
		WORK_DIR,
	);
	await postgres.psql(['-c', `create table ${EVENTS_TABLE} (event_key text primary key)`, '-c', `alter table ${EVENTS_TABLE} owner to ${database.user}`], database.database);
	await cluster.main.importWorkflows(workflows, WORK_DIR);
	list.note(`database migrated, credential and ${workflows.length} workflows imported in ${Math.round((Date.now() - importStarted) / 1000)} s`);
	await cluster.start((line) => list.note(line));
	tokensAtPublish = simulator.stats.tokensIssued;
	await cluster.main.publishViaRest(workflows.map((workflow) => workflow.id));
	list.note('workflows published on main (REST API, as the editor does)');
	if (features.transactionTrigger) startPolling();
	await waitForWebhooks();

	const runs = (part: (typeof PARTS)[number]) => OPTIONS.only === undefined || OPTIONS.only === part;
	if (runs('billing')) await billing(features);
	if (runs('notifications')) await notifications();
	if (runs('binary')) await binaryData();
	if (!runs('polling')) return;
	if (features.transactionTrigger) await polling();
	else list.skip('polling once per interval across the cluster', 'the Revenue Monster Transaction Trigger is not in the built package yet');
	if (OPTIONS.only === undefined) await stillOneToken();
}

/** `--only <part>` and `--payments <n>` (per spacing; 100 by default). */
function parseOptions(args: string[]): { only?: (typeof PARTS)[number]; payments: number } {
	const options: { only?: (typeof PARTS)[number]; payments: number } = { payments: 100 };
	for (let index = 0; index < args.length; index++) {
		const [name, value] = [args[index], args[index + 1]];
		if (name === '--only' && (PARTS as readonly string[]).includes(value)) options.only = value as (typeof PARTS)[number];
		else if (name === '--payments' && /^[1-9]\d{0,3}$/.test(value ?? '')) options.payments = Number(value);
		else throw new Error(`unknown option ${name} ${value ?? ''}: use --only ${PARTS.join('|')} and --payments <1-9999>`);
		index++;
	}
	return options;
}

/** Every webhook process serves the published webhooks (the notify URL refuses an unsigned GET with 401). */
async function waitForWebhooks(): Promise<void> {
	for (const process of cluster!.webhooks) {
		const url = `${process.baseUrl}/webhook/${NOTIFY_WEBHOOK_ID}/notify`;
		const status = await waitFor(
			`${process.label} to serve the published trigger`,
			async () => {
				const answer = (await fetch(url)).status;
				return answer === 404 ? undefined : answer;
			},
			{ timeoutMs: 120_000, intervalMs: 1_000 },
		);
		list.check(`${process.label} serves the trigger's production URL (unsigned GET → ${status})`, status === 401, status);
	}
}

// -------------------------------------------------------------------------------------------
// Billing

function addCustomers(count: number): Customer[] {
	const now = new Date().toISOString();
	const customers: Customer[] = [];
	for (let i = 0; i < count; i++) {
		const id = simulator!.state.nextId();
		const customer: Customer = {
			id,
			kind: 'tokenized',
			isActive: true,
			bound: true,
			storeId: '10946114768247530',
			email: `subscriber-${i}@example.com`,
			name: `Subscriber ${i}`,
			countryCode: '60',
			phoneNumber: '0123456789',
			productName: 'Weekly box',
			productDescription: 'Queue-mode billing',
			redirectUrl: 'http://127.0.0.1/bound',
			notifyUrl: '',
			paymentUrl: `${simulator!.url}/sim/bind/${id}`,
			label: '411111******1111',
			createdAt: now,
			updatedAt: now,
		};
		simulator!.state.customers.set(id, customer);
		customers.push(customer);
	}
	return customers;
}

/** `Worker started execution` lines in each worker's output so far. */
function executionsPerWorker(): number[] {
	return cluster!.workers.map((worker) => (worker.output().match(/Worker started execution/g) ?? []).length);
}

async function billOnce(customers: Customer[], label: string): Promise<{ orders: number; ms: number; perWorker: number[] }> {
	const before = executionsPerWorker();
	const ordersBefore = simulator!.state.customerOrders.length;
	const reportsBefore = sink.on('billing').length;
	const size = Math.ceil(customers.length / BATCHES);
	const started = Date.now();
	const answers = await Promise.all(
		Array.from({ length: BATCHES }, (_, batch) =>
			fetch(`${proxy.server!.url}/webhook/${BILLING_PATH}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					customers: customers
						.slice(batch * size, (batch + 1) * size)
						.map((customer) => ({ customerId: customer.id, amountInCents: 2990 })),
				}),
			}).then((response) => response.status),
		),
	);
	list.check(`${label}: ${BATCHES} batches accepted by the webhook processes (200)`, answers.every((status) => status === 200), answers);
	await waitFor(
		`${label}: a report for each of the ${customers.length} customers`,
		async () => (sink.on('billing').length - reportsBefore >= customers.length ? true : undefined),
		{ timeoutMs: 300_000, intervalMs: 200 },
	);
	const ms = Date.now() - started;
	await sleep(500);
	const after = executionsPerWorker();
	return {
		orders: simulator!.state.customerOrders.length - ordersBefore,
		ms,
		perWorker: after.map((count, index) => count - before[index]),
	};
}

async function billing(features: { chargeGuard: boolean; transactionTrigger: boolean }): Promise<void> {
	const { chargeGuard } = features;
	list.section(
		`billing: ${CUSTOMERS} subscribers, ${BATCHES} executions at once through the proxy, worker concurrency ${WORKER_CONCURRENCY}, node Concurrency ${NODE_CONCURRENCY}${chargeGuard ? ', charge guard 24 h' : ''}`,
	);
	const customers = addCustomers(CUSTOMERS);
	const tokensBefore = simulator!.stats.tokensIssued;
	const first = await billOnce(customers, 'first run');
	const perCustomer = new Map<string, number>();
	for (const order of simulator!.state.customerOrders) {
		if (order.status === 'SUCCESS') perCustomer.set(order.customerId, (perCustomer.get(order.customerId) ?? 0) + 1);
	}
	const once = customers.filter((customer) => perCustomer.get(customer.id) === 1).length;
	const twice = customers.filter((customer) => (perCustomer.get(customer.id) ?? 0) > 1).length;
	const never = customers.filter((customer) => !perCustomer.has(customer.id)).length;
	figures.charged = once;
	figures.twice = twice;
	// Counted from publishing: main's transaction trigger polls once on activation and may fetch the
	// first token, which the workers then find in the credential in Postgres.
	figures.tokens = simulator!.stats.tokensIssued - tokensAtPublish;
	list.note(
		`first run: ${first.orders} charges in ${(first.ms / 1000).toFixed(1)} s wall time; executions per worker ${first.perWorker.join(' / ')}; ${simulator!.stats.tokensIssued - tokensBefore} tokens issued during it, ${figures.tokens} since publishing`,
	);
	list.check(`every customer charged exactly once (${once}/${CUSTOMERS})`, once === CUSTOMERS, { once, twice, never });
	list.check('nobody charged twice', twice === 0, twice);
	list.check(
		'the executions ran on both workers',
		first.perWorker.length === 2 && first.perWorker.every((count) => count > 0),
		first.perWorker,
	);
	// The token lives in the credential in Postgres; each process that calls RM before any has saved one
	// fetches its own: the workers, and main when its poller runs first.
	const callers = cluster!.workers.length + (features.transactionTrigger ? 1 : 0);
	list.check(
		`at most one token per process calling RM (${figures.tokens} for ${cluster!.workers.length} workers${features.transactionTrigger ? ' and main’s poller' : ''})`,
		figures.tokens >= 1 && figures.tokens <= callers,
		figures.tokens,
	);

	if (!chargeGuard) {
		list.skip('second run behind the charge guard charges nobody', 'Order → Create has no skipIfChargedWithinHours in the built package yet');
		return;
	}
	const second = await billOnce(customers, 'second run (charge guard)');
	const guarded = sink.on('billing').slice(-CUSTOMERS);
	list.note(`second run: ${second.orders} charges in ${(second.ms / 1000).toFixed(1)} s; executions per worker ${second.perWorker.join(' / ')}`);
	list.check('the second run charges nobody', second.orders === 0, second.orders);
	list.check(
		'and reports every customer as already charged',
		guarded.length === CUSTOMERS && guarded.every((record) => record.body.alreadyCharged === true),
		guarded.filter((record) => record.body.alreadyCharged !== true).slice(0, 3),
	);
}

// -------------------------------------------------------------------------------------------
// Notifications

function addPayments(count: number, tag: string): Json[] {
	const payments: Json[] = [];
	for (let i = 0; i < count; i++) {
		const transaction = simulator!.state.addTransaction({
			orderId: `Q${tag}${String(i).padStart(3, '0')}${Date.now() % 100000}`.slice(0, 24),
			title: 'Queue-mode payment',
			amount: 1000 + i,
			currency: 'MYR',
			type: 'WEB_PAYMENT',
			method: 'FPX',
			source: 'WEB_PAYMENT',
			storeId: '10946114768247530',
			status: 'SUCCESS',
		});
		payments.push(transaction as unknown as Json);
	}
	return payments;
}

async function notifications(): Promise<void> {
	list.section(
		`notifications: ${PAYMENTS} payments × ${COPIES} copies, alternating between the ${cluster!.webhooks.length} webhook processes`,
	);
	const urls = cluster!.webhooks.map((process) => `${process.baseUrl}/webhook/${NOTIFY_WEBHOOK_ID}/notify`);
	// Last, the control of the one-process guarantee: every copy on the same webhook process.
	const pinned = { label: 'simultaneous, one process', ms: 0, pinned: true };
	for (const { label, ms, pinned: onOneProcess } of [...SPACINGS.map((spacing) => ({ ...spacing, pinned: false })), pinned]) {
		const payments = addPayments(PAYMENTS, label.replace(/\W/g, '').slice(0, 6));
		const ids = new Set(payments.map((payment) => String(payment.transactionId)));
		const statuses: Array<number | string> = [];
		let resent = 0;
		/** how long each 200 took: n8n answers an accepted copy after saving the static data */
		const answerMs: number[] = [];
		const started = Date.now();
		await Promise.all(
			payments.map(async (payment, index) => {
				await sleep(index * PAYMENT_STAGGER_MS);
				const body: Json = { eventType: 'PAYMENT_WEB_ONLINE', data: payment };
				const copies: Array<Promise<void>> = [];
				for (let copy = 0; copy < COPIES; copy++) {
					// Copy k of payment i goes to process (i + k) mod n: consecutive copies on different processes.
					const url = onOneProcess ? urls[0] : urls[(index + copy) % urls.length];
					copies.push(
						sleep(copy * ms).then(async () => {
							// As RM does: a copy not answered 200 is sent again a little later.
							for (let attempt = 1; ; attempt++) {
								const sentAt = Date.now();
								const status = await sendNotification(url, body);
								statuses.push(status);
								if (status === 200) answerMs.push(Date.now() - sentAt);
								if (status === 200 || attempt === RESENDS + 1) break;
								resent++;
								await sleep(RESEND_AFTER_MS);
							}
						}),
					);
				}
				await Promise.all(copies);
			}),
		);
		// Runs already queued finish on the workers: wait until none is left and no new report came for 3 s.
		let last = -1;
		let changedAt = Date.now();
		await waitFor(
			`${label}: the runs to settle`,
			async () => {
				const count = sink.on('notify').filter((record) => ids.has(String(record.body.transactionId))).length;
				if (count !== last) {
					last = count;
					changedAt = Date.now();
					return undefined;
				}
				const quietMs = Date.now() - changedAt;
				// An execution n8n failed to queue stays "new" forever: after 30 s quiet, stop waiting for it.
				return quietMs >= 30_000 || (quietMs >= 3_000 && (await unfinishedExecutions()) === 0) ? true : undefined;
			},
			{ timeoutMs: 300_000, intervalMs: 1_000 },
		);
		const runs = new Map<string, number>();
		for (const record of sink.on('notify')) {
			const id = String(record.body.transactionId);
			if (ids.has(id)) runs.set(id, (runs.get(id) ?? 0) + 1);
		}
		const total = [...runs.values()].reduce((a, b) => a + b, 0);
		const histogram = new Map<number, number>();
		for (const id of ids) histogram.set(runs.get(id) ?? 0, (histogram.get(runs.get(id) ?? 0) ?? 0) + 1);
		const worst = Math.max(0, ...runs.values());
		if (!onOneProcess) {
			figures.runs[label] = total;
			figures.worst[label] = worst;
		}
		const answered = countBy(statuses);
		list.note(
			`${label}: ${total} runs for ${PAYMENTS} payments in ${((Date.now() - started) / 1000).toFixed(1)} s; payments by runs: ${[...histogram.entries()]
				.sort(([a], [b]) => a - b)
				.map(([n, payments]) => `${n} run${n === 1 ? '' : 's'} × ${payments}`)
				.join(', ')}; ${resent} copies resent after a non-200; answers ${Object.entries(answered)
				.map(([status, n]) => `${status} × ${n}`)
				.join(', ')}; a 200 took ${percentile(answerMs, 50)} ms (median), ${percentile(answerMs, 90)} ms (90th percentile)`,
		);
		list.check(`${label}: every payment started at least one run`, (histogram.get(0) ?? 0) === 0, histogram.get(0));
		const bound = onOneProcess ? 1 : WEBHOOK_PROCESSES;
		list.check(
			onOneProcess
				? `${label}: exactly one run per payment when the copies reach one process (worst ${worst})`
				: `${label}: no payment ran more often than there are webhook processes (${WEBHOOK_PROCESSES}; worst ${worst})`,
			worst <= bound,
			worst,
		);
		const runIds = new Set(sink.on('notify').filter((r) => ids.has(String(r.body.transactionId))).map((r) => String(r.body.executionId)));
		const exact = sink.on('exact').filter((record) => runIds.has(String(record.body.executionId)));
		const exactPerKey = countBy(exact.map((record) => String(record.body.eventKey)));
		list.check(
			`${label}: the downstream step keyed by eventKey (a unique insert in Postgres) ran exactly once per payment (${exact.length})`,
			exact.length === PAYMENTS && Object.values(exactPerKey).every((n) => n === 1),
			{ exact: exact.length, keys: Object.keys(exactPerKey).length },
		);
		const keys = sink.on('notify').filter((record) => ids.has(String(record.body.transactionId)));
		if (keys.some((record) => record.body.eventKey)) {
			const perPayment = new Map<string, Set<string>>();
			for (const record of keys) {
				const id = String(record.body.transactionId);
				perPayment.set(id, (perPayment.get(id) ?? new Set()).add(String(record.body.eventKey)));
			}
			list.check(
				`${label}: every run carries an eventKey, the same for every run of one payment`,
				keys.every((record) => record.body.eventKey) && [...perPayment.values()].every((set) => set.size === 1),
			);
		}
	}
	await staticDataModel(urls[0]);
	await reportSavedPayments();
}

/** The payment keys in the trigger's static data in Postgres. */
async function savedPaymentKeys(): Promise<string[]> {
	const text = await postgres!.psql(['-c', `select "staticData" from workflow_entity where id = '${QUEUE_WORKFLOWS.notify}'`], 'n8n');
	const staticData = (text.trim() ? JSON.parse(text) : {}) as Record<string, { acceptedPayments?: string[] } | null>;
	return Object.values(staticData).flatMap((node) => node?.acceptedPayments ?? []);
}

/**
 * What docs/SCALING.md says of n8n 2.41, checked on this cluster: what a webhook request that starts a
 * run writes to static data is not saved (once the workflow has static data), what an answer without a
 * run writes is; the trigger therefore saves a payment with the next duplicate it answers.
 */
async function staticDataModel(url: string): Promise<void> {
	const [payment] = addPayments(1, 'model');
	const key = `transaction:${String(payment.transactionId)}:SUCCESS`;
	const body: Json = { eventType: 'PAYMENT_WEB_ONLINE', data: payment };
	const first = await sendNotification(url, body);
	await waitFor('the model payment to run', async () => sink.on('notify').some((r) => r.body.transactionId === payment.transactionId) || undefined, {
		timeoutMs: 120_000,
		intervalMs: 500,
	});
	const afterRun = (await savedPaymentKeys()).includes(key);
	const second = await sendNotification(url, body);
	const afterDuplicate = (await savedPaymentKeys()).includes(key);
	const runs = sink.on('notify').filter((r) => r.body.transactionId === payment.transactionId).length;
	list.note(
		`static data after the payment's run: ${afterRun ? 'has it (this n8n saves what a run writes)' : 'lacks it (n8n dropped what the run wrote)'}; after a duplicate on the same process: ${afterDuplicate ? 'has it' : 'lacks it'}`,
	);
	list.check(
		'a duplicate answered without a run saves the payment to the static data, and starts no run',
		first === 200 && second === 200 && afterDuplicate && runs === 1,
		{ first, second, afterRun, afterDuplicate, runs },
	);
}

/**
 * How many of the accepted payments the trigger's static data in Postgres holds: n8n 2.41 keeps what a
 * webhook request that starts no run writes, and drops what one that starts a run writes once the
 * workflow has static data (docs/SCALING.md); the trigger's no-run answers write what is missing.
 */
async function reportSavedPayments(): Promise<void> {
	const saved = (await savedPaymentKeys()).filter((key) => key.startsWith('transaction:'));
	const accepted = new Set(sink.on('notify').map((record) => String(record.body.transactionId)));
	list.note(`the trigger's static data in Postgres holds ${saved.length} of the ${accepted.size} payments that started a run`);
}

/**
 * Signs a notification as RM's server does (fresh nonce and time, like each of RM's resends) and POSTs
 * it. The simulator's own sender gives up after 30 s; a loaded machine's webhook process can take longer.
 */
function sendNotification(url: string, body: Json): Promise<number | string> {
	const prepared = prepareNotification(simulator!.serverPrivateKey, body, 'signed', 'POST', Date.now());
	return new Promise((resolve) => {
		const request = http.request(
			url,
			{ method: 'POST', headers: { ...prepared.headers, 'Content-Length': Buffer.byteLength(prepared.rawBody).toString() }, timeout: 180_000 },
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			},
		);
		request.on('timeout', () => request.destroy(new Error('timed out')));
		request.on('error', () => resolve('no answer'));
		request.end(prepared.rawBody);
	});
}

/** Executions queued or running anywhere in the cluster (from Postgres). */
async function unfinishedExecutions(): Promise<number> {
	const count = await postgres!.psql(['-c', "select count(*) from execution_entity where status in ('new', 'running')"], 'n8n');
	return Number(count.trim());
}

function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function countBy(values: Array<number | string>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

// -------------------------------------------------------------------------------------------
// Binary data and polling

/** The owner's session on main (REST API), for raw binary data. */
async function mainSession(): Promise<string> {
	const response = await fetch(`${cluster!.main.baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'browser-id': 'queue-run' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`could not log in to main (${response.status})`);
	return cookie.split(';')[0];
}

async function binaryData(): Promise<void> {
	list.section('binary data: a QR code made on a worker, read from the main process');
	const before = executionsPerWorker();
	const answer = await fetch(`${proxy.server!.url}/webhook/${QR_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ orderId: `QR${Date.now()}`.slice(0, 24) }),
	});
	list.check('the QR request was accepted by a webhook process', answer.status === 200, answer.status);
	const [report] = await waitFor('the QR execution to report', async () => sink.on('qr')[0] && sink.on('qr'), {
		timeoutMs: 60_000,
		intervalMs: 200,
	});
	await sleep(1_000);
	const ranOn = executionsPerWorker().map((count, index) => count - before[index]);
	list.note(`executions per worker for the QR run: ${ranOn.join(' / ')}`);
	const executionId = String(report.body.executionId);
	const execution = await waitFor(
		'the QR execution to be saved as finished',
		async () => {
			const found = await cluster!.main.execution(executionId).catch(() => undefined);
			return found && found.status === 'success' ? found : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 500 },
	);
	const runs = execution.data?.resultData.runData['QR code'] ?? [];
	const item = runs[0]?.data?.main?.[0]?.[0] as
		| { binary?: Record<string, { id?: string; mimeType?: string; fileSize?: string | number }> }
		| undefined;
	const file = item?.binary?.qrCode;
	list.check(
		`the QR code is stored as binary data in Postgres (id ${file?.id ?? 'none'})`,
		typeof file?.id === 'string' && file.id.startsWith('database:'),
		item?.binary,
	);
	if (!file?.id) return;
	const cookie = await mainSession();
	const download = await fetch(
		`${cluster!.main.baseUrl}/rest/binary-data?id=${encodeURIComponent(file.id)}&action=download`,
		{ headers: { Cookie: cookie, 'browser-id': 'queue-run' } },
	);
	const bytes = Buffer.from(await download.arrayBuffer());
	const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	list.check(
		`main serves the PNG made on the worker (${bytes.length} bytes)`,
		download.status === 200 && bytes.length > 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE),
		{ status: download.status, bytes: bytes.length, recorded: file.fileSize },
	);
}

/** Failed payments made right after the poller's first (activation) poll, and when. */
let pollWatch: { failed: Json[]; since: number; callsBefore: number } | undefined;
/** A poll reads its pages back to back; list calls further apart than this belong to different polls. */
const POLL_GAP_MS = 20_000;

const pollCalls = () => simulator!.log.filter((entry) => entry.method === 'GET' && entry.path === '/v3/payment/transactions');

/**
 * Right after publishing: main's activation poll has recorded where the trigger starts, so three
 * payments that fail now are new to it. The check runs after the other parts, so their minutes count.
 */
function startPolling(): void {
	const callsBefore = pollCalls().length;
	const failed = Array.from({ length: 3 }, (_, i) =>
		simulator!.state.addTransaction({
			orderId: `QPOLL${i}${Date.now() % 100000}`,
			title: 'Declined',
			amount: 990,
			currency: 'MYR',
			type: 'RECURRING_PAYMENT',
			method: 'CARD',
			source: 'RECURRING',
			storeId: '10946114768247530',
			status: 'FAILED',
			errorMessage: '9010',
		}) as unknown as Json,
	);
	pollWatch = { failed, since: Date.now(), callsBefore };
}

async function polling(): Promise<void> {
	list.section('polling: the transaction trigger runs once per poll across the cluster (every minute)');
	const { failed, since, callsBefore } = pollWatch!;
	const reportsFor = (transaction: Json) => sink.on('poll').filter((r) => r.body.transactionId === transaction.transactionId).length;
	// The next minute's poll emits them; then one more poll must not emit them again.
	await waitFor('the failed payments to be reported by a poll', async () => (failed.every((t) => reportsFor(t) > 0) ? true : undefined), {
		timeoutMs: 150_000,
		intervalMs: 1_000,
	});
	const firstReportAt = Date.now();
	await waitFor(
		'one more poll after the one that reported them',
		async () => {
			const later = pollCalls().filter((call) => Date.parse(call.at) > firstReportAt + POLL_GAP_MS / 4);
			return later.length > 0 && Date.now() - Date.parse(later[later.length - 1].at) > 5_000 ? true : undefined;
		},
		{ timeoutMs: 150_000, intervalMs: 1_000 },
	);
	await sleep(5_000);
	const minutes = (Date.now() - since) / 60_000;
	const calls = pollCalls().slice(callsBefore);
	let polls = 0;
	let previous = 0;
	for (const call of calls) {
		const at = Date.parse(call.at);
		if (at - previous > POLL_GAP_MS) polls++;
		previous = at;
	}
	const perTransaction = failed.map(reportsFor);
	list.note(`${polls} polls (${calls.length} list requests) in ${minutes.toFixed(1)} min with a poll every minute; runs per failed payment ${perTransaction.join(' / ')}`);
	// Two pollers (main and another process) would make about two polls a minute.
	list.check(
		`one poll per minute across the cluster (${polls} in ${minutes.toFixed(1)} min; only the main process polls)`,
		polls >= 2 && polls <= Math.floor(minutes) + 1,
		polls,
	);
	list.check('each failed payment emitted exactly once', perTransaction.every((n) => n === 1), perTransaction);
}

async function stillOneToken(): Promise<void> {
	list.section('after everything');
	list.check(
		'every API call n8n made was signed correctly',
		simulator!.stats.signatureFailures === 0,
		simulator!.stats.signatureFailures,
	);
	list.note(`${simulator!.stats.tokensIssued} tokens issued in the whole run; proxy requests per webhook process ${proxy.server!.counts.join(' / ')}`);
}

function removeFinishedRuns(): void {
	if (!existsSync(QUEUE_DIR)) return;
	for (const name of readdirSync(QUEUE_DIR)) {
		const pid = /^run-(\d+)$/.exec(name)?.[1];
		if (!pid) continue;
		try {
			process.kill(Number(pid), 0);
		} catch {
			rmSync(path.join(QUEUE_DIR, name), { recursive: true, force: true });
		}
	}
}

void main();
