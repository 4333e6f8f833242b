/**
 * A throwaway Redis on 127.0.0.1 (Debian's `redis-server` package) for n8n's queue (Bull): in the
 * foreground as a child this script owns, nothing persisted, stopped by its process id.
 */
import { existsSync, mkdirSync } from 'fs';
import net from 'net';

import { ensureDebianPackages } from './apt';
import { startProcess, stopProcess, waitFor, type Started } from './processes';

const REDIS_SERVER = '/usr/bin/redis-server';

/** One PING over the wire (no redis-cli needed); true on +PONG. */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
	});
}

export class LocalRedis {
	private server?: Started;

	constructor(
		readonly port: number,
		private readonly dir: string,
	) {}

	static async install(say: (line: string) => void): Promise<void> {
		await ensureDebianPackages(['redis-server'], () => existsSync(REDIS_SERVER), say);
	}

	async start(logFile: string): Promise<void> {
		mkdirSync(this.dir, { recursive: true });
		this.server = startProcess(
			'redis',
			REDIS_SERVER,
			[
				'--port',
				String(this.port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--daemonize',
				'no',
				'--dir',
				this.dir,
			],
			{ logFile },
		);
		await waitFor(`Redis to answer PING on 127.0.0.1:${this.port}`, async () => ((await ping(this.port)) ? true : undefined), {
			timeoutMs: 30_000,
			intervalMs: 200,
			while: this.server,
		});
	}

	get pid(): number | undefined {
		return this.server?.pid;
	}

	async stop(): Promise<void> {
		if (this.server) await stopProcess(this.server, 10_000);
		this.server = undefined;
	}
}
