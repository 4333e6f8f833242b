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
import { createRequire } from 'module';
import http from 'http';
import os from 'os';
import path from 'path';

import { prepareNotification } from '../../simulator/notify';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';
import type { Customer, Json } from '../../simulator/state';
import { Checklist } from '../lib/checklist';
import { REPO_ROOT, packPackage, withoutNpmConfig } from '../lib/n8n-instance';
import { ensureN8nRuntime } from '../lib/n8n-runtime';
import { LocalNginx } from '../lib/nginx';
import { LocalPostgres } from '../lib/postgres';
import { LocalRedis } from '../lib/redis';
import { freePort, runCommand, sleep, stopAll, stopAllOnExit, waitFor } from '../lib/processes';
import { credentialsFor, loadWorkflow, type WorkflowJson } from '../lib/workflows';
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
	redisCredential,
} from './workflows';

const QUEUE_DIR = path.join(REPO_ROOT, '.queue');
const WORK_DIR = path.join(QUEUE_DIR, `run-${process.pid}`);
const OWNER = { email: 'queue@example.com', password: 'Queue-owner-password-1', firstName: 'Queue', lastName: 'Runner' };

const CUSTOMERS = 200;
const BATCHES = 10;
const NODE_CONCURRENCY = 4;
const WORKER_CONCURRENCY = 5;
const PARTS = ['billing', 'notifications', 'recipe', 'routed', 'binary', 'polling'] as const;
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
/**
 * Payments per spacing for the two remedies (docs/SCALING.md): the exactly-once recipe (the example
 * workflow, copies alternating between the processes) and the nginx routing of the notify path. Fewer
 * than `--payments` to keep the run's time reasonable: each set of copies costs the webhook processes
 * about as much as the 100-payment sets above per copy.
 */
const REMEDY_PAYMENTS = Math.min(PAYMENTS, 10);
/** The committed nginx configuration the routing part fills with the run's ports and measures. */
const NGINX_TEMPLATE = path.join(REPO_ROOT, 'deploy', 'nginx', 'revenue-monster-webhooks.conf');
/** The example a queue-mode merchant imports, imported as it is (its credentials are made to match). */
const RECIPE_EXAMPLE = 'payment-notification-queue-mode.json';

const list = new Checklist();
let simulator: RevenueMonsterSimulator | undefined;
let cluster: QueueCluster | undefined;
let postgres: LocalPostgres | undefined;
let redis: LocalRedis | undefined;
let nginx: LocalNginx | undefined;
let recipe: WorkflowJson | undefined;
let nodeModules = '';
const proxy: { server?: RoundRobinProxy } = {};
const sink = new Sink();

interface Figures {
	charged: number;
	twice: number;
	tokens: number;
	runs: Record<string, number>;
	worst: Record<string, number>;
	/** payments that ran exactly once through nginx, of those sent, over every spacing */
	routed?: { once: number; of: number };
	/** payments whose Record step ran exactly once with the example workflow, of those sent */
	recipe?: { once: number; of: number };
	/** while webhook-1 came back: payments sent, those whose copies split over both processes, those that ran twice */
	transition?: { payments: number; split: number; twice: number };
}
const figures: Figures = { charged: 0, twice: -1, tokens: -1, runs: {}, worst: {} };
/** Tokens issued before the workflows were published (none: the credential starts without one). */
let tokensAtPublish = 0;

