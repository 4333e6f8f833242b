/**
 * One real n8n for the e2e run, `npm run dev` and the screenshot: its user folder, the package installed
 * the way n8n installs a community package, the `n8n` CLI (import, execute, publish) and the server with
 * its REST API. Everything listens on 127.0.0.1 only.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'fs';
import { createRequire } from 'module';
import path from 'path';

import { n8nMajor, type N8nRuntime } from './n8n-runtime';
import { freePort, runCommand, startProcess, stopProcess, waitFor, type Started } from './processes';

export const PACKAGE_NAME = 'n8n-nodes-revenuemonster';
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nInstanceOptions {
	runtime: N8nRuntime;
	/** N8N_USER_FOLDER: n8n keeps `.n8n/` (database, settings, installed nodes) inside it */
	userFolder: string;
	port: number;
	owner: Owner;
	encryptionKey: string;
	/** append n8n's output here */
	logFile: string;
	/** echo the server's output to the console */
	echo?: boolean;
}

/** `npm pack` of the repo (built first by the caller), to `destination`; returns the tarball path. */
export async function packPackage(destination: string): Promise<string> {
	mkdirSync(destination, { recursive: true });
	const { stdout } = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		env: withoutNpmConfig(),
		timeoutMs: 120_000,
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
		filename: string;
		files: Array<{ path: string }>;
	}>;
	return path.join(destination, packed.filename);
}

/** The environment minus what `npm run` exports (`npm_config_ignore_scripts` and friends). */
export function withoutNpmConfig(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
	return { ...env, ...extra };
}

export interface Execution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	/** the run data, parsed */
	data?: ExecutionData;
}

export interface ExecutionData {
	resultData: {
		error?: { message?: string; description?: string; node?: { name?: string } };
		runData: Record<
			string,
			Array<{ error?: { message?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
		>;
		lastNodeExecuted?: string;
	};
}

/** n8n's REST API as the instance owner: the session cookie, executions and their run data. */
export class N8nApi {
	private cookie = '';
	private readonly browserId = `rm-scripts-${process.pid}`;

	constructor(
		readonly baseUrl: string,
		protected readonly owner: Owner,
		/** the n8n install's node_modules, for n8n's own `flatted` */
		private readonly nodeModules: string,
	) {}

	/** Logs in as the owner (REST API session cookie); false when n8n refuses. */
	async login(): Promise<boolean> {
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'browser-id': this.browserId },
			body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
		});
		const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (!response.ok || !cookie) return false;
		this.cookie = cookie.split(';')[0];
		return true;
	}

	/** A call to n8n's REST API as the logged-in owner. */
	async rest<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: { Cookie: this.cookie, 'browser-id': this.browserId, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${route} answered ${response.status}: ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/** Any other page of n8n that needs the owner's session (e.g. /types/nodes.json). */
	async get<T>(route: string): Promise<T> {
		const response = await fetch(`${this.baseUrl}${route}`, {
			headers: { Cookie: this.cookie, 'browser-id': this.browserId },
		});
		if (!response.ok) throw new Error(`n8n GET ${route} answered ${response.status}`);
		return (await response.json()) as T;
	}

	/** Executions of a workflow, newest first (without run data). */
	async executions(workflowId: string): Promise<Execution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.rest<{ results: Execution[] }>('GET', `/executions?filter=${filter}&limit=100`);
		return page.results;
	}

	/** One execution with its run data (n8n stores it in `flatted` form; flatted is n8n's own dependency). */
	async execution(id: string): Promise<Execution> {
		const raw = await this.rest<Execution & { data: string }>('GET', `/executions/${id}`);
		const requireFromN8n = createRequire(path.join(this.nodeModules, 'n8n', 'package.json'));
		const flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
		return { ...raw, data: flatted.parse(raw.data) as ExecutionData };
	}
}

/** One n8n: its user folder, the package installed in it, the CLI and the server. */
export class N8nInstance extends N8nApi {
	private server?: Started;

	constructor(readonly options: N8nInstanceOptions) {
		super(`http://127.0.0.1:${options.port}`, options.owner, options.runtime.nodeModules);
		mkdirSync(options.userFolder, { recursive: true });
	}

	get dotN8n(): string {
		return path.join(this.options.userFolder, '.n8n');
	}

