/**
 * A throwaway Postgres on 127.0.0.1 (Debian's `postgresql` package) for the queue-mode run: a fresh
 * cluster in a temporary folder, started in the foreground as a child this script owns and stopped by
 * its process id. Postgres refuses to run as root, so as root everything runs as the `postgres` user
 * the Debian package creates (the data folder is made theirs).
 */
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'fs';
import path from 'path';

import { ensureDebianPackages, isRoot } from './apt';
import { runCommand, startProcess, waitFor, type Started } from './processes';

const DEBIAN_POSTGRES = '/usr/lib/postgresql';

/** The newest installed server's bin folder (e.g. /usr/lib/postgresql/15/bin), if any. */
export function postgresBinDir(): string | undefined {
	if (!existsSync(DEBIAN_POSTGRES)) return undefined;
	const versions = readdirSync(DEBIAN_POSTGRES)
		.filter((name) => existsSync(path.join(DEBIAN_POSTGRES, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(DEBIAN_POSTGRES, versions[0], 'bin') : undefined;
}

export interface PostgresDatabase {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** major version of the server */
	version: string;
}

export class LocalPostgres {
	private server?: Started;
	readonly bin: string;

	private constructor(
		bin: string,
		/** a folder the server user can reach; the cluster lives in `data/` inside it */
		private readonly dir: string,
		readonly port: number,
	) {
		this.bin = bin;
	}

	/** Installs the Debian package when missing (as root), then prepares an empty folder for the cluster. */
	static async prepare(dir: string, port: number, say: (line: string) => void): Promise<LocalPostgres> {
		await ensureDebianPackages(['postgresql'], () => postgresBinDir() !== undefined, say);
		mkdirSync(dir, { recursive: true });
		if (isRoot()) {
			const { stdout } = await runCommand('id', ['-u', 'postgres'], { timeoutMs: 10_000 });
			const { stdout: group } = await runCommand('id', ['-g', 'postgres'], { timeoutMs: 10_000 });
			chownSync(dir, Number(stdout.trim()), Number(group.trim()));
		}
		return new LocalPostgres(postgresBinDir()!, dir, port);
	}

	get version(): string {
		return path.basename(path.dirname(this.bin));
	}

	/** A command as the server's user: itself, or `postgres` when this script is root. */
	private asServerUser(tool: string, args: string[]): [string, string[]] {
		const command = path.join(this.bin, tool);
		return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
	}

	/** initdb, start, then a database `database` owned by `user`. */
	async start(options: { database: string; user: string; password: string; logFile: string }): Promise<PostgresDatabase> {
		const data = path.join(this.dir, 'data');
		const [initdb, initArgs] = this.asServerUser('initdb', [
			'-D',
			data,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-instructions',
		]);
		await runCommand(initdb, initArgs, { timeoutMs: 120_000, logFile: options.logFile });
		const [postgres, args] = this.asServerUser('postgres', [
			'-D',
			data,
			'-p',
			String(this.port),
			'-k',
			this.dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'max_connections=200',
			'-c',
			'fsync=off',
		]);
		this.server = startProcess('postgres', postgres, args, { logFile: options.logFile });
		await waitFor(
			`Postgres to accept connections on 127.0.0.1:${this.port}`,
			async () => {
				await this.psql(['-c', 'select 1']);
				return true;
			},
			{ timeoutMs: 60_000, intervalMs: 300, while: this.server },
		);
		// Two -c: CREATE DATABASE cannot run inside the transaction one -c with both would open.
		await this.psql([
			'-c',
			`create user ${options.user} with password '${options.password}'`,
			'-c',
			`create database ${options.database} owner ${options.user}`,
		]);
		return {
			host: '127.0.0.1',
			port: this.port,
			database: options.database,
			user: options.user,
			password: options.password,
			version: this.version,
		};
	}

	/** psql as the superuser over TCP on 127.0.0.1 (trust auth); returns its output. */
	async psql(args: string[], database = 'postgres'): Promise<string> {
		const { stdout } = await runCommand(
			path.join(this.bin, 'psql'),
			['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', ...args],
			{ timeoutMs: 60_000 },
		);
		return stdout;
	}

	get pid(): number | undefined {
		return this.server?.pid;
	}

	/** Fast shutdown (SIGINT: clients are disconnected), by the server's process id; SIGKILL if it hangs. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		try {
			process.kill(-server.pid, 'SIGINT');
		} catch {
			return;
		}
		const exited = await Promise.race([server.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20_000))]);
		if (!exited) {
			try {
				process.kill(-server.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}