async function main(): Promise<void> {
	const stopEverything = async () => {
		await cluster?.stop();
		await proxy.server?.stop();
		await nginx?.stop();
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
	const charged = OPTIONS.only === undefined || OPTIONS.only.includes('billing') ? `${figures.charged}/${CUSTOMERS}` : 'n/a (billing not run)';
	const fraction = (figure?: { once: number; of: number }) => (figure ? `${figure.once}/${figure.of}` : 'n/a');
	return (
		`queue mode: ${charged} customers charged exactly once, ${figures.twice < 0 ? 'n/a' : figures.twice} duplicate charges, ` +
		`${figures.tokens < 0 ? 'n/a' : figures.tokens} tokens, ${total} runs for ${PAYMENTS} payments (${spacing}), ` +
		`routed: ${fraction(figures.routed)} once, recipe: ${fraction(figures.recipe)} fulfilled once`
	);
}

async function run(): Promise<void> {
	list.section('n8n runtime, package');
	const runtime = await ensureN8nRuntime((line) => list.note(line));
	nodeModules = runtime.nodeModules;
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
	await LocalNginx.install((line) => list.note(line));
	nginx = new LocalNginx(await freePort(), path.join(WORK_DIR, 'nginx'));
	await nginx.start(NGINX_TEMPLATE, {
		WEBHOOK_1: `127.0.0.1:${cluster.webhooks[0].options.port}`,
		WEBHOOK_2: `127.0.0.1:${cluster.webhooks[1].options.port}`,
		RM_WEBHOOK_ID: NOTIFY_WEBHOOK_ID,
	});
	list.note(`nginx ${nginx.url} (pid ${nginx.pid}) with ${path.relative(REPO_ROOT, NGINX_TEMPLATE)}: the notify path to webhook-1, webhook-2 as backup`);
	await cluster.installPackage(tarball);
	const workflows = [
		billingWorkflow(sink.url, { concurrency: NODE_CONCURRENCY, guardHours: features.chargeGuard ? 24 : undefined }),
		notifyWorkflow(sink.url),
		qrWorkflow(sink.url),
		...(features.transactionTrigger ? [pollingWorkflow(sink.url)] : []),
	];
	// The example exactly as committed: only its credentials exist here under the IDs it names.
	recipe = loadWorkflow(RECIPE_EXAMPLE);
	workflows.push(recipe);
	const importStarted = Date.now();
	await cluster.main.importCredentials(
		[
			...credentialsFor(simulator.url, { user: 'unused', password: 'unused' }),
			postgresCredential(database),
			redisCredential(recipe, redis.port),
		],
		WORK_DIR,
	);
	await postgres.psql(['-c', `create table ${EVENTS_TABLE} (event_key text primary key)`, '-c', `alter table ${EVENTS_TABLE} owner to ${database.user}`], database.database);
	await cluster.main.importWorkflows(workflows, WORK_DIR);
	list.note(`database migrated, credential and ${workflows.length} workflows imported in ${Math.round((Date.now() - importStarted) / 1000)} s`);
	await cluster.start((line) => list.note(line));
	tokensAtPublish = simulator.stats.tokensIssued;
	const pollCallsAtPublish = pollCalls().length;
	await cluster.main.publishViaRest(workflows.map((workflow) => workflow.id));
	list.note('workflows published on main (REST API, as the editor does)');
	if (features.transactionTrigger) await startPolling(pollCallsAtPublish);
	await waitForWebhooks();

	const runs = (part: (typeof PARTS)[number]) => OPTIONS.only === undefined || OPTIONS.only.includes(part);
	if (runs('billing')) await billing(features);
	if (runs('notifications')) await notifications();
	if (runs('recipe')) await recipeExactlyOnce();
	if (runs('routed')) await routedByNginx();
	if (runs('binary')) await binaryData();
	if (!runs('polling')) return;
	if (features.transactionTrigger) await polling();
	else list.skip('polling once per interval across the cluster', 'the Revenue Monster Transaction Trigger is not in the built package yet');
	if (OPTIONS.only === undefined) await stillOneToken();
}

/** `--only <part>[,<part>…]` and `--payments <n>` (per spacing; 100 by default). */
function parseOptions(args: string[]): { only?: Array<(typeof PARTS)[number]>; payments: number } {
	const options: { only?: Array<(typeof PARTS)[number]>; payments: number } = { payments: 100 };
	const isPart = (name: string): name is (typeof PARTS)[number] => (PARTS as readonly string[]).includes(name);
	for (let index = 0; index < args.length; index++) {
		const [name, value] = [args[index], args[index + 1]];
		const parts = (value ?? '').split(',');
		if (name === '--only' && parts.every(isPart)) options.only = parts as Array<(typeof PARTS)[number]>;
		else if (name === '--payments' && /^[1-9]\d{0,3}$/.test(value ?? '')) options.payments = Number(value);
		else throw new Error(`unknown option ${name} ${value ?? ''}: use --only ${PARTS.join('|')}[,…] and --payments <1-9999>`);
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

interface Delivery {
	statuses: Array<number | string>;
	/** copies sent again after an answer other than 200 */
	resent: number;
	/** how long each 200 took: n8n answers an accepted copy after saving the static data */
	answerMs: number[];
}

/**
 * Sends COPIES signed copies of each payment's notification, payments PAYMENT_STAGGER_MS apart and the
 * copies of one payment `spacingMs` apart, copy `copy` of payment `index` to `urlFor(index, copy)`;
 * as RM does, a copy not answered 200 is sent again RESEND_AFTER_MS later (up to RESENDS times).
 */
async function deliver(payments: Json[], spacingMs: number, urlFor: (index: number, copy: number) => string): Promise<Delivery> {
	const delivery: Delivery = { statuses: [], resent: 0, answerMs: [] };
	await Promise.all(
		payments.map(async (payment, index) => {
			await sleep(index * PAYMENT_STAGGER_MS);
			const body: Json = { eventType: 'PAYMENT_WEB_ONLINE', data: payment };
			const copies: Array<Promise<void>> = [];
			for (let copy = 0; copy < COPIES; copy++) {
				copies.push(
					sleep(copy * spacingMs).then(async () => {
						for (let attempt = 1; ; attempt++) {
							const sentAt = Date.now();
							const status = await sendNotification(urlFor(index, copy), body);
							delivery.statuses.push(status);
							if (status === 200) delivery.answerMs.push(Date.now() - sentAt);
							if (status === 200 || attempt === RESENDS + 1) break;
							delivery.resent++;
							await sleep(RESEND_AFTER_MS);
						}
					}),
				);
			}
			await Promise.all(copies);
		}),
	);
	return delivery;
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
		const started = Date.now();
		const { statuses, resent, answerMs } = await deliver(payments, ms, (index, copy) =>
			// Copy k of payment i goes to process (i + k) mod n: consecutive copies on different processes.
			onOneProcess ? urls[0] : urls[(index + copy) % urls.length],
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

/** A workflow's static data as n8n saved it in Postgres, per node (`node:<name>`). */
async function savedStaticData(workflowId: string): Promise<Record<string, Record<string, unknown> | null>> {
	const text = (await postgres!.psql(['-c', `select "staticData" from workflow_entity where id = '${workflowId}'`], 'n8n')).trim();
	return text ? (JSON.parse(text) as Record<string, Record<string, unknown> | null>) : {};
}

/** The payment keys in the trigger's static data in Postgres. */
async function savedPaymentKeys(): Promise<string[]> {
	const staticData = await savedStaticData(QUEUE_WORKFLOWS.notify);
	return Object.values(staticData).flatMap((node) => (Array.isArray(node?.acceptedPayments) ? (node.acceptedPayments as string[]) : []));
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
			{
				method: 'POST',
				headers: {
					...prepared.headers,
					'Content-Length': Buffer.byteLength(prepared.rawBody).toString(),
					// For nginx's access log only (which process each copy of a payment reached); n8n ignores it.
					'X-Test-Payment': String((body.data as Json | undefined)?.transactionId ?? ''),
				},
				timeout: 180_000,
			},
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
// The two remedies (docs/SCALING.md): claim eventKey downstream (the example), or route the notify path

/** Waits until every URL serves a published trigger (an unsigned GET is refused with 401, not 404). */
async function waitForTrigger(urls: string[], what: string): Promise<void> {
	for (const url of urls) {
		const status = await waitFor(
			`${url} to serve ${what}`,
			async () => {
				const answer = (await fetch(url)).status;
				return answer === 404 ? undefined : answer;
			},
			{ timeoutMs: 120_000, intervalMs: 1_000 },
		);
		list.check(`${new URL(url).host} serves ${what} (unsigned GET → ${status})`, status === 401, status);
	}
}

/** Until a count stops changing: 3 s with nothing queued or running in the cluster, or 30 s at most. */
async function settle(label: string, count: () => Promise<number> | number): Promise<void> {
	let last = -1;
	let changedAt = Date.now();
	await waitFor(
		`${label}: the runs to settle`,
		async () => {
			const now = await count();
			if (now !== last) {
				last = now;
				changedAt = Date.now();
				return undefined;
			}
			const quietMs = Date.now() - changedAt;
			return quietMs >= 30_000 || (quietMs >= 3_000 && (await unfinishedExecutions()) === 0) ? true : undefined;
		},
		{ timeoutMs: 300_000, intervalMs: 1_000 },
	);
}

function histogramOf(ids: Set<string>, perId: Map<string, number>, what: string): string {
	const histogram = new Map<number, number>();
	for (const id of ids) histogram.set(perId.get(id) ?? 0, (histogram.get(perId.get(id) ?? 0) ?? 0) + 1);
	return [...histogram.entries()]
		.sort(([a], [b]) => a - b)
		.map(([n, payments]) => `${n} ${what}${n === 1 ? '' : 's'} × ${payments}`)
		.join(', ');
}

function answersOf(delivery: Delivery): string {
	const answered = Object.entries(countBy(delivery.statuses))
		.map(([status, n]) => `${status} × ${n}`)
		.join(', ');
	return `answers ${answered}${delivery.resent ? ` (${delivery.resent} resent)` : ''}; a 200 took ${percentile(delivery.answerMs, 50)} ms (median)`;
}

/** Runs of the test's notify workflow (its sink reports) per payment. */
function notifyRunsPer(ids: Set<string>): Map<string, number> {
	const runs = new Map<string, number>();
	for (const record of sink.on('notify')) {
		const id = String(record.body.transactionId);
		if (ids.has(id)) runs.set(id, (runs.get(id) ?? 0) + 1);
	}
	return runs;
}

interface RecipeExecution {
	id: string;
	status: string;
	/** the payment the trigger emitted */
	transactionId: string;
	/** the payments its Record payment step output */
	recorded: string[];
	/** what the Redis INCR returned */
	claim?: number;
}
const finishedRecipeRuns = new Map<string, RecipeExecution>();

/** Every finished execution of the example, read from Postgres (n8n keeps run data in `flatted` form). */
async function recipeExecutions(): Promise<RecipeExecution[]> {
	const flatted = createRequire(path.join(nodeModules, 'n8n', 'package.json'))('flatted') as { parse(text: string): unknown };
	const known = [...finishedRecipeRuns.keys()].map((id) => `'${id}'`).join(',') || "''";
	const rows = await postgres!.psql(
		[
			'-c',
			`select json_build_object('id', e.id, 'status', e.status, 'data', d.data)::text from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" = '${recipe!.id}' and e.status not in ('new', 'running') and e.id::text not in (${known})`,
		],
		'n8n',
	);
	for (const line of rows.split('\n').filter(Boolean)) {
		const row = JSON.parse(line) as { id: string | number; status: string; data: string };
		const data = flatted.parse(row.data) as { resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Json }> | null> } }>> } };
		const output = (node: string) => (data.resultData.runData[node] ?? []).flatMap((run) => run.data?.main?.[0] ?? []).map((item) => item.json);
		const [emitted] = output('Payment notification');
		const transaction = (emitted?.transaction ?? emitted?.data) as Json | undefined;
		const [claimed] = output('Claim payment (Redis INCR)');
		finishedRecipeRuns.set(String(row.id), {
			id: String(row.id),
			status: row.status,
			transactionId: String(transaction?.transactionId ?? ''),
			recorded: output('Record payment').map((item) => String(item.transactionId)),
			claim: claimed ? Number(Object.values(claimed)[0]) : undefined,
		});
	}
	return [...finishedRecipeRuns.values()];
}

/**
 * The example as a merchant imports it (Trigger → Redis INCR of eventKey → If 1 → Record payment), with
 * copies of each payment alternating between the two webhook processes (no routing): how often each
 * payment's Record step ran. Control: the runs the claim stopped (payments that started 2 runs).
 */
async function recipeExactlyOnce(): Promise<void> {
	const trigger = recipe!.nodes.find((node) => node.type.endsWith('.revenueMonsterTrigger'))!;
	const urls = cluster!.webhooks.map((process) => `${process.baseUrl}/webhook/${trigger.webhookId}/notify`);
	list.section(
		`exactly-once recipe: examples/${RECIPE_EXAMPLE} as committed, ${REMEDY_PAYMENTS} payments × ${COPIES} copies per spacing, alternating between the webhook processes (no routing)`,
	);
	await waitForTrigger(urls, "the example's trigger");
	let once = 0;
	let of = 0;
	let stopped = 0;
	for (const { label, ms } of SPACINGS) {
		const payments = addPayments(REMEDY_PAYMENTS, `R${label.replace(/\W/g, '').slice(0, 5)}`);
		const ids = new Set(payments.map((payment) => String(payment.transactionId)));
		const started = Date.now();
		const delivery = await deliver(payments, ms, (index, copy) => urls[(index + copy) % urls.length]);
		const mine = async () => (await recipeExecutions()).filter((run) => ids.has(run.transactionId));
		await settle(`recipe ${label}`, async () => (await mine()).length);
		const runs = await mine();
		const runsPer = new Map<string, number>();
		const recordsPer = new Map<string, number>();
		for (const run of runs) {
			runsPer.set(run.transactionId, (runsPer.get(run.transactionId) ?? 0) + 1);
			for (const id of run.recorded) recordsPer.set(id, (recordsPer.get(id) ?? 0) + 1);
		}
		const exactly = [...ids].filter((id) => recordsPer.get(id) === 1).length;
		const extraRuns = runs.length - runsPer.size;
		once += exactly;
		of += ids.size;
		stopped += extraRuns;
		list.note(
			`recipe ${label}: ${runs.length} runs for ${ids.size} payments (${histogramOf(ids, runsPer, 'run')}); Record payment: ${histogramOf(ids, recordsPer, 'time')}; ` +
				`claims answered ${Object.entries(countBy(runs.map((run) => run.claim ?? 'none'))).map(([n, c]) => `${n} × ${c}`).join(', ')}; ` +
				`${((Date.now() - started) / 1000).toFixed(1)} s; ${answersOf(delivery)}`,
		);
		const failed = runs.filter((run) => run.status !== 'success');
		list.check(`recipe ${label}: every run of the example succeeded`, failed.length === 0, failed.slice(0, 3));
		list.check(`recipe ${label}: Record payment ran exactly once for every payment (${exactly}/${ids.size})`, exactly === ids.size, {
			records: Object.fromEntries(recordsPer),
		});
	}
	figures.recipe = { once, of };
	// Without the claim, every run records: the claim must have had second runs to stop, or this proved nothing.
	list.check(
		`control: copies on both processes started ${stopped} second runs, which the claim stopped before Record payment (the example without the claim records those twice)`,
		stopped > 0,
		stopped,
	);
}

/** The upstream that answered a logged request (the last one nginx tried). */
function answeredBy(entry: { upstream: string }): string {
	return entry.upstream.split(', ').pop() ?? '';
}

/**
 * The committed nginx configuration, filled with the run's ports: the notify path to webhook-1 with
 * webhook-2 as backup, other webhooks round-robin. Runs per payment at every spacing (all copies through
 * nginx); then with webhook-1 stopped (failover), and while it comes back (copies may then split).
 */
async function routedByNginx(): Promise<void> {
	const url = `${nginx!.url}/webhook/${NOTIFY_WEBHOOK_ID}/notify`;
	const [preferred, backup] = cluster!.webhooks.map((process) => `127.0.0.1:${process.options.port}`);
	list.section(`routed by nginx (${path.relative(REPO_ROOT, NGINX_TEMPLATE)}): ${REMEDY_PAYMENTS} payments × ${COPIES} copies per spacing, all to ${url}`);
	const logged = (ids: Set<string>) => nginx!.log().filter((entry) => ids.has(entry.tag));

	// Other webhook paths stay spread over both processes.
	const seen = nginx!.log().length;
	for (let i = 0; i < 4; i++) await fetch(`${nginx!.url}/webhook/not-a-workflow-${i}`).then((response) => response.arrayBuffer());
	await sleep(300);
	const others = nginx!.log().slice(seen).map(answeredBy);
	list.check(`other /webhook/ paths are spread round-robin (${others.join(', ')})`, new Set(others).size === 2, others);

	let once = 0;
	let of = 0;
	for (const { label, ms } of SPACINGS) {
		const payments = addPayments(REMEDY_PAYMENTS, `N${label.replace(/\W/g, '').slice(0, 5)}`);
		const ids = new Set(payments.map((payment) => String(payment.transactionId)));
		const started = Date.now();
		const delivery = await deliver(payments, ms, () => url);
		await settle(`routed ${label}`, () => [...notifyRunsPer(ids).values()].reduce((a, b) => a + b, 0));
		const runs = notifyRunsPer(ids);
		const exactly = [...ids].filter((id) => runs.get(id) === 1).length;
		once += exactly;
		of += ids.size;
		const where = countBy(logged(ids).map(answeredBy));
		list.note(
			`routed ${label}: ${histogramOf(ids, runs, 'run')}; copies answered by ${Object.entries(where).map(([at, n]) => `${at === preferred ? 'webhook-1' : at === backup ? 'webhook-2' : at} × ${n}`).join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s; ${answersOf(delivery)}`,
		);
		list.check(`routed ${label}: every copy reached webhook-1`, Object.keys(where).length === 1 && where[preferred] > 0, where);
		list.check(`routed ${label}: exactly one run per payment (${exactly}/${ids.size})`, exactly === ids.size, Object.fromEntries(runs));
	}
	figures.routed = { once, of };
	await routingControl(url);
	await failover(url, preferred, backup);
}

/**
 * Control: the same notify workflow without the routing makes second runs (the notifications part
 * measured it when it ran; otherwise one set of copies alternating between the processes here).
 */
async function routingControl(routedUrl: string): Promise<void> {
	let worst = figures.worst.simultaneous;
	if (worst === undefined) {
		const urls = cluster!.webhooks.map((process) => `${process.baseUrl}/webhook/${NOTIFY_WEBHOOK_ID}/notify`);
		const payments = addPayments(REMEDY_PAYMENTS, 'Nctl');
		const ids = new Set(payments.map((payment) => String(payment.transactionId)));
		await deliver(payments, 0, (index, copy) => urls[(index + copy) % urls.length]);
		await settle('control without routing', () => [...notifyRunsPer(ids).values()].reduce((a, b) => a + b, 0));
		const runs = notifyRunsPer(ids);
		list.note(`control without routing (simultaneous copies alternating between the processes): ${histogramOf(ids, runs, 'run')}`);
		worst = Math.max(0, ...runs.values());
	}
	list.check(
		`control: without the routing, simultaneous copies ran a payment ${worst} times (more than once; through ${new URL(routedUrl).host} never)`,
		worst > 1,
		worst,
	);
}

/** webhook-1 stopped: every copy goes to webhook-2; then webhook-1 starts again while payments keep coming. */
async function failover(url: string, preferred: string, backup: string): Promise<void> {
	const webhook1 = cluster!.webhooks[0];
	await webhook1.stopRole();
	list.note(`webhook-1 stopped (the preferred process of the notify path)`);
	const payments = addPayments(REMEDY_PAYMENTS, 'Fdown');
	const ids = new Set(payments.map((payment) => String(payment.transactionId)));
	const delivery = await deliver(payments, 1_000, () => url);
	await settle('failover', () => [...notifyRunsPer(ids).values()].reduce((a, b) => a + b, 0));
	const runs = notifyRunsPer(ids);
	const where = countBy(nginx!.log().filter((entry) => ids.has(entry.tag)).map(answeredBy));
	const exactly = [...ids].filter((id) => runs.get(id) === 1).length;
	list.note(`failover (webhook-1 down, copies 1 s apart): ${histogramOf(ids, runs, 'run')}; copies answered by webhook-2 × ${where[backup] ?? 0}, other × ${Object.entries(where).filter(([at]) => at !== backup).reduce((a, [, n]) => a + n, 0)}; ${answersOf(delivery)}`);
	list.check(`failover: every copy answered by webhook-2`, Object.keys(where).length === 1 && where[backup] > 0, where);
	list.check(`failover: exactly one run per payment (${exactly}/${ids.size})`, exactly === ids.size, Object.fromEntries(runs));

	// Back: a new payment every second, copies 5 s apart, from before webhook-1 starts until 20 s after it is ready.
	const back = new Set<string>();
	const sends: Array<Promise<Delivery>> = [];
	let sending = true;
	const loop = (async () => {
		while (sending) {
			const [payment] = addPayments(1, `B${back.size}`);
			back.add(String(payment.transactionId));
			sends.push(deliver([payment], 5_000, () => url));
			await sleep(1_000);
		}
	})();
	const restarted = Date.now();
	await webhook1.startRole();
	const readyAt = Date.now();
	list.note(`webhook-1 ready again in ${Math.round((readyAt - restarted) / 1000)} s`);
	await sleep(20_000);
	sending = false;
	await loop;
	const deliveries = await Promise.all(sends);
	await settle('return of webhook-1', () => [...notifyRunsPer(back).values()].reduce((a, b) => a + b, 0));
	const backRuns = notifyRunsPer(back);
	const copiesOf = new Map<string, Set<string>>();
	let firstBack: number | undefined;
	for (const entry of nginx!.log().filter((e) => back.has(e.tag))) {
		copiesOf.set(entry.tag, (copiesOf.get(entry.tag) ?? new Set()).add(answeredBy(entry)));
		if (answeredBy(entry) === preferred && (firstBack === undefined || entry.at < firstBack)) firstBack = entry.at;
	}
	const split = new Set([...back].filter((id) => (copiesOf.get(id)?.size ?? 0) > 1));
	const whole = new Set([...back].filter((id) => !split.has(id)));
	const statuses = countBy(deliveries.flatMap((d) => d.statuses));
	list.note(
		`return of webhook-1 (a payment a second, copies 5 s apart, ${back.size} payments): ${split.size} had copies on both processes (${histogramOf(split, backRuns, 'run')}); ` +
			`the others ${histogramOf(whole, backRuns, 'run')}; the first copy reached webhook-1 again ${firstBack === undefined ? 'never' : firstBack >= readyAt ? `${((firstBack - readyAt) / 1000).toFixed(1)} s after it was ready` : `${((readyAt - firstBack) / 1000).toFixed(1)} s before its readiness probe passed (it listens first; nginx tries it again after fail_timeout)`}; answers ${Object.entries(statuses).map(([s, n]) => `${s} × ${n}`).join(', ')}`,
	);
	figures.transition = { payments: back.size, split: split.size, twice: [...back].filter((id) => (backRuns.get(id) ?? 0) > 1).length };
	list.check(
		'return of webhook-1: payments whose copies all reached one process ran exactly once',
		[...whole].every((id) => backRuns.get(id) === 1),
		Object.fromEntries([...whole].map((id) => [id, backRuns.get(id) ?? 0])),
	);
	list.check(
		`return of webhook-1: no payment ran more than once per process (worst ${Math.max(0, ...backRuns.values())})`,
		[...back].every((id) => (backRuns.get(id) ?? 0) >= 1 && (backRuns.get(id) ?? 0) <= (copiesOf.get(id)?.size ?? 1)),
	);
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
 * After publishing, main polls once (n8n's activation poll), which records where the trigger starts;
 * once that is saved, three payments fail: new to the trigger. The check runs after the other parts,
 * so their minutes count.
 */
async function startPolling(callsAtPublish: number): Promise<void> {
	await waitFor(
		'the activation poll to be recorded',
		async () => {
			if (pollCalls().length <= callsAtPublish) return undefined;
			const recorded = Object.values(await savedStaticData(QUEUE_WORKFLOWS.poll)).some((node) => node?.transactionPoll);
			return recorded || undefined;
		},
		{ timeoutMs: 120_000, intervalMs: 500 },
	);
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