	/** Environment for every n8n process: loopback only, no telemetry or update checks, owner from env. */
	async environment(): Promise<NodeJS.ProcessEnv> {
		const { runtime, port, owner } = this.options;
		return withoutNpmConfig({
			PATH: `${runtime.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.options.userFolder,
			N8N_ENCRYPTION_KEY: this.options.encryptionKey,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			// It fetches a list of MCP servers from api.n8n.io: nothing here talks to the internet. n8n 1.x has
			// no such module and refuses to start when an unknown one is named.
			...(n8nMajor(this.options.runtime.version) >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			GENERIC_TIMEZONE: 'Asia/Kuala_Lumpur',
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: this.passwordHash(owner.password),
		});
	}

	private passwordHashCache?: string;
	private passwordHash(password: string): string {
		// n8n takes a bcrypt hash of the owner's password; bcryptjs is n8n's own dependency.
		const requireFromN8n = createRequire(path.join(this.options.runtime.nodeModules, 'n8n', 'package.json'));
		const bcrypt = requireFromN8n('bcryptjs') as { hashSync(text: string, rounds: number): string };
		this.passwordHashCache ??= bcrypt.hashSync(password, 10);
		return this.passwordHashCache;
	}

	/**
	 * Installs the packed tarball as n8n installs a community package: unpacked into
	 * `.n8n/nodes/node_modules/<name>`, its dev and peer dependencies dropped (n8n provides n8n-workflow).
	 */
	async installPackage(tarball: string): Promise<string> {
		const nodesDir = path.join(this.dotN8n, 'nodes');
		const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		const unpack = path.join(nodesDir, `.unpack-${process.pid}`);
		rmSync(unpack, { recursive: true, force: true });
		mkdirSync(unpack, { recursive: true });
		await runCommand('tar', ['-xzf', tarball, '-C', unpack], { timeoutMs: 60_000 });
		const manifestPath = path.join(unpack, 'package', 'package.json');
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
		if (manifest.dependencies && Object.keys(manifest.dependencies).length > 0) {
			throw new Error(
				`the package must have no runtime dependencies, found ${Object.keys(manifest.dependencies).join(', ')}`,
			);
		}
		delete manifest.devDependencies;
		delete manifest.peerDependencies;
		writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		rmSync(target, { recursive: true, force: true });
		mkdirSync(path.dirname(target), { recursive: true });
		renameSync(path.join(unpack, 'package'), target);
		rmSync(unpack, { recursive: true, force: true });
		writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify(
				{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: manifest.version } },
				null,
				2,
			),
		);
		return target;
	}

	/** Runs one `n8n` CLI command to completion (each boots n8n: 5–20 s). */
	async cli(args: string[], timeoutMs = 180_000): Promise<string> {
		const { stdout } = await runCommand(this.options.runtime.node, [this.options.runtime.n8nBin, ...args], {
			cwd: this.options.userFolder,
			env: await this.environment(),
			timeoutMs,
			logFile: this.options.logFile,
		});
		return stdout;
	}

	async importCredentials(credentials: object[], scratch: string): Promise<void> {
		const file = path.join(scratch, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		try {
			await this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	async importWorkflows(workflows: object[], scratch: string): Promise<void> {
		const dir = path.join(scratch, 'workflows-to-import');
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		workflows.forEach((workflow, index) => writeFileSync(path.join(dir, `${index}.json`), JSON.stringify(workflow)));
		await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
		rmSync(dir, { recursive: true, force: true });
	}

	/**
	 * Makes a workflow active for the next `n8n start`: `publish:workflow` on n8n 2.x; n8n 1.x has no
	 * publishing and activates with `update:workflow --active=true`.
	 */
	async publish(workflowId: string): Promise<void> {
		if (n8nMajor(this.options.runtime.version) === 1) {
			await this.cli(['update:workflow', `--id=${workflowId}`, '--active=true']);
		} else {
			await this.cli(['publish:workflow', `--id=${workflowId}`]);
		}
	}

	/**
	 * `n8n execute --id --rawOutput`: the run's JSON comes after n8n's log lines. A run that ends in an
	 * error makes the CLI exit non-zero; that is returned as `error` with the run, not thrown.
	 */
	async execute(workflowId: string): Promise<{ run?: { data: ExecutionData }; error?: string; output: string }> {
		try {
			const stdout = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
			// The run is printed as indented JSON: from a line "{" to a line "}" (log lines may come around it).
			const start = stdout.search(/^\{$/m);
			const end = stdout.slice(start).search(/^\}$/m);
			if (start < 0 || end < 0) return { error: 'n8n printed no run data', output: stdout };
			return { run: JSON.parse(stdout.slice(start, start + end + 1)) as { data: ExecutionData }, output: stdout };
		} catch (error) {
			return { error: (error as Error).message, output: (error as Error).message };
		}
	}

	/** Starts `n8n start` and waits until the editor answers and the owner can log in. */
	async start(): Promise<void> {
		this.server = startProcess('n8n', this.options.runtime.node, [this.options.runtime.n8nBin, 'start'], {
			cwd: this.options.userFolder,
			env: await this.environment(),
			logFile: this.options.logFile,
			echo: this.options.echo,
		});
		await waitFor(
			`n8n to answer on ${this.baseUrl}/healthz/readiness`,
			async () => ((await fetch(`${this.baseUrl}/healthz/readiness`)).ok ? true : undefined),
			{ timeoutMs: 180_000, intervalMs: 500, while: this.server },
		);
		await waitFor('the owner to log in', async () => ((await this.login()) ? true : undefined), {
			timeoutMs: 60_000,
			intervalMs: 500,
			while: this.server,
		});
	}

	get serverProcess(): Started | undefined {
		return this.server;
	}

	async stop(): Promise<void> {
		if (this.server) await stopProcess(this.server);
		this.server = undefined;
	}
}

/** Output items of a node in a run (`output` 0 = main, 1 = the error output). */
export function nodeOutput(
	data: ExecutionData | undefined,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runs = data?.resultData.runData[nodeName] ?? [];
	return runs.flatMap((run) => run.data?.main?.[output] ?? []).map((item) => item.json);
}

/** Names of nodes that ran. */
export function nodesThatRan(data: ExecutionData | undefined): string[] {
	return Object.keys(data?.resultData.runData ?? {});
}

export function readJson<T>(file: string): T {
	return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function listJson(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => path.join(dir, name));
}
