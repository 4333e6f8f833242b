/**
 * n8n in queue mode on one machine, everything on 127.0.0.1: a throwaway Postgres and Redis, one main
 * (`n8n start`: editor, REST API, activation, pollers), workers (`n8n worker`: run the executions
 * Bull hands them) and webhook processes (`n8n webhook`: receive production webhooks and enqueue
 * them). Every process has its own user folder (a shared one makes each start wait on a "last session
 * crashed" journal) with the package installed the way n8n installs a community package, and the same
 * encryption key, database and Redis. Binary data mode `database`: a file written on a worker is read
 * from Postgres by the main process (n8n 2.41's modes: filesystem, s3, azure, database; filesystem only
 * works when every process shares one folder).
 *
 * Recipe: ../shared/docs/engineering.md, "n8n queue mode here".
 */
import path from 'path';

import { N8nInstance, type N8nInstanceOptions, type Owner } from '../lib/n8n-instance';
import type { N8nRuntime } from '../lib/n8n-runtime';
import type { PostgresDatabase } from '../lib/postgres';
import { freePort, startProcess, stopProcess, waitFor, type Started } from '../lib/processes';

/** Postgres connections per n8n process (docs/SCALING.md). */
export const DB_POOL_SIZE = 10;

export type Role = 'main' | 'worker' | 'webhook';

export interface ClusterSettings {
	runtime: N8nRuntime;
	dir: string;
	owner: Owner;
	encryptionKey: string;
	database: PostgresDatabase;
	redisPort: number;
	/** what callers use for production webhooks (the round-robin proxy) */
	webhookBaseUrl: string;
	/** `n8n worker --concurrency` */
	workerConcurrency: number;
}

/** One n8n process of the cluster; the CLI (import, publish) runs with the same queue-mode environment. */
export class ClusterProcess extends N8nInstance {
	private process?: Started;
	/** worker: the port of its health server (`/healthz/readiness`) */
	healthPort?: number;

	constructor(
		readonly role: Role,
		readonly label: string,
		options: N8nInstanceOptions,
		private readonly settings: ClusterSettings,
	) {
		super(options);
	}

	override async environment(): Promise<NodeJS.ProcessEnv> {
		const { database, redisPort, webhookBaseUrl } = this.settings;
		const env: NodeJS.ProcessEnv = {
			...(await super.environment()),
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: database.host,
			DB_POSTGRESDB_PORT: String(database.port),
			DB_POSTGRESDB_DATABASE: database.database,
			DB_POSTGRESDB_USER: database.user,
			DB_POSTGRESDB_PASSWORD: database.password,
			// n8n's default pool is 2 connections: a burst of notifications then waits for one (each loads
			// the workflow, saves its static data and queues a run) until "timeout exceeded when trying to connect".
			DB_POSTGRESDB_POOL_SIZE: String(DB_POOL_SIZE),
			DB_POSTGRESDB_CONNECTION_TIMEOUT: '60000',
			// This machine's CPU is shared: a ping that is merely slow must not make n8n tear its pool down
			// ("Driver not Connected" for every request in flight). Generous, not needed on a quiet host.
			DB_PING_TIMEOUT_MS: '30000',
			DB_PING_MAX_FAILURES_BEFORE_RECOVERY: '10',
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			WEBHOOK_URL: `${webhookBaseUrl}/`,
			// Production webhooks are the webhook processes' job; main keeps the editor, REST and test URLs.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			N8N_LOG_LEVEL: 'info',
		};
		if (this.role === 'worker') {
			env.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			env.QUEUE_HEALTH_CHECK_PORT = String(this.healthPort);
			env.N8N_WORKER_SERVER_ADDRESS = '127.0.0.1';
		}
		return env;
	}

