/**
 * `npm run dev`: a real n8n with this package installed, next to the Revenue Monster simulator, with a
 * ready credential and the example workflows imported. Prints the editor URL, the login, and how to
 * send a test payment notification. Ctrl-C stops everything it started.
 *
 * `npm run dev -- pay [amount-in-cents]`, in a second terminal: a customer pays a new checkout on the
 * simulator, which then sends the signed payment notification to the running n8n.
 *
 * n8n's user folder is kept across restarts (workflows, credentials, executions you made in the editor);
 * `npm run dev -- --fresh` starts from scratch. The simulator keeps its state in memory only: each start
 * re-seeds the same stores and subscribers (same IDs), so saved workflows keep working. The package is
 * rebuilt and reinstalled on every start, so a restart picks up code changes. Files live in `.dev/`.
 *
 * `npm run dev -- --n8n <version>` runs another n8n version (e.g. the oldest supported, 1.123.81), installed
 * into the cache on first use, with a user folder of its own (`.dev/run-n8n-<version>`).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'fs';
import path from 'path';

import { handleApiRoute } from '../simulator/routes';
import { startSimulator, type RevenueMonsterSimulator } from '../simulator/server';
import { N8nApi, N8nInstance, REPO_ROOT, nodeOutput, packPackage, withoutNpmConfig } from './lib/n8n-instance';
import { N8N_VERSION, ensureN8nRuntime } from './lib/n8n-runtime';
import { freePort, isStopping, runCommand, stopAll, stopAllOnExit, tailOf, waitFor } from './lib/processes';
import { simulatorCall } from './lib/rm-client';
import {
	CREDENTIAL_NAME,
	FORM_LOGIN_NAME,
	WORKFLOWS,
	billingFor,
	credentialsFor,
	missingFeatures,
	notifyUrl,
	preparedExamples,
	refundFormUrl,
	type Subscriber,
} from './lib/workflows';

const DEV_DIR = path.join(REPO_ROOT, '.dev');
const STATE_FILE = path.join(DEV_DIR, 'state.json');
export const DEV_OWNER = {
	email: 'dev@example.com',
	password: 'RevenueMonster-dev-1',
	firstName: 'Dev',
	lastName: 'Merchant',
};
export const DEV_FORM_LOGIN = { user: 'refunds', password: 'refunds-dev-password' };

interface DevState {
	pid: number;
	n8nUrl: string;
	simulatorUrl: string;
	notifyUrl: string;
}

export interface DevEnvironment {
	n8n: N8nInstance;
	simulator: RevenueMonsterSimulator;
	subscribers: Subscriber[];
	/** examples that could not be published because the package lacks something yet */
	notes: string[];
}

/**
 * Starts the simulator and n8n with the package, the credentials and the examples. Used by `npm run dev`
 * and by the screenshot script.
 */
export async function startDevEnvironment(options: {
	dir: string;
	say: (line: string) => void;
	preferredPorts?: { n8n: number; simulator: number };
	/** forget the previous run's n8n (user folder, database) */
	fresh?: boolean;
	/** the n8n version (default: the newest supported) */
	n8nVersion?: string;
}): Promise<DevEnvironment> {
	const { dir, say } = options;
	const runtime = await ensureN8nRuntime(say, options.n8nVersion);
	const seededMarker = path.join(dir, 'n8n', '.seeded');
	if (options.fresh) rmSync(dir, { recursive: true, force: true });
	const keeping = existsSync(seededMarker);
	if (keeping) say(`keeping the n8n of the previous run (${path.relative(REPO_ROOT, dir)}); \`--fresh\` starts from scratch`);
	mkdirSync(dir, { recursive: true });
	for (const name of readdirSync(dir)) if (name.endsWith('.tgz')) rmSync(path.join(dir, name), { force: true });

	say('building and packing the package');
	await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT, env: withoutNpmConfig(), timeoutMs: 300_000 });
	const tarball = await packPackage(dir);

	const n8n = new N8nInstance({
		runtime,
		userFolder: path.join(dir, 'n8n'),
		port: await freePort(options.preferredPorts?.n8n),
		owner: DEV_OWNER,
		encryptionKey: 'rm-dev-encryption-key-not-a-secret',
		logFile: path.join(dir, 'n8n.log'),
	});
	await n8n.installPackage(tarball);
	const simulator = await startSimulator({ port: await freePort(options.preferredPorts?.simulator) });
	// A fresh simulator hands out IDs in a fixed sequence: seeded first, the subscribers get the same IDs on
	// every start, so a kept billing workflow still bills them.
	const subscribers = await seedSubscribers(simulator, notifyUrl(n8n.baseUrl));

	// The credential is imported on every start: it points at this start's simulator port.
	say(keeping ? 'updating the credential' : 'importing the credential and the example workflows');
	await n8n.importCredentials(credentialsFor(simulator.url, DEV_FORM_LOGIN), dir);
	const notes: string[] = [];
	if (!keeping) {
		const examples = preparedExamples(n8n.baseUrl).map((workflow) =>
			workflow.id === WORKFLOWS.billing.id ? billingFor(subscribers, n8n.baseUrl) : workflow,
		);
		await n8n.importWorkflows(examples, dir);
		for (const id of [WORKFLOWS.notification.id, WORKFLOWS.refundForm.id]) {
			const workflow = examples.find((example) => example.id === id)!;
			const missing = missingFeatures(workflow);
			if (missing) notes.push(`"${workflow.name}" is not published: ${missing}`);
			else await n8n.publish(id);
		}
		writeFileSync(seededMarker, `${new Date().toISOString()}\n`);
	}

	say('starting n8n (15–30 s)');
	await n8n.start();
	return { n8n, simulator, subscribers, notes };
}

