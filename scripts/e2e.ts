/**
 * `npm run test:e2e`: the package inside a real n8n, end to end, against the local Revenue Monster
 * simulator. It installs the packed tarball the way n8n installs a community package, imports the
 * credential and the example workflows, runs the action workflows with the `n8n` CLI, publishes the
 * trigger and form workflows, starts n8n, has the simulator send genuine, tampered and repeated
 * notifications, and reads back the executions. It prints every check; any failure exits non-zero.
 *
 * Everything listens on 127.0.0.1; every process it starts is stopped by id, also on failure.
 * Scratch files live in `.e2e/` (git-ignored). The pinned n8n is cached outside the repo (first run:
 * about 6 minutes).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'fs';
import path from 'path';

import http from 'http';

import { canonicalJson } from '../nodes/RevenueMonster/transport/signature';
import { rmSignature } from '../simulator/sign-notification';
import { SIMULATOR_KEYS } from '../simulator/keys';
import { prepareNotification } from '../simulator/notify';
import { startSimulator, type RevenueMonsterSimulator } from '../simulator/server';
import type { Json } from '../simulator/state';
import { seedBoundCustomer } from '../support/reliability';
import { seedPayment, seedSavedCard } from '../support/seed';
import { Checklist } from './lib/checklist';
import {
	N8nInstance,
	REPO_ROOT,
	nodeOutput,
	nodesThatRan,
	packPackage,
	readJson,
	withoutNpmConfig,
	type Execution,
	type ExecutionData,
} from './lib/n8n-instance';
import { SUPPORTED_N8N_VERSIONS, ensureN8nRuntime } from './lib/n8n-runtime';
import { freePort, runCommand, sleep, stopAll, stopAllOnExit, waitFor } from './lib/processes';
import {
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	EXAMPLE_N8N_URL,
	WORKFLOWS,
	billingFor,
	builtFeatures,
	credentialsFor,
	loadWorkflow,
	missingFeatures,
	notifyUrl,
	preparedExamples,
	refundFormUrl,
	replaceEverywhere,
	type WorkflowJson,
} from './lib/workflows';

// One folder per run (several runs may share a checkout), one sub-folder per n8n version; the last ones stay for their logs.
const E2E_DIR = path.join(REPO_ROOT, '.e2e');
const RUN_DIR = path.join(E2E_DIR, `run-${process.pid}`);
const FIXTURES = path.join(__dirname, 'e2e', 'workflows');
const OWNER = { email: 'e2e@example.com', password: 'E2e-owner-password-1', firstName: 'E2E', lastName: 'Runner' };
const FORM_LOGIN = { user: 'refunds', password: 'e2e-refund-form-password' };

/** A checklist that also counts its checks, for the per-version summary at the end. */
class VersionChecklist extends Checklist {
	checks = 0;
	check(what: string, holds: boolean, detail?: unknown): boolean {
		this.checks++;
		return super.check(what, holds, detail);
	}
	counts(): string {
		const failed = this.failures.length;
		return `${this.checks - failed} checks passed, ${failed} failed, ${this.skipped.length} skipped`;
	}
}

/** The run of the n8n version being checked: a checklist, a work folder, a simulator and an n8n of its own. */
let list = new VersionChecklist();
let WORK_DIR = RUN_DIR;
/** Everything n8n showed: CLI output and execution data, searched for secrets at the end. */
let shown: string[] = [];
let simulator: RevenueMonsterSimulator | undefined;
let n8n: N8nInstance | undefined;
/** The packed tarball, built once and installed into every version. */
let tarball: string | undefined;

interface Customer {
	id: string;
	email: string;
	isActive: boolean;
	paymentUrl: string;
}

/**
 * The versions to run: `--n8n <version>` (repeatable, or comma-separated) picks some; by default every
 * version of SUPPORTED_N8N_VERSIONS (scripts/lib/n8n-runtime.ts), oldest first.
 */
function versionsToRun(argv: string[]): string[] {
	const picked: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '--n8n') picked.push(...(argv[++index] ?? '').split(','));
		else if (arg.startsWith('--n8n=')) picked.push(...arg.slice('--n8n='.length).split(','));
	}
	const versions = picked.map((version) => version.trim()).filter(Boolean);
	return versions.length ? versions : [...SUPPORTED_N8N_VERSIONS];
}

/** A fresh checklist, work folder, simulator and n8n for the next version. */
function startVersion(version: string): void {
	list = new VersionChecklist();
	shown = [];
	simulator = undefined;
	n8n = undefined;
	WORK_DIR = path.join(RUN_DIR, `n8n-${version}`);
}

async function main(): Promise<void> {
	stopAllOnExit(async () => {
		await n8n?.stop();
		await simulator?.stop();
	});
	const versions = versionsToRun(process.argv.slice(2));
	const results: Array<{ version: string; passed: boolean; seconds: number; checks: string }> = [];
	for (const version of versions) {
		startVersion(version);
		console.log(`\n######## n8n ${version} ########`);
		const started = Date.now();
		let crashed = false;
		try {
			await run(version);
		} catch (error) {
			crashed = true;
			list.check('the e2e run went to the end', false, (error as Error).message);
		} finally {
			await n8n?.stop();
			await simulator?.stop();
			await stopAll();
		}
		if (crashed && n8n) console.log(`n8n's log: ${n8n.options.logFile}`);
		const passed = list.summary();
		results.push({ version, passed, seconds: Math.round((Date.now() - started) / 1000), checks: list.counts() });
	}
	console.log('\n== n8n versions');
	for (const result of results) {
		console.log(`  ${result.passed ? 'ok  ' : 'FAIL'}  n8n ${result.version}: ${result.checks} (${result.seconds} s)`);
	}
	process.exit(results.every((result) => result.passed) ? 0 : 1);
}

