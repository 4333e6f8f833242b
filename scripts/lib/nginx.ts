/**
 * A throwaway nginx on 127.0.0.1 (Debian's `nginx` package) for the queue-mode run: its own prefix,
 * configuration, logs and temp folders in one folder of the run, in the foreground (`daemon off`) as a
 * child this script owns, stopped by its process id. The site configuration is a committed template
 * (deploy/nginx/) with `__NAME__` placeholders, filled here with the run's ports.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import net from 'net';
import path from 'path';

import { ensureDebianPackages } from './apt';
import { runCommand, startProcess, stopProcess, waitFor, type Started } from './processes';

const NGINX = '/usr/sbin/nginx';

/** One line of the access log: what was asked, which upstreams were tried, with what status. */
export interface NginxLogEntry {
	uri: string;
	/** `host:port`, or several separated by `, ` when nginx passed the request on (the last answered) */
	upstream: string;
	status: number;
	/** the request's `X-Test-Payment` header (which payment a copy belongs to), empty when absent */
	tag: string;
	/** when nginx logged it (the request's end), ms since the epoch */
	at: number;
}

/** The template with every `__NAME__` replaced; throws when one is left unfilled. */
export function fillTemplate(template: string, values: Record<string, string>): string {
	let text = template;
	for (const [name, value] of Object.entries(values)) text = text.split(`__${name}__`).join(value);
	// Comments may name the placeholders; configuration lines must not keep any.
	const left = text
		.split('\n')
		.filter((line) => !line.trim().startsWith('#'))
		.join('\n')
		.match(/__[A-Z0-9_]+__/g);
	if (left) throw new Error(`unfilled placeholders in the nginx template: ${[...new Set(left)].join(', ')}`);
	return text;
}

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.on('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
	});
}

export class LocalNginx {
	private server?: Started;

	constructor(
		readonly port: number,
		private readonly dir: string,
	) {}

	static async install(say: (line: string) => void): Promise<void> {
		await ensureDebianPackages(['nginx'], () => existsSync(NGINX), say);
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get accessLogFile(): string {
		return path.join(this.dir, 'access.log');
	}

	/** Writes nginx.conf around the filled site template, checks it with `nginx -t`, starts nginx. */
	async start(templateFile: string, values: Record<string, string>): Promise<void> {
		mkdirSync(path.join(this.dir, 'temp'), { recursive: true });
		const site = path.join(this.dir, path.basename(templateFile));
		writeFileSync(site, fillTemplate(readFileSync(templateFile, 'utf8'), { LISTEN: `127.0.0.1:${this.port}`, ...values }));
		const temp = (name: string) => path.join(this.dir, 'temp', name);
		const conf = path.join(this.dir, 'nginx.conf');
		writeFileSync(
			conf,
			[
				'daemon off;',
				'worker_processes 1;',
				`pid ${path.join(this.dir, 'nginx.pid')};`,
				`error_log ${path.join(this.dir, 'error.log')} notice;`,
				'events { worker_connections 1024; }',
				'http {',
				"    log_format rm '$request_uri|$upstream_addr|$status|$http_x_test_payment|$msec';",
				`    access_log ${this.accessLogFile} rm;`,
				`    client_body_temp_path ${temp('body')};`,
				`    proxy_temp_path ${temp('proxy')};`,
				`    fastcgi_temp_path ${temp('fastcgi')};`,
				`    uwsgi_temp_path ${temp('uwsgi')};`,
				`    scgi_temp_path ${temp('scgi')};`,
				`    include ${site};`,
				'}',
				'',
			].join('\n'),
		);
		await runCommand(NGINX, ['-t', '-p', this.dir, '-c', conf], { timeoutMs: 30_000, logFile: path.join(this.dir, 'nginx-t.log') });
		this.server = startProcess('nginx', NGINX, ['-p', this.dir, '-c', conf], { logFile: path.join(this.dir, 'nginx.out') });
		await waitFor(`nginx to listen on 127.0.0.1:${this.port}`, async () => ((await listening(this.port)) ? true : undefined), {
			timeoutMs: 30_000,
			intervalMs: 200,
			while: this.server,
		});
	}

	/** Every request nginx logged so far (nginx writes each line when the request ends). */
	log(): NginxLogEntry[] {
		if (!existsSync(this.accessLogFile)) return [];
		return readFileSync(this.accessLogFile, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const [uri, upstream, status, tag, msec] = line.split('|');
				return { uri, upstream, status: Number(status), tag: tag === '-' ? '' : tag, at: Math.round(Number(msec) * 1000) };
			});
	}

	get pid(): number | undefined {
		return this.server?.pid;
	}

	/** SIGTERM to nginx's process group (a fast shutdown), by its id. */
	async stop(): Promise<void> {
		if (this.server) await stopProcess(this.server, 10_000);
		this.server = undefined;
	}
}