/**
 * Three subscribers whose cards are saved, so the billing example has someone to bill: Aisyah pays,
 * Ben's bank declines, Chen has paused (inactive). Made inside the simulator, as the signed API would.
 * Their successful charges are notified to the payment notification workflow.
 */
async function seedSubscribers(simulator: RevenueMonsterSimulator, notifyUrl: string): Promise<Subscriber[]> {
	const people = [
		{ email: 'aisyah@example.com', name: 'Aisyah Rahman', plan: 'Weekly veg box', amountInCents: 2990 },
		{ email: 'ben@example.com', name: 'Ben Lim', plan: 'Weekly veg box', amountInCents: 2990 },
		{ email: 'chen@example.com', name: 'Chen Wei', plan: 'Family box', amountInCents: 4590 },
	];
	const subscribers: Subscriber[] = [];
	for (const person of people) {
		const created = (await handleApiRoute(simulator, {
			method: 'POST',
			path: '/v3/tokenized-payment',
			query: new URLSearchParams(),
			body: {
				storeId: simulator.state.stores[0].id,
				email: person.email,
				name: person.name,
				productName: person.plan,
				redirectUrl: 'https://shop.example.com/card-saved',
				notifyUrl,
			},
			origin: simulator.url,
		})) as { item: { id: string } };
		simulator.bindCard(created.item.id);
		subscribers.push({
			customerId: created.item.id,
			email: person.email,
			plan: person.plan,
			amountInCents: person.amountInCents,
		});
	}
	const [, ben, chen] = subscribers;
	simulator.addFault({
		kind: 'decline',
		method: 'POST',
		path: `/v3/customer/${ben.customerId}/order`,
		reason: '9010',
		times: 1_000_000,
	});
	simulator.state.customers.get(chen.customerId)!.isActive = false;
	return subscribers;
}

function runningDev(): DevState | undefined {
	if (!existsSync(STATE_FILE)) return undefined;
	const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as DevState;
	try {
		process.kill(state.pid, 0);
		return state;
	} catch {
		return undefined;
	}
}

async function dev(fresh: boolean, n8nVersion?: string): Promise<void> {
	const running = runningDev();
	if (running) {
		console.error(`npm run dev is already running (process ${running.pid}): ${running.n8nUrl}`);
		process.exit(1);
	}
	let environment: DevEnvironment | undefined;
	stopAllOnExit(async () => {
		console.log('\nstopping n8n and the simulator…');
		await environment?.n8n.stop();
		await environment?.simulator.stop();
		rmSync(STATE_FILE, { force: true });
		console.log('stopped.');
	});
	try {
		environment = await startDevEnvironment({
			dir: runDir(n8nVersion),
			say: (line) => console.log(`- ${line}`),
			preferredPorts: { n8n: 5678, simulator: 4010 },
			fresh,
			n8nVersion,
		});
	} catch (error) {
		console.error(`\nnpm run dev failed: ${(error as Error).message}`);
		const log = path.join(runDir(n8nVersion), 'n8n.log');
		if (existsSync(log)) console.error(`n8n's log (${log}):\n${tailOf(readFileSync(log, 'utf8'), 30)}`);
		await environment?.n8n.stop();
		await stopAll();
		process.exit(1);
	}
	const { n8n, simulator, notes } = environment;
	const state: DevState = {
		pid: process.pid,
		n8nUrl: n8n.baseUrl,
		simulatorUrl: simulator.url,
		notifyUrl: notifyUrl(n8n.baseUrl),
	};
	writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

	const workflowUrl = (id: string) => `${n8n.baseUrl}/workflow/${id}`;
	console.log(`
n8n with n8n-nodes-revenuemonster is running.

  Editor      ${n8n.baseUrl}
  Log in      ${DEV_OWNER.email} / ${DEV_OWNER.password}
  Simulator   ${simulator.url}  (credential "${CREDENTIAL_NAME}", environment "custom")

  Example workflows
    Weekly billing          ${workflowUrl(WORKFLOWS.billing.id)}   (click "Execute workflow")
    Send a payment link     ${workflowUrl(WORKFLOWS.checkoutLink.id)}
    Payment notification    ${workflowUrl(WORKFLOWS.notification.id)}   (published)
    Refund form             ${refundFormUrl(n8n.baseUrl)}   (login ${DEV_FORM_LOGIN.user} / ${DEV_FORM_LOGIN.password}, "${FORM_LOGIN_NAME}")

  Send a test payment notification, from a second terminal:
    npm run dev -- pay            a customer pays RM 10.00 on a new checkout; the simulator
                                  sends the signed notification to the payment notification workflow
  or run "Send a payment link" in the editor and open the url it outputs in a browser.
  Then see the workflow's Executions tab.
${notes.map((note) => `\n  Note: ${note}`).join('')}
  n8n's log: ${n8n.options.logFile}
  Ctrl-C stops n8n and the simulator. Your workflows are kept for the next start
  (npm run dev -- --fresh starts from scratch).
`);
	// Stay up until Ctrl-C; if n8n stops on its own, stop the rest too.
	const code = await n8n.serverProcess!.exited;
	if (isStopping()) return; // Ctrl-C: the signal handler finishes the job.
	console.error(
		`n8n exited (${code}); see ${n8n.options.logFile}\n${tailOf(readFileSync(n8n.options.logFile, 'utf8'), 20)}`,
	);
	await simulator.stop();
	rmSync(STATE_FILE, { force: true });
	process.exit(1);
}