async function run(version: string): Promise<void> {
	list.section(`n8n ${version} runtime (pinned, cached outside the repo)`);
	const runtime = await ensureN8nRuntime((line) => list.note(line), version);

	list.section('package: build, pack, install as a community package');
	mkdirSync(WORK_DIR, { recursive: true });
	if (!tarball) {
		removeFinishedRuns();
		await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT, env: withoutNpmConfig(), timeoutMs: 300_000 });
		tarball = await packPackage(RUN_DIR);
		list.note(`packed ${path.basename(tarball)}`);
	} else {
		list.note(`the tarball packed for the first version: ${path.basename(tarball)}`);
	}
	const { stdout: listing } = await runCommand('tar', ['-tzf', tarball], { timeoutMs: 30_000 });
	const published = /^package\/(dist\/|package\.json$|README\.md$|LICENSE(\.md)?$)/;
	const unexpected = listing.split('\n').filter((file) => file && !published.test(file));
	list.check('the tarball holds only dist/, package.json, README and LICENSE', unexpected.length === 0, unexpected);

	const port = await freePort();
	n8n = new N8nInstance({
		runtime,
		userFolder: path.join(WORK_DIR, 'n8n'),
		port,
		owner: OWNER,
		encryptionKey: 'rm-e2e-encryption-key-not-a-secret',
		logFile: path.join(WORK_DIR, 'n8n.log'),
	});
	const installed = await n8n.installPackage(tarball);
	const manifest = readJson<{ dependencies?: object }>(path.join(installed, 'package.json'));
	list.check(
		'installed into .n8n/nodes/node_modules with no runtime dependencies',
		!manifest.dependencies,
		manifest.dependencies,
	);
	const built = builtFeatures();
	list.note(`built operations: ${[...built.operations].sort().join(', ')}; trigger: ${built.trigger ? 'yes' : 'no'}`);

	list.section('simulator and imports');
	simulator = await startSimulator({ port: await freePort() });
	list.note(`simulator ${simulator.url}, n8n will be ${n8n.baseUrl}`);
	await n8n.importCredentials(credentialsFor(simulator.url, FORM_LOGIN), WORK_DIR);
	list.note('credentials imported with `n8n import:credentials` (environment "custom" → the simulator)');
	const examples = preparedExamples(n8n.baseUrl);
	const example = (id: string) => examples.find((workflow) => workflow.id === id)!;
	const signup = fixture('signup-subscribers.json');
	await n8n.importWorkflows([signup, ...examples.filter((workflow) => workflow.id !== WORKFLOWS.billing.id)], WORK_DIR);
	list.note('example and fixture workflows imported with `n8n import:workflow`');

	// ---------------------------------------------------------------------------------------
	list.section('CLI: sign up subscribers (Customer → Create Tokenized / Create Recurring)');
	const customers = await signUp(signup);

	list.section('CLI: send a payment link (examples/checkout-link.json)');
	const checkout = await sendPaymentLink(example(WORKFLOWS.checkoutLink.id));

	// The customers open their paymentUrl and save a card, as they would in a browser.
	if (customers) {
		for (const customer of customers) {
			const response = await fetch(customer.paymentUrl, { redirect: 'manual' });
			list.check(
				`${customer.email} saved a card at paymentUrl (redirected back)`,
				response.status === 302,
				response.status,
			);
		}
	}

	list.section('CLI: weekly billing of active customers (examples/weekly-billing.json)');
	const billing = customers ? await weeklyBilling(customers) : undefined;

	list.section("CLI: look-ups (FPX banks, transactions, a customer's orders, checkout status, FPX direct checkout)");
	await lookUps(customers, checkout?.checkoutId, billing?.paidOrderId);

	list.section('CLI: the same billing run again (the charge guard: Skip If Charged Within)');
	if (customers && billing) await billingRunAgain(customers);
	else list.skip('billing run again', 'the first billing run did not complete');

	list.section('CLI: card payments (Card Details, Saved Card) and a DAILY recurring customer');
	await cardPayments();

	list.section('one token, valid signatures');
	const apiCalls = simulator.apiLog();
	list.check(
		`every one of the ${apiCalls.length} API calls made by n8n was signed correctly`,
		apiCalls.length > 0 && apiCalls.every((entry) => entry.signatureValid === true),
		apiCalls.filter((entry) => entry.signatureValid !== true),
	);
	list.check(
		'one access token for all CLI executions (n8n stored and reused it)',
		simulator.stats.tokensIssued === 1,
		`${simulator.stats.tokensIssued} tokens issued`,
	);

	// ---------------------------------------------------------------------------------------
	list.section('publish the trigger and form workflows, start n8n');
	const notification = example(WORKFLOWS.notification.id);
	const refund = example(WORKFLOWS.refundForm.id);
	const canNotify = skipIfMissing('payment notification workflow', notification);
	const canRefund = skipIfMissing('refund form workflow', refund);
	const dunningWorkflow = example(WORKFLOWS.dunning.id);
	if (canNotify) await n8n.publish(notification.id);
	if (canRefund) await n8n.publish(refund.id);
	await n8n.publish(dunningWorkflow.id);
	const serverStartedAt = new Date().toISOString();
	await n8n.start();
	list.note(`n8n started on ${n8n.baseUrl}; logged in as the owner through the REST API`);

	if (canNotify) await notifications(notification, checkout, customers, billing?.paidOrderId);
	if (canRefund) await refunds(refund, checkout?.transactionId);
	if (customers) await dunning(dunningWorkflow, customers[0], serverStartedAt);
	else list.skip('dunning', 'no subscriber with a saved card');
	await (await import('./e2e/guard-concurrency')).guardConcurrency({ n8n, simulator, workDir: WORK_DIR, list });

	list.section('after the server ran');
	list.check(
		'still one access token, now shared by the CLI runs and the server',
		simulator.stats.tokensIssued === 1,
		`${simulator.stats.tokensIssued} tokens issued`,
	);
	list.check(
		'no request with a bad signature reached the simulator',
		simulator.stats.signatureFailures === 0,
		simulator.stats.signatureFailures,
	);
	await credentialTest();
	await publishedTypes();

	const pid = n8n.serverProcess!.pid;
	await n8n.stop();
	list.check(`n8n (process group ${pid}) stopped`, !processGroupAlive(pid));
	await chargeThroughTokenErrorAndServerError();
	secretsNeverShown();
}

/**
 * "Test credential" in the editor: for a new credential (no token yet) it must get a token and make one
 * signed read, so a wrong client secret or key pair is caught; with a token already stored it must still
 * catch a client secret changed to a wrong one.
 */
async function credentialTest(): Promise<void> {
	list.section('server: "Test credential" (REST API, as the editor calls it)');
	// As the editor does: read the credential (secrets come back redacted; n8n puts them back for the test).
	const stored = await n8n!.rest<{ data: Record<string, unknown> }>(
		'GET',
		`/credentials/${CREDENTIAL_ID}?includeData=true`,
	);
	shown.push(JSON.stringify(stored));
	const test = async (changes: object) => {
		const result = await n8n!.rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: {
				id: CREDENTIAL_ID,
				name: CREDENTIAL_NAME,
				type: 'revenueMonsterApi',
				data: { ...stored.data, ...changes },
			},
		});
		shown.push(JSON.stringify(result));
		return result;
	};
	const wrongSecret = 'wrong-secret-for-the-e2e-check';
	const namesProblemNotSecret = (result: { status: string; message: string }) =>
		result.status === 'Error' && /client/i.test(result.message) && !result.message.includes(wrongSecret);

	const tokensBefore = simulator!.stats.tokensIssued;
	const fresh = await test({ accessToken: '' });
	list.check(
		'a new credential tests OK: one token fetched, one signed read accepted',
		fresh.status === 'OK' && simulator!.stats.tokensIssued === tokensBefore + 1,
		{ result: fresh, tokensFetched: simulator!.stats.tokensIssued - tokensBefore },
	);
	const freshWrong = await test({ accessToken: '', clientSecret: wrongSecret });
	list.check(
		'a new credential with a wrong client secret fails, naming the problem and not the secret',
		namesProblemNotSecret(freshWrong),
		freshWrong,
	);
	const cachedWrong = await test({ clientSecret: wrongSecret });
	list.check(
		'a stored credential whose client secret is changed to a wrong one fails the test too (not hidden by the cached token)',
		namesProblemNotSecret(cachedWrong),
		cachedWrong,
	);
}