	/**
	 * Publishes imported workflows through main's REST API, as the editor's Publish button does. (The
	 * CLI's `import:workflow --activeState=fromJson` refuses on a fresh database: "User attempted to
	 * activate a workflow without permissions", the owner only exists once main has started.)
	 */
	async publishViaRest(workflowIds: string[]): Promise<void> {
		for (const id of workflowIds) {
			const workflow = await this.rest<{ versionId: string }>('GET', `/workflows/${id}`);
			await this.rest('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
		}
	}

	/** The process's readiness URL. */
	get readinessUrl(): string {
		const port = this.role === 'worker' ? this.healthPort : this.options.port;
		return `http://127.0.0.1:${port}/healthz/readiness`;
	}

	async startRole(): Promise<void> {
		if (this.role === 'main') {
			await this.start();
			this.process = this.serverProcess;
			return;
		}
		const args =
			this.role === 'worker'
				? [this.options.runtime.n8nBin, 'worker', `--concurrency=${this.settings.workerConcurrency}`]
				: [this.options.runtime.n8nBin, 'webhook'];
		this.process = startProcess(this.label, this.options.runtime.node, args, {
			cwd: this.options.userFolder,
			env: await this.environment(),
			logFile: this.options.logFile,
		});
		await waitFor(
			`${this.label} to answer ${this.readinessUrl}`,
			async () => ((await fetch(this.readinessUrl)).ok ? true : undefined),
			{ timeoutMs: 240_000, intervalMs: 500, while: this.process },
		);
	}

	get pid(): number | undefined {
		return this.process?.pid;
	}

	/** Everything the process printed so far. */
	output(): string {
		return this.process?.output() ?? '';
	}

	async stopRole(): Promise<void> {
		if (this.role === 'main') await this.stop();
		else if (this.process) await stopProcess(this.process);
		this.process = undefined;
	}
}

export class QueueCluster {
	readonly main: ClusterProcess;
	readonly workers: ClusterProcess[] = [];
	readonly webhooks: ClusterProcess[] = [];

	private constructor(main: ClusterProcess) {
		this.main = main;
	}

	static async create(settings: ClusterSettings, counts: { workers: number; webhooks: number }): Promise<QueueCluster> {
		const make = async (role: Role, label: string) => {
			const process = new ClusterProcess(
				role,
				label,
				{
					runtime: settings.runtime,
					userFolder: path.join(settings.dir, label),
					port: await freePort(),
					owner: settings.owner,
					encryptionKey: settings.encryptionKey,
					logFile: path.join(settings.dir, `${label}.log`),
				},
				settings,
			);
			if (role === 'worker') process.healthPort = await freePort();
			return process;
		};
		const cluster = new QueueCluster(await make('main', 'main'));
		for (let i = 1; i <= counts.workers; i++) cluster.workers.push(await make('worker', `worker-${i}`));
		for (let i = 1; i <= counts.webhooks; i++) cluster.webhooks.push(await make('webhook', `webhook-${i}`));
		return cluster;
	}

	get all(): ClusterProcess[] {
		return [this.main, ...this.workers, ...this.webhooks];
	}

	/** The package, installed into every process's user folder. */
	async installPackage(tarball: string): Promise<void> {
		for (const process of this.all) await process.installPackage(tarball);
	}

	/** Main first (it migrates the database and activates the workflows), then the others together. */
	async start(say: (line: string) => void): Promise<void> {
		let started = Date.now();
		await this.main.startRole();
		say(`main ready in ${Math.round((Date.now() - started) / 1000)} s (pid ${this.main.pid}, ${this.main.baseUrl})`);
		started = Date.now();
		await Promise.all([...this.workers, ...this.webhooks].map((process) => process.startRole()));
		for (const process of [...this.workers, ...this.webhooks]) {
			const where = process.role === 'worker' ? `health ${process.healthPort}` : `port ${process.options.port}`;
			say(`${process.label} ready (pid ${process.pid}, ${where})`);
		}
		say(`workers and webhook processes ready in ${Math.round((Date.now() - started) / 1000)} s`);
	}

	async stop(): Promise<void> {
		await Promise.all([...this.webhooks, ...this.workers].map((process) => process.stopRole()));
		await this.main.stopRole();
	}
}