/** `npm run dev -- pay [cents]`: one payment on the running dev environment, and the execution it started. */
async function pay(amountText: string | undefined): Promise<void> {
	const state = runningDev();
	if (!state) {
		console.error('npm run dev is not running. Start it first, in another terminal.');
		process.exit(1);
	}
	const amount = Number(amountText ?? 1000);
	if (!Number.isInteger(amount) || amount < 10) {
		console.error(`The amount is in cents, a whole number of at least 10 (1000 = RM 10.00); got "${amountText}"`);
		process.exit(1);
	}
	const orderId = `DEV-${Date.now()}`;
	const { storeId } = (await (await fetch(`${state.simulatorUrl}/__sim/config`)).json()) as { storeId: string };
	const created = await simulatorCall(state.simulatorUrl, 'POST', '/v3/payment/online', {
		storeId,
		type: 'WEB_PAYMENT',
		redirectUrl: 'https://shop.example.com/thank-you',
		notifyUrl: state.notifyUrl,
		order: { id: orderId, title: 'Test payment', currencyType: 'MYR', amount },
		method: [],
	});
	const { url } = created.item as { checkoutId: string; url: string };
	// What the customer's browser does: open the payment page; the simulator marks it paid, redirects
	// back, and POSTs the signed notification to the notify URL.
	const paid = await fetch(url, { redirect: 'manual' });
	if (paid.status !== 302) throw new Error(`the simulated payment page answered ${paid.status}`);
	console.log(
		`Paid RM ${(amount / 100).toFixed(2)} for order ${orderId}; Revenue Monster (the simulator) is notifying n8n at`,
	);
	console.log(`  ${state.notifyUrl}`);
	const n8n = new N8nApi(state.n8nUrl, DEV_OWNER, (await ensureN8nRuntime(() => undefined)).nodeModules);
	if (!(await n8n.login())) throw new Error(`could not log in to n8n at ${state.n8nUrl}`);
	const execution = await waitFor(
		'the execution started by the notification',
		async () => {
			for (const candidate of await n8n.executions(WORKFLOWS.notification.id)) {
				if (['new', 'running'].includes(candidate.status)) continue;
				const full = await n8n.execution(candidate.id);
				const [recorded] = nodeOutput(full.data, 'Record payment');
				if (recorded?.orderId === orderId) return { ...full, recorded };
			}
			return undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 500 },
	);
	console.log(`Execution ${execution.id} (${execution.status}) recorded the payment:`);
	console.log(JSON.stringify(execution.recorded, null, 2));
	console.log(`See it in the editor: ${state.n8nUrl}/workflow/${WORKFLOWS.notification.id}/executions/${execution.id}`);
}

/** The dev folder of an n8n version: each version keeps its own database (1.x cannot read 2.x's). */
function runDir(n8nVersion: string | undefined): string {
	return n8nVersion && n8nVersion !== N8N_VERSION ? path.join(DEV_DIR, `run-n8n-${n8nVersion}`) : path.join(DEV_DIR, 'run');
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const fresh = args.includes('--fresh');
	const versionAt = args.indexOf('--n8n');
	const n8nVersion = versionAt >= 0 ? args[versionAt + 1] : undefined;
	if (versionAt >= 0 && !n8nVersion) {
		console.error('--n8n needs a version, e.g. `npm run dev -- --n8n 1.123.81`');
		process.exit(1);
	}
	const [command, argument] = args.filter((arg, index) => arg !== '--fresh' && index !== versionAt && index !== versionAt + 1);
	if (command === 'pay') {
		pay(argument).catch((error) => {
			console.error((error as Error).message);
			process.exit(1);
		});
	} else if (command === undefined) {
		void dev(fresh, n8nVersion);
	} else {
		console.error(
			`unknown command "${command}": use \`npm run dev [-- --fresh] [--n8n <version>]\` or \`npm run dev -- pay [amount-in-cents]\``,
		);
		process.exit(1);
	}
}