/** The node types n8n lists once the package is installed: the names saved workflows use. */
async function publishedTypes(): Promise<void> {
	const types = (await n8n!.get<Array<{ name: string }>>('/types/nodes.json')).map((type) => type.name);
	list.check(
		'n8n lists n8n-nodes-revenuemonster.revenueMonster, .revenueMonsterTrigger and .revenueMonsterTransactionTrigger',
		types.includes('n8n-nodes-revenuemonster.revenueMonster') &&
			types.includes('n8n-nodes-revenuemonster.revenueMonsterTrigger') &&
			types.includes('n8n-nodes-revenuemonster.revenueMonsterTransactionTrigger'),
		types.filter((type) => type.includes('revenue')),
	);
}

/** The client secret, the private key and the access tokens never appear in n8n's output, log or executions. */
function secretsNeverShown(): void {
	list.section('secrets');
	const keyLine = SIMULATOR_KEYS.merchantPrivateKey
		.split('\n')
		.find((line) => line.length > 40 && !line.startsWith('-----'))!;
	const tokens = [...simulator!.tokens.keys()];
	const texts = [...shown, readFileSync(n8n!.options.logFile, 'utf8')];
	const secrets: Array<[string, string]> = [
		['the client secret', SIMULATOR_KEYS.clientSecret],
		['the private key', keyLine],
		...tokens.map((token): [string, string] => ['an access token', token]),
	];
	for (const [name, secret] of secrets) {
		list.check(
			`${name} appears nowhere in n8n's log, CLI output or execution data`,
			!texts.some((text) => text.includes(secret)),
		);
	}
}

/**
 * Issue 9 in a real n8n: RM answers a charge `503 TOKEN_EXPIRED` (nothing charged), then answers the
 * resend — made with a new token — `503` after charging. The simulator's fault injection plays both
 * answers. The run must end as an error ("Outcome unknown") with one charge and at most two sends:
 * before issue 9 n8n-core took that second 503 as "token expired" too and sent a third time.
 */
