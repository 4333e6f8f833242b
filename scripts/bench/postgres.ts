/**
 * A throwaway Postgres cluster for `npm run bench -- --postgres` (n8n's other database): initdb into a
 * temporary folder, started on 127.0.0.1 and a free port, removed again by stop(). Postgres refuses
 * to run as root, so as root its commands run as the `postgres` user (engineering.md, queue mode).
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';

import { freePort, runCommand } from '../lib/processes';

export interface Postgres {
	/** n8n's database settings for this cluster */
	env: NodeJS.ProcessEnv;
	version: string;
	stop(): Promise<void>;
}

function postgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
	if (versions.length === 0) throw new Error('no Postgres found under /usr/lib/postgresql (apt-get install postgresql)');
	return path.join(root, versions[0], 'bin');
}

export async function startPostgres(): Promise<Postgres> {
	const bin = postgresBin();
	const asRoot = process.getuid?.() === 0;
	const run = (command: string, args: string[]) =>
		asRoot
			? runCommand('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { timeoutMs: 120_000 })
			: runCommand(path.join(bin, command), args, { timeoutMs: 120_000 });
	const dir = mkdtempSync(path.join(os.tmpdir(), 'rm-bench-pg-'));
	chmodSync(dir, 0o777);
	const data = path.join(dir, 'data');
	const port = await freePort();
	await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
	await run('pg_ctl', ['-D', data, '-l', path.join(dir, 'pg.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
	const stop = async () => {
		await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		await runCommand(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'create database n8n'], {
			timeoutMs: 60_000,
		});
		const { stdout } = await runCommand(path.join(bin, 'postgres'), ['--version'], { timeoutMs: 30_000 });
		return {
			version: `PostgreSQL ${/\d+(\.\d+)?/.exec(stdout)?.[0] ?? stdout.trim()}`,
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(port),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'postgres',
				DB_POSTGRESDB_PASSWORD: '',
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
