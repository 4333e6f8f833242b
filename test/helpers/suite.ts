/**
 * The setup every simulator-backed test file shares, written once: a strict simulator on 127.0.0.1, a
 * credential store pointing at it, the transport's backoff cut to milliseconds (real backoff is
 * seconds; what is retried, and how often, is what the tests check), faults cleared after each test,
 * and `run()`, the action node executed by n8n-core's engine. Jest gives each test file its own copy
 * of the modules, so nothing set here (retryPolicy included) leaks into another file.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { RevenueMonsterTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTrigger.node';
import { retryPolicy } from '../../nodes/RevenueMonster/transport/request';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials, type NodeRunResult, type OnError } from '../../support/n8n';
import { runCase, type CaseRun, type RunCaseOptions } from '../../support/fault-runs';
import { recordIssuedTokens, ReliabilityLog, type FaultRow } from '../../support/reliability';
import { startSimulator, type RevenueMonsterSimulator, type SimulatorOptions } from '../../simulator/server';
import { startWebhookHarness, type WebhookHarness } from './webhook';

export interface SimulatorSuite {
	simulator: RevenueMonsterSimulator;
	/** the in-memory credential store, holding a credential for the simulator */
	credentials: InMemoryCredentialsHelper;
	/** every access token the simulator issued (to look for in outputs) */
	issuedTokens: Set<string>;
	/** The action node run once by n8n's engine, with the suite's parameters under `parameters`. */
	run(parameters: IDataObject, items?: IDataObject[], onError?: OnError): Promise<NodeRunResult>;
	/** A tokenized customer created through the node, whose card the simulator then binds; its ID. */
	boundCustomer(email?: string): Promise<string>;
	/** A new credential store for the simulator (no cached token), with `overrides` in the credential. */
	newCredentials(overrides?: ICredentialDataDecryptedObject): InMemoryCredentialsHelper;
	/** The Revenue Monster Trigger for both events with these options, served on 127.0.0.1 until the file ends. */
	startTrigger(options: IDataObject): Promise<WebhookHarness>;
}

export interface FaultSuite extends SimulatorSuite {
	log: ReliabilityLog;
	/** One fault case (support/fault-runs.ts) against this suite's simulator, "On Error → Continue (using error output)". */
	runCase(options: Omit<RunCaseOptions, 'simulator' | 'issuedTokens'>): Promise<CaseRun>;
}

export interface SuiteOptions extends SimulatorOptions {
	/** parameters every run() starts from, e.g. { resource: 'customer' } */
	parameters?: IDataObject;
	/** the transport's retry timing for this file; default 1 ms doubling up to 4 ms */
	backoff?: Partial<typeof retryPolicy>;
	/** a new simulator (and credential) for each test instead of one for the file */
	perTest?: boolean;
}

/** Registers the file's setup and teardown; the returned suite is filled in before the first test. */
export function useSimulator(options: SuiteOptions = {}): SimulatorSuite {
	const { parameters: base = {}, backoff = { baseDelayMs: 1, maxDelayMs: 4 }, perTest = false, ...simulatorOptions } =
		options;
	const suite = {
		run: async (parameters: IDataObject, items: IDataObject[] = [{}], onError?: OnError) =>
			await runNode({
				nodeType: new RevenueMonster(),
				parameters: { ...base, ...parameters },
				items,
				credentialsHelper: suite.credentials,
				onError,
			}),
		boundCustomer: async (email = 'payer@example.com') => {
			const { outputs, error } = await suite.run({
				resource: 'customer',
				operation: 'createTokenized',
				storeId: suite.simulator.state.stores[0].id,
				email,
				redirectUrl: 'https://shop.example.com/card-saved',
				notifyUrl: 'https://n8n.example.com/webhook/abc/notify',
			});
			if (error) throw error;
			const id = outputs[0][0].json.id as string;
			suite.simulator.bindCard(id);
			return id;
		},
		newCredentials: (overrides = {}) =>
			new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator, overrides)),
		startTrigger: async (triggerOptions: IDataObject) => {
			const harness = await startWebhookHarness({
				nodeType: new RevenueMonsterTrigger(),
				parameters: { events: ['PAYMENT_WEB_ONLINE', 'RECURRING_PAYMENT'], options: triggerOptions },
				credentialsHelper: suite.credentials,
			});
			harnesses.push(harness);
			return harness;
		},
	} as SimulatorSuite;
	const harnesses: WebhookHarness[] = [];
	afterAll(async () => await Promise.all(harnesses.map(async (harness) => await harness.close())));

	(perTest ? beforeEach : beforeAll)(async () => {
		Object.assign(retryPolicy, backoff);
		suite.simulator = await startSimulator({ autoNotify: false, ...simulatorOptions });
		suite.issuedTokens = recordIssuedTokens(suite.simulator);
		suite.credentials = new InMemoryCredentialsHelper(simulatorCredentials(suite.simulator));
	});
	(perTest ? afterEach : afterAll)(async () => await suite.simulator.stop());
	if (!perTest) afterEach(() => suite.simulator.clearFaults());
	return suite;
}

/** A fault suite: the simulator suite plus its reliability rows, saved to .bench/faults/<name>.json at the end. */
export function useFaultSuite(name: string, options: SuiteOptions = {}): FaultSuite {
	const suite: FaultSuite = Object.assign(useSimulator(options), {
		log: new ReliabilityLog(name),
		runCase: async (caseOptions: Omit<RunCaseOptions, 'simulator' | 'issuedTokens'>) =>
			await runCase({ simulator: suite.simulator, issuedTokens: suite.issuedTokens, ...caseOptions }),
	});
	afterAll(() => suite.log.save());
	return suite;
}

/**
 * Records a fault row and asserts it, stating each expectation once: the row passes when every
 * named check holds (and nothing was lost, charged twice or leaked), and the test fails naming
 * the checks that did not, with what was observed.
 */
export function recordAndAssert(
	log: ReliabilityLog,
	row: Omit<FaultRow, 'pass'>,
	checks: Record<string, boolean> = {},
): FaultRow {
	const all: Record<string, boolean> = {
		'no item lost': row.lost === 0,
		'no duplicate charge': row.duplicateCharges === 0,
		'no secret leaked': row.secretsLeaked === 0,
		...checks,
	};
	const failed = Object.keys(all).filter((name) => !all[name]);
	const recorded = log.add({ ...row, pass: failed.length === 0 });
	expect({ fault: row.fault, observed: row.observed, failed }).toEqual({ fault: row.fault, observed: row.observed, failed: [] });
	return recorded;
}