async function chargeThroughTokenErrorAndServerError(): Promise<void> {
	list.section('CLI: a charge answered 503 TOKEN_EXPIRED, then 503 after charging (simulator fault injection)');
	const customerId = seedBoundCustomer(simulator!);
	const chargePath = `/v3/customer/${customerId}/order`;
	const credentials = { revenueMonsterApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	// n8n's workflow JSON (positions included), built here so the case reads in one place
	const nodes = [
		{ parameters: {}, id: 'b1f8a3c2-0e59-4c1e-9d7a-5e0c1f2a9b01', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
		{
			parameters: { resource: 'order', operation: 'create', customerId, currency: 'MYR', amount: 1990, route: 'customerOrder', additionalFields: {} },
			id: 'b1f8a3c2-0e59-4c1e-9d7a-5e0c1f2a9b02',
			name: 'Charge saved card',
			type: 'n8n-nodes-revenuemonster.revenueMonster',
			typeVersion: 1,
			position: [240, 0],
			credentials,
		},
	];
	const workflow: WorkflowJson = {
		id: 'rmE2eTokenFault1',
		name: 'E2E: charge through a token error and a 503',
		nodes,
		connections: { Start: { main: [[{ node: 'Charge saved card', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	await n8n!.importWorkflows([workflow], WORK_DIR);
	simulator!.addFault({ kind: 'tokenExpired', status: 503, method: 'POST', path: chargePath });
	simulator!.addFault({ kind: 'serverError', status: 503, afterProcessing: true, method: 'POST', path: chargePath });
	const tokensBefore = simulator!.stats.tokensIssued;
	const result = await n8n!.execute(workflow.id);
	shown.push(result.output);
	simulator!.clearFaults();
	const sends = simulator!.apiLog().filter((entry) => entry.method === 'POST' && entry.path === chargePath);
	const charges = simulator!.state.customerOrders.filter((order) => order.customerId === customerId);
	const runError = result.run?.data.resultData.error as { message?: string } | undefined;
	const errorText = `${runError?.message ?? ''}\n${result.error ?? ''}\n${result.output}`;
	list.check(
		'the execution ends as an error saying "Outcome unknown" (not a success)',
		(runError !== undefined || result.error !== undefined) && /Outcome unknown/.test(errorText),
		runError ?? result.output.slice(-1500),
	);
	list.check('exactly one charge was made', charges.length === 1, charges);
	list.check(
		'the charge was sent at most twice (503 TOKEN_EXPIRED, then the resend with a new token)',
		sends.length >= 1 && sends.length <= 2,
		sends.map((entry) => `${entry.status} ${entry.code ?? ''}`),
	);
	list.check(
		'one new access token for the resend',
		simulator!.stats.tokensIssued - tokensBefore === 1,
		`${simulator!.stats.tokensIssued - tokensBefore} tokens issued`,
	);
}

/** Folders of earlier runs whose process has ended. */
function removeFinishedRuns(): void {
	if (!existsSync(E2E_DIR)) return;
	for (const name of readdirSync(E2E_DIR)) {
		const pid = /^run-(\d+)$/.exec(name)?.[1];
		if (pid && !processAlive(Number(pid))) rmSync(path.join(E2E_DIR, name), { recursive: true, force: true });
	}
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function processGroupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** An e2e-only workflow, pointed at this n8n like the examples. */
function fixture(file: string): WorkflowJson {
	return replaceEverywhere(loadWorkflow(path.join(FIXTURES, file)), EXAMPLE_N8N_URL, n8n!.baseUrl);
}

function skipIfMissing(what: string, workflow: WorkflowJson): boolean {
	const missing = missingFeatures(workflow);
	if (missing) list.skip(what, missing);
	return missing === undefined;
}

/** Runs a workflow with `n8n execute`; undefined (after a FAIL or SKIPPED line) when it did not succeed. */
async function execute(workflow: WorkflowJson): Promise<ExecutionData | undefined> {
	if (!skipIfMissing(`"${workflow.name}"`, workflow)) return undefined;
	const result = await n8n!.execute(workflow.id);
	shown.push(result.output);
	const error = result.run?.data.resultData.error;
	if (
		!list.check(
			`\`n8n execute --id=${workflow.id}\` ran "${workflow.name}"`,
			!result.error && !error,
			error ?? result.output.slice(-1500),
		)
	) {
		return undefined;
	}
	return result.run!.data;
}

async function signUp(signup: WorkflowJson): Promise<Customer[] | undefined> {
	const data = await execute(signup);
	if (!data) return undefined;
	const tokenized = nodeOutput(data, 'Create tokenized customer') as unknown as Customer[];
	const recurring = nodeOutput(data, 'Create recurring customer');
	list.check(
		'three tokenized customers created, each with an ID and a paymentUrl',
		tokenized.length === 3 && tokenized.every((c) => c.id && c.paymentUrl),
		tokenized,
	);
	list.check(
		'they are inactive until a card is saved',
		tokenized.every((c) => c.isActive === false),
	);
	list.check(
		'a weekly recurring customer created with its schedule (RM 45.90 every Monday)',
		recurring.length === 1 &&
			(recurring[0].recurringPayment as Json | undefined)?.amount === 4590 &&
			(recurring[0].recurringPayment as Json | undefined)?.recurringTarget === '1',
		recurring,
	);
	const inSimulator = tokenized.map((customer) => simulator!.state.customers.get(customer.id));
	list.check(
		'the simulator holds them with the notify URL of the trigger workflow',
		inSimulator.every((customer) => customer?.notifyUrl === notifyUrl(n8n!.baseUrl)),
		inSimulator.map((customer) => customer?.notifyUrl),
	);
	return tokenized.length === 3 ? tokenized : undefined;
}

async function sendPaymentLink(
	workflow: WorkflowJson,
): Promise<{ checkoutId: string; url: string; orderId: string; transactionId?: string } | undefined> {
	const data = await execute(workflow);
	if (!data) return undefined;
	const [email] = nodeOutput(data, 'Email to customer');
	const checkoutId = String(email?.checkoutId ?? '');
	const stored = simulator!.state.checkouts.get(checkoutId);
	list.check(
		'a hosted checkout of RM 150.00 exists, waiting for payment',
		stored?.status === '' && stored.transactionId === '' && (stored.order as Json).amount === 15000,
		stored,
	);
	list.check(
		'the email carries the payment link and the amount',
		typeof email?.text === 'string' &&
			email.text.includes(String(email.paymentUrl)) &&
			email.text.includes('RM 150.00'),
		email,
	);
	list.check(
		'the checkout reports to the trigger workflow',
		stored?.notifyUrl === notifyUrl(n8n!.baseUrl),
		stored?.notifyUrl,
	);
	return stored ? { checkoutId, url: String(email.paymentUrl), orderId: String((stored.order as Json).id) } : undefined;
}

async function weeklyBilling(customers: Customer[]): Promise<{ paidOrderId: string } | undefined> {
	const [aisyah, ben, chen] = customers;
	// Chen pauses the subscription (Customer → Toggle Status, wanted status inactive).
	const pause = replaceEverywhere(fixture('pause-subscriber.json'), 'CUSTOMER_ID_TO_PAUSE', chen.id);
	const billing = billingFor(
		[
			{ customerId: aisyah.id, email: aisyah.email, plan: 'Weekly veg box', amountInCents: 2990 },
			{ customerId: ben.id, email: ben.email, plan: 'Weekly veg box', amountInCents: 2990 },
			{ customerId: chen.id, email: chen.email, plan: 'Family box', amountInCents: 4590 },
		],
		n8n!.baseUrl,
	);
	await n8n!.importWorkflows([pause, billing], WORK_DIR);
	const paused = await execute(pause);
	if (paused) {
		const [customer] = nodeOutput(paused, 'Pause subscriber');
		list.check(
			'Chen is paused (inactive) before billing',
			customer?.isActive === false && simulator!.state.customers.get(chen.id)?.isActive === false,
			customer,
		);
	}

	// Ben's bank declines this week's charge.
	simulator!.addFault({ kind: 'decline', method: 'POST', path: `/v3/customer/${ben.id}/order`, reason: '9010' });
	const chargesBefore = chargeCalls();
	const data = await execute(billing);
	if (!data) return undefined;
	const charges = chargeCalls().slice(chargesBefore.length);
	list.check(
		'exactly two charges sent: Aisyah and Ben; Chen (inactive) not charged',
		charges.length === 2 &&
			charges.some((c) => c.path.includes(aisyah.id)) &&
			charges.some((c) => c.path.includes(ben.id)),
		charges.map((c) => c.path),
	);
	const recorded = nodeOutput(data, 'Record payment');
	const aisyahTransaction = simulator!.state.transactions.find((t) => t.payee.userId === aisyah.id);
	list.check(
		'Aisyah: RM 29.90 paid and recorded with its transaction',
		recorded.length === 1 &&
			recorded[0].customerId === aisyah.id &&
			recorded[0].amountInCents === 2990 &&
			recorded[0].transactionId === aisyahTransaction?.transactionId &&
			aisyahTransaction?.status === 'SUCCESS',
		recorded,
	);
	const followUps = nodeOutput(data, 'Follow up with customer');
	const benTransaction = simulator!.state.transactions.find((t) => t.payee.userId === ben.id);
	list.check(
		"Ben: the declined charge went to the follow-up, naming the transaction and RM's reason",
		followUps.length === 1 &&
			followUps[0].customerId === ben.id &&
			String(followUps[0].problem).includes(String(benTransaction?.transactionId)) &&
			String(followUps[0].problem).includes('9010') &&
			benTransaction?.status === 'FAILED',
		followUps,
	);
	// The same, read at the node: its error output (output 1) holds Ben's input item plus the error (issue 19:
	// on n8n 1.x the {error, details} item this node emitted before went to the success output).
	const chargeErrors = nodeOutput(data, 'Charge saved card', 1);
	list.check(
		`"Charge saved card": Ben's declined charge is on the error output, input item kept, transaction and reason readable (n8n ${n8n!.options.runtime.version})`,
		chargeErrors.length === 1 &&
			chargeErrors[0].id === ben.id &&
			String(chargeErrors[0].error).includes(String(benTransaction?.transactionId)) &&
			String(chargeErrors[0].error).includes('9010') &&
			/No money was taken/.test(String(chargeErrors[0].message)) &&
			nodeOutput(data, 'Charge saved card', 0).every((item) => item.error === undefined),
		{ errorOutput: chargeErrors, successOutput: nodeOutput(data, 'Charge saved card', 0) },
	);
	list.check(
		'Chen: routed to "Not billed: inactive"',
		nodeOutput(data, 'Not billed: inactive').length === 1 && nodesThatRan(data).includes('Not billed: inactive'),
	);
	list.check('nothing is waiting in "Check again later"', nodeOutput(data, 'Check again later').length === 0);
	return aisyahTransaction ? { paidOrderId: aisyahTransaction.order.id } : undefined;
}

/**
 * The billing workflow run a second time (after a crash, a fix, an impatient click): Aisyah, already
 * charged this week, is not charged again; her item says alreadyCharged with her first transaction.
 * Ben's charge failed, so the guard lets it through again (and his bank declines it again).
 */
async function billingRunAgain(customers: Customer[]): Promise<void> {
	const [aisyah, ben, chen] = customers;
	const billing = billingFor(
		[
			{ customerId: aisyah.id, email: aisyah.email, plan: 'Weekly veg box', amountInCents: 2990 },
			{ customerId: ben.id, email: ben.email, plan: 'Weekly veg box', amountInCents: 2990 },
			{ customerId: chen.id, email: chen.email, plan: 'Family box', amountInCents: 4590 },
		],
		n8n!.baseUrl,
	);
	const aisyahOrders = () => simulator!.state.customerOrders.filter((order) => order.customerId === aisyah.id);
	const firstCharge = aisyahOrders()[0];
	simulator!.addFault({ kind: 'decline', method: 'POST', path: `/v3/customer/${ben.id}/order`, reason: '9010' });
	const chargesBefore = chargeCalls().length;
	const data = await execute(billing);
	if (!data) return;
	const charges = chargeCalls().slice(chargesBefore);
	list.check(
		'second run: one charge sent (Ben, whose first charge failed); Aisyah not charged again',
		charges.length === 1 && charges[0].path.includes(ben.id) && aisyahOrders().length === 1,
		{ charges: charges.map((c) => c.path), aisyahOrders: aisyahOrders().length },
	);
	const skipped = nodeOutput(data, 'Already billed: not charged again');
	list.check(
		"second run: Aisyah's item says alreadyCharged, with her first charge's transaction, paid",
		skipped.length === 1 &&
			skipped[0].alreadyCharged === true &&
			skipped[0].paid === true &&
			skipped[0].transactionId === firstCharge?.transactionId,
		skipped,
	);
	list.check(
		'second run: nothing recorded as a new payment; Ben to the follow-up again',
		nodeOutput(data, 'Record payment').length === 0 && nodeOutput(data, 'Follow up with customer').length === 1,
	);
	const guardReads = simulator!
		.apiLog()
		.filter((entry) => entry.method === 'GET' && /^\/v3\/customer\/[^/]+\/orders$/.test(entry.path));
	list.check(
		"the guard read the customers' orders from RM, signed",
		guardReads.length >= 2 && guardReads.every((entry) => entry.signatureValid),
		guardReads.length,
	);
}

/**
 * The published dunning workflow: its Transaction Trigger polls every minute. A recurring charge that
 * RM itself runs and the bank declines (never notified by RM) starts exactly one execution, within
 * two polls, ending in the email with the order's paymentUrl.
 */
async function dunning(workflow: WorkflowJson, customer: Customer, serverStartedAt: string): Promise<void> {
	list.section('server: dunning (examples/dunning.json): a declined charge found by the Transaction Trigger');
	// Calls to the list since the server started (the CLI look-ups read it before).
	const listCalls = () =>
		simulator!.apiLog().filter((entry) => entry.path === '/v3/payment/transactions' && entry.at >= serverStartedAt);
	await waitFor('the activation poll of the Transaction Trigger', async () => (listCalls().length > 0 ? true : undefined), {
		timeoutMs: 90_000,
		intervalMs: 500,
		while: n8n!.serverProcess,
	});
	const failedBefore = simulator!.state.transactions.filter((t) => t.status === 'FAILED' && t.type === 'RECURRING_PAYMENT');
	list.check(
		`the first poll starts nothing, though ${failedBefore.length} declined charges are already there`,
		failedBefore.length > 0 && (await finishedExecutions(workflow.id)).length === 0,
	);
	const pollsBefore = listCalls().length;
	const declined = simulator!.runScheduledCharge(customer.id, 2990, '9010') as unknown as { transactionId: string };
	list.note(`RM's schedule charged ${customer.email}: declined, transaction ${declined.transactionId}`);
	const [started] = await waitFor(
		'the execution started by the Transaction Trigger',
		async () => {
			const done = await finishedExecutions(workflow.id);
			return done.length > 0 ? done : undefined;
		},
		{ timeoutMs: 150_000, intervalMs: 1_000, while: n8n!.serverProcess },
	);
	const polls = listCalls().length - pollsBefore;
	list.check(`it started within two polls (${polls} list calls since the charge)`, polls >= 1 && polls <= 2, polls);
	const run = (await runOf(started.id)).data;
	const [event] = nodeOutput(run, 'Failed recurring charge');
	const [email] = nodeOutput(run, 'Email to customer');
	const order = simulator!.state.customerOrders.find((candidate) => candidate.transactionId === declined.transactionId);
	list.check(
		'the trigger item is the declined charge, with eventKey transaction:FAILED',
		event?.transactionId === declined.transactionId &&
			event?.status === 'FAILED' &&
			event?.eventKey === `${declined.transactionId}:FAILED`,
		event,
	);
	list.check(
		"the email goes to the customer with the failed order's paymentUrl",
		started.status === 'success' &&
			email?.to === customer.email &&
			typeof email?.paymentUrl === 'string' &&
			email.paymentUrl !== '' &&
			email.paymentUrl === order?.paymentUrl &&
			String(email.text).includes(String(email.paymentUrl)),
		{ status: started.status, email },
	);
	// One more poll: the same failure must not start a second run.
	const pollsSeen = listCalls().length;
	await waitFor('the next poll', async () => (listCalls().length > pollsSeen ? true : undefined), {
		timeoutMs: 90_000,
		intervalMs: 1_000,
		while: n8n!.serverProcess,
	});
	await sleep(3_000);
	const all = await n8n!.executions(workflow.id);
	list.check('exactly one execution after the next poll too', all.length === 1, all.map((e) => e.status));

	// n8n restarts (the poller's memory must come from the database); meanwhile RM declines another charge.
	await n8n!.stop();
	const another = simulator!.runScheduledCharge(customer.id, 2990, '9011') as unknown as { transactionId: string };
	await n8n!.start();
	const afterRestart = await waitFor(
		'the execution for the charge declined while n8n was down',
		async () => {
			const done = await finishedExecutions(workflow.id);
			return done.length >= 2 ? done : undefined;
		},
		{ timeoutMs: 150_000, intervalMs: 1_000, while: n8n!.serverProcess },
	);
	const newest = (await runOf(afterRestart[0].id)).data;
	const events = nodeOutput(newest, 'Failed recurring charge');
	list.check(
		'after a restart: the charge declined while n8n was down starts one execution, the earlier one does not come again',
		events.length === 1 && events[0].transactionId === another.transactionId,
		events.map((event) => event.eventKey),
	);
	const pollsAfterRestart = listCalls().length;
	await waitFor('a poll after that', async () => (listCalls().length > pollsAfterRestart ? true : undefined), {
		timeoutMs: 90_000,
		intervalMs: 1_000,
		while: n8n!.serverProcess,
	});
	await sleep(3_000);
	const total = await n8n!.executions(workflow.id);
	list.check('still two executions in all after the next poll', total.length === 2, total.length);
}

function chargeCalls() {
	return simulator!
		.apiLog()
		.filter((entry) => entry.method === 'POST' && /^\/v3\/customer\/[^/]+\/order$/.test(entry.path));
}

/**
 * Issue 10 in a real n8n: a Saved Card payment sends card.isSave: true and the token survives it; a
 * Card Details payment outputs the url the customer completes and is not paid; a DAILY recurring
 * customer is created without recurringTarget.
 */
async function cardPayments(): Promise<void> {
	const userId = `e2e-card-${process.pid}`;
	const token = seedSavedCard(simulator!, userId);
	let workflow = replaceEverywhere(fixture('card-payments.json'), 'CARD_CUSTOMER', userId);
	workflow = replaceEverywhere(workflow, 'SAVED_CARD_TOKEN', token);
	workflow = replaceEverywhere(workflow, 'ORDER_ID_CARD', `E2E-CARD-${process.pid}`);
	workflow = replaceEverywhere(workflow, 'ORDER_ID_TOKEN', `E2E-TOKEN-${process.pid}`);
	await n8n!.importWorkflows([workflow], WORK_DIR);
	const bodies: Array<{ path: string; body: Json | undefined }> = [];
	simulator!.onApiRequest = (request) => bodies.push({ path: request.path, body: request.body });
	const data = await execute(workflow);
	simulator!.onApiRequest = undefined;
	if (!data) return;

	const [card] = nodeOutput(data, 'Pay with card details');
	const cardCheckout = simulator!.state.checkouts.get(String(card?.checkoutId ?? ''));
	list.check(
		'Card Details outputs the url the customer completes (3-D Secure), with paid: false',
		typeof card?.url === 'string' && card.url !== '' && card.paid === false && card.status === 'PENDING',
		card,
	);
	list.check(
		'…and nothing was paid: the checkout has no transaction',
		cardCheckout !== undefined && cardCheckout.status === '' && cardCheckout.transactionId === '',
		cardCheckout && { status: cardCheckout.status, transactionId: cardCheckout.transactionId },
	);
	list.check('…and the output shows no card number', !JSON.stringify(card ?? {}).match(/4111[\s-]*1111[\s-]*1111[\s-]*1111/));

	const [saved] = nodeOutput(data, 'Pay with saved card');
	const tokenRequest = bodies.find(
		(entry) => entry.path === '/v3/payment/online/checkout' && (entry.body?.card as Json | undefined)?.isToken === true,
	);
	list.check(
		'Saved Card sent card.isSave: true ("GoBiz w/ Token": else RM deletes the card)',
		(tokenRequest?.body?.card as Json | undefined)?.isSave === true,
		tokenRequest?.body?.card && { ...(tokenRequest.body.card as Json), no: '(token)' },
	);
	list.check('…was paid', saved?.paid === true && saved?.status === 'SUCCESS', saved);
	list.check(
		'…and the saved card still exists afterwards',
		(simulator!.state.cardTokens.get(userId) ?? []).some((entry) => entry.token === token),
		(simulator!.state.cardTokens.get(userId) ?? []).length,
	);

	const [daily] = nodeOutput(data, 'Daily recurring customer');
	const dailyRequest = bodies.find((entry) => entry.path === '/v3/recurring-payment');
	list.check(
		'a DAILY recurring customer is created without recurringTarget',
		(daily?.recurringPayment as Json | undefined)?.recurringInterval === 'DAILY' &&
			dailyRequest !== undefined &&
			!('recurringTarget' in (dailyRequest.body ?? {})),
		dailyRequest?.body,
	);
}

async function lookUps(
	customers: Customer[] | undefined,
	checkoutId: string | undefined,
	paidOrderId: string | undefined,
): Promise<void> {
	if (!customers || !checkoutId || !paidOrderId) {
		list.skip('look-ups', 'an earlier step failed, so there is nothing to look up');
		return;
	}
	let lookups = replaceEverywhere(fixture('lookups.json'), 'CUSTOMER_ID_DECLINED', customers[1].id);
	lookups = replaceEverywhere(replaceEverywhere(lookups, 'CHECKOUT_ID', checkoutId), 'ORDER_ID_PAID', paidOrderId);
	await n8n!.importWorkflows([lookups], WORK_DIR);
	const data = await execute(lookups);
	if (!data) return;
	const banks = nodeOutput(data, 'FPX banks');
	list.check(
		"FPX banks: one item per bank, from RM's map",
		banks.length === simulator!.state.fpxBanks.length && banks.some((bank) => bank.code === 'TEST0021'),
		banks,
	);
	const latest = nodeOutput(data, 'Latest transactions');
	list.check(
		`transactions: the limit of 1 is respected (${simulator!.state.transactions.length} exist), newest first`,
		latest.length === 1 && latest[0].transactionId === simulator!.state.transactions.at(-1)?.transactionId,
		latest,
	);
	const orders = nodeOutput(data, 'Orders of declined customer');
	list.check(
		"Ben's orders: the failed one, with a paymentUrl to pay by hand",
		orders.length === 1 &&
			orders[0].status === 'FAILED' &&
			typeof orders[0].paymentUrl === 'string' &&
			orders[0].paymentUrl !== '',
		orders,
	);
	const [checkout] = nodeOutput(data, 'Checkout status');
	// "Online Payment" page: SUCCESS, FAILED, CANCELLED or EXPIRED; an open checkout has none of them yet.
	list.check('the checkout is still unpaid', checkout?.status === '' && checkout?.transactionId === '', checkout);
	const [fpx] = nodeOutput(data, 'Pay by FPX');
	list.check(
		'direct checkout by FPX (test bank) gives the bank page URL, nothing paid yet',
		typeof fpx?.url === 'string' &&
			fpx.url.includes(checkoutId) &&
			simulator!.state.checkouts.get(checkoutId)?.status === '',
		fpx,
	);
	const [paid] = nodeOutput(data, 'Paid charge by order ID');
	list.check(
		"Aisyah's charge found by its order ID",
		paid?.status === 'SUCCESS' && (paid.order as Json).id === paidOrderId,
		paid,
	);
}

// -------------------------------------------------------------------------------------------
// The server: notifications and the refund form

/** One execution's run data (and remembered for the secrets check). */
async function runOf(id: string): Promise<Execution> {
	const execution = await n8n!.execution(id);
	shown.push(JSON.stringify(execution));
	return execution;
}

async function finishedExecutions(workflowId: string): Promise<Execution[]> {
	const executions = await n8n!.executions(workflowId);
	return executions.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
}

async function waitForExecutions(workflowId: string, count: number, what: string): Promise<Execution[]> {
	return await waitFor(
		what,
		async () => {
			const done = await finishedExecutions(workflowId);
			return done.length >= count ? done : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 500, while: n8n!.serverProcess },
	);
}

async function notifications(
	workflow: WorkflowJson,
	checkout: { checkoutId: string; url: string; orderId: string; transactionId?: string } | undefined,
	customers: Customer[] | undefined,
	paidOrderId: string | undefined,
): Promise<void> {
	list.section('server: payment notifications (examples/payment-notification.json)');
	const url = notifyUrl(n8n!.baseUrl);
	// Activation happens after the editor is up: wait until the production URL answers (an unsigned GET gets 401).
	const first = await waitFor(
		'the trigger to be registered at its production URL',
		async () => {
			const status = (await fetch(url)).status;
			return status === 404 ? undefined : status;
		},
		{ timeoutMs: 90_000, intervalMs: 500, while: n8n!.serverProcess },
	);
	list.check(`the production URL is live and refuses an unsigned request (${first})`, first === 401, first);

	if (!checkout) {
		list.skip('paying the checkout', 'the payment link step failed');
		return;
	}
	// The customer pays on the hosted page; the simulator (as RM) then POSTs a signed notification.
	const paid = await fetch(checkout.url, { redirect: 'manual' });
	list.check('the customer paid on the hosted checkout page', paid.status === 302, paid.status);
	const transaction = simulator!.state.transactionByOrderId(checkout.orderId);
	checkout.transactionId = transaction?.transactionId;
	const [accepted] = await waitForExecutions(workflow.id, 1, 'the execution started by the payment notification');
	const run = (await runOf(accepted.id)).data;
	const [record] = nodeOutput(run, 'Record payment');
	list.check(
		'one execution: signature verified, payment confirmed with the API, then recorded',
		accepted.status === 'success' &&
			record?.transactionId === transaction?.transactionId &&
			record?.orderId === checkout.orderId &&
			record?.amountInCents === 15000 &&
			record?.event === 'PAYMENT_WEB_ONLINE',
		{ status: accepted.status, record },
	);
	const confirmation = simulator!
		.apiLog()
		.filter((entry) => entry.path === `/v3/payment/transaction/${transaction?.transactionId}`);
	list.check(
		'the trigger asked the API about that transaction',
		confirmation.length >= 1 && confirmation.every((entry) => entry.signatureValid),
	);

	const genuine: Json = { eventType: 'PAYMENT_WEB_ONLINE', data: transaction as Json };
	const refused: Array<[string, Parameters<RevenueMonsterSimulator['notify']>[2]]> = [
		['tampered (amount changed after signing)', 'tampered'],
		["signed with a key that is not RM's", 'wrongKey'],
		['without a signature', 'unsigned'],
		['an hour old (replayed)', 'stale'],
	];
	for (const [what, variant] of refused) {
		const statuses = await simulator!.notify(url, genuine, variant);
		list.check(`a notification ${what} is refused with 401`, statuses.length === 1 && statuses[0] === 401, statuses);
	}
	// n8n's own body parser answers a body that is not JSON (422) before the trigger sees it.
	const malformed = await simulator!.notify(url, genuine, 'malformed');
	list.check('a notification that is not JSON is refused (4xx)', malformed[0] >= 400 && malformed[0] < 500, malformed);
	const duplicate = await simulator!.notify(url, genuine, 'duplicate');
	list.check(
		'the same payment notified again (twice) is acknowledged with 200',
		duplicate.length === 2 && duplicate.every((status) => status === 200),
		duplicate,
	);
	const forged: Json = {
		eventType: 'PAYMENT_WEB_ONLINE',
		data: {
			...(transaction as Json),
			transactionId: '9999999999999999999',
			order: { ...((transaction as Json).order as Json), id: 'NOT-A-REAL-ORDER' },
		},
	};
	const unknown = await simulator!.notify(url, forged, 'signed');
	list.check(
		'a correctly signed notification of a payment RM does not know is not confirmed (409)',
		unknown[0] === 409,
		unknown,
	);

	await attacksOnTheTrigger(url, transaction as Json | undefined);

	// A recurring charge notification (GET, as RM's docs label it) for Aisyah's paid weekly charge.
	if (customers && paidOrderId) {
		const charge = simulator!.state.transactionByOrderId(paidOrderId)!;
		const recurring: Json = {
			eventType: 'RECURRING_PAYMENT',
			data: {
				amount: charge.order.amount,
				currency: 'MYR',
				customerId: customers[0].id,
				email: customers[0].email,
				orderId: paidOrderId,
				status: 'SUCCESS',
				storeId: charge.store.id as string,
				createdAt: charge.createdAt,
				updatedAt: charge.updatedAt,
			},
		};
		// Sent here rather than by the simulator, to read what n8n answers for an accepted one.
		const prepared = prepareNotification(simulator!.serverPrivateKey, recurring, 'signed', 'GET', simulator!.nowMs());
		const answer = await rawExchange(url + prepared.query, 'GET', prepared.rawBody, prepared.headers);
		list.check('a signed RECURRING_PAYMENT notification by GET is accepted (200)', answer.status === 200, answer.status);
		list.check(
			'n8n answers an accepted notification with 200 and an empty body (not the text "firstEntryJson")',
			answer.text === '',
			{ status: answer.status, type: answer.type, body: answer.text.slice(0, 80) },
		);
		const executions = await waitForExecutions(workflow.id, 2, 'the execution started by the recurring notification');
		const latest = (await runOf(executions[0].id)).data;
		const [recorded] = nodeOutput(latest, 'Record payment');
		list.check(
			'the recurring charge was confirmed and recorded',
			executions[0].status === 'success' &&
				recorded?.orderId === paidOrderId &&
				recorded?.event === 'RECURRING_PAYMENT',
			recorded,
		);
	} else {
		list.skip('recurring notification', 'weekly billing did not produce a paid charge');
	}
	// The recurring run came after every refused one: anything they had started would be listed by now.
	await sleep(500);
	const all = await n8n!.executions(workflow.id);
	list.check(
		`refused, duplicate and unconfirmed notifications started nothing (${all.length} executions in all)`,
		all.length === (customers && paidOrderId ? 2 : 1) && all.every((execution) => execution.status === 'success'),
		all.map((execution) => ({ id: execution.id, status: execution.status })),
	);
}

/**
 * Issue 9's attacks, in the real n8n: none may start an execution (the count is checked afterwards).
 * The GET with a body is sent with node's http (fetch refuses a GET body).
 */
async function attacksOnTheTrigger(url: string, paidTransaction: Json | undefined): Promise<void> {
	if (!paidTransaction) return;
	const key = simulator!.serverPrivateKey;
	const forgedQuery = (eventType: string, data: Json) =>
		`${url}?eventType=${encodeURIComponent(eventType)}&data=${encodeURIComponent(JSON.stringify(data))}`;
	// A payment RM recorded and never notified, for the checks that must not be hidden by de-duplication.
	const fresh = seedPayment(simulator!, { orderId: `E2E-${Date.now()}`, title: 'Attack check', amount: 4321 });
	const freshData = JSON.parse(JSON.stringify(fresh)) as Json;
	// RM's signature over no data (what any bodyless callback carries), reused with data in the query.
	// The already-recorded payment is answered 200 (already received) or 409; the fresh one must be 409.
	for (const [what, eventType, data, signedMethod, allowed] of [
		['claiming status "SUCCESS2" for the recorded payment', 'PAYMENT_WEB_ONLINE', { ...paidTransaction, status: 'SUCCESS2' }, 'get', [200, 409]],
		['claiming status "SUCCESS2" for a payment not notified yet', 'PAYMENT_WEB_ONLINE', { ...freshData, status: 'SUCCESS2' }, 'get', [409]],
		[
			'as a RECURRING_PAYMENT of the recorded online payment',
			'RECURRING_PAYMENT',
			{ orderId: (paidTransaction.order as Json).id, amount: (paidTransaction.order as Json).amount, currency: 'MYR', status: 'SUCCESS' },
			'post',
			[409],
		],
	] as const) {
		const response = await fetch(forgedQuery(eventType, data as Json), { headers: rmSignature(key, undefined, { method: signedMethod }) });
		list.check(
			`a GET ${what} under a no-data signature starts nothing (${response.status})`,
			(allowed as readonly number[]).includes(response.status),
			response.status,
		);
	}
	const whitespace = await rawRequest(
		forgedQuery('PAYMENT_WEB_ONLINE', { ...paidTransaction, status: 'SUCCESS2' }),
		'GET',
		' ',
		{ ...rmSignature(key, undefined, { method: 'get' }), 'Content-Type': 'text/plain' },
	);
	list.check(`the same with a whitespace-only body is refused (${whitespace})`, whitespace === 401, whitespace);

	// The fresh payment, correctly signed, naming another order id.
	const otherOrder = JSON.parse(JSON.stringify(fresh)) as Json;
	(otherOrder.order as Json).id = 'SOMEONE-ELSES-ORDER';
	const mismatch = await simulator!.notify(url, { eventType: 'PAYMENT_WEB_ONLINE', data: otherOrder }, 'signed');
	list.check('a signed notification whose order id differs from the API’s transaction is not confirmed (409)', mismatch[0] === 409, mismatch);

	// 3 MB with a fresh timestamp and a signature of something else: refused before any parsing by the trigger.
	const junk = JSON.stringify({ eventType: 'PAYMENT_WEB_ONLINE', data: { ...paidTransaction, junk: Array.from({ length: 250_000 }, (_, i) => ({ i })) } });
	const big = await rawRequest(url, 'POST', junk, { ...rmSignature(key, canonicalJson(paidTransaction)), 'Content-Type': 'application/json' });
	list.check(`a ${(junk.length / 1024 / 1024).toFixed(1)} MB body with a bad signature is refused (${big})`, big === 413, big);
}

/** Any method with any body (fetch refuses a GET body): the answer's status, type and text. */
async function rawExchange(
	url: string,
	method: string,
	body: string,
	headers: Record<string, string>,
): Promise<{ status: number; type?: string; text: string }> {
	return await new Promise((resolve, reject) => {
		const request = http.request(url, { method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }),
			);
		});
		request.on('error', reject);
		request.end(body);
	});
}

async function rawRequest(url: string, method: string, body: string, headers: Record<string, string>): Promise<number> {
	return (await rawExchange(url, method, body, headers)).status;
}

async function submitRefund(fields: string[], login = FORM_LOGIN): Promise<Response> {
	const form = new FormData();
	fields.forEach((value, index) => form.append(`field-${index}`, value));
	return await fetch(refundFormUrl(n8n!.baseUrl), {
		method: 'POST',
		body: form,
		headers: { Authorization: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}` },
	});
}

async function refunds(workflow: WorkflowJson, transactionId: string | undefined): Promise<void> {
	list.section('server: refund from a form (examples/refund-form.json)');
	const url = refundFormUrl(n8n!.baseUrl);
	const anonymous = await waitFor(
		'the refund form to be registered',
		async () => {
			const status = (await fetch(url)).status;
			return status === 404 ? undefined : status;
		},
		{ timeoutMs: 60_000, intervalMs: 500, while: n8n!.serverProcess },
	);
	list.check('the form asks for a login (401 without it)', anonymous === 401, anonymous);
	const wrong = await submitRefund(['x', 'Everything that is left', '', 'test'], {
		user: 'refunds',
		password: 'wrong',
	});
	list.check('a submission with a wrong password is refused (401)', wrong.status === 401, wrong.status);

	if (!transactionId) {
		list.skip('refunds', 'there is no paid checkout to refund');
		return;
	}
	const transaction = () => simulator!.state.transactionById(transactionId)!;
	const refundCalls = () => simulator!.apiLog().filter((entry) => entry.path === '/v3/payment/refund').length;
	let runs = 0;

	const partial = await submitRefund([transactionId, 'Part of it', '500', 'One item was missing']);
	runs++;
	await waitForExecutions(workflow.id, runs, 'the partial refund execution');
	list.check(
		'partial refund of RM 5.00: PARTIAL_REFUNDED, RM 145.00 left',
		partial.status === 200 && transaction().status === 'PARTIAL_REFUNDED' && transaction().balanceAmount === 14500,
		{ http: partial.status, status: transaction().status, balance: transaction().balanceAmount },
	);
	const [receiptRun] = await n8n!.executions(workflow.id);
	const [receipt] = nodeOutput((await runOf(receiptRun.id)).data, 'Refund receipt');
	list.check(
		'the receipt says 500 refunded, 14500 left',
		receipt?.refundedInCents === 500 && receipt?.leftInCents === 14500,
		receipt,
	);

	const callsBefore = refundCalls();
	const decimal = await submitRefund([transactionId, 'Part of it', '10.5', 'Typo in the amount']);
	runs++;
	const [failedRun] = await waitForExecutions(workflow.id, runs, 'the refused refund execution');
	const failed = await runOf(failedRun.id);
	const message = `${failed.data?.resultData.error?.message ?? ''} ${failed.data?.resultData.error?.description ?? ''}`;
	list.check(
		'a decimal amount (10.5 sen) is refused before Revenue Monster is called, naming the field and value',
		decimal.status !== 200 &&
			failedRun.status === 'error' &&
			refundCalls() === callsBefore &&
			/amount/i.test(message) &&
			message.includes('10.5'),
		{ http: decimal.status, status: failedRun.status, message, refundCalls: refundCalls() - callsBefore },
	);
	list.check('the payment is unchanged by the refused refund', transaction().balanceAmount === 14500);

	const full = await submitRefund([transactionId, 'Everything that is left', '', 'Customer cancelled']);
	runs++;
	await waitForExecutions(workflow.id, runs, 'the full refund execution');
	list.check(
		'full refund gives back what was left: FULL_REFUNDED, balance 0',
		full.status === 200 && transaction().status === 'FULL_REFUNDED' && transaction().balanceAmount === 0,
		{ http: full.status, status: transaction().status, balance: transaction().balanceAmount },
	);
}

void main();
