/**
 * The two small HTTP servers of the queue-mode run, on 127.0.0.1:
 * - a round-robin proxy in front of the webhook processes (n8n has no load balancer of its own):
 *   request i goes to target i mod n, so copies of one notification land on different processes;
 * - a sink the test workflows POST to from their last node, counting what each run did.
 */
import http from 'http';
import type { AddressInfo } from 'net';

export class RoundRobinProxy {
	private next = 0;
	private server?: http.Server;
	url = '';
	/** requests sent to each target */
	readonly counts: number[];

	constructor(private readonly targets: string[]) {
		this.counts = targets.map(() => 0);
	}

	async start(port: number): Promise<string> {
		this.server = http.createServer((request, response) => {
			const index = this.next++ % this.targets.length;
			this.counts[index]++;
			const target = new URL(request.url ?? '/', this.targets[index]);
			const forward = http.request(
				target,
				{ method: request.method, headers: { ...request.headers, host: target.host } },
				(answer) => {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				},
			);
			forward.on('error', () => {
				if (!response.headersSent) response.writeHead(502);
				response.end();
			});
			request.pipe(forward);
		});
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}

export interface SinkRecord {
	/** which test (route) reported it */
	route: string;
	body: Record<string, unknown>;
	at: number;
}

export class Sink {
	private server?: http.Server;
	readonly records: SinkRecord[] = [];
	url = '';

	async start(): Promise<string> {
		this.server = http.createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				try {
					const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
					this.records.push({ route: (request.url ?? '/').replace(/^\//, ''), body, at: Date.now() });
					response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
				} catch {
					response.writeHead(400).end();
				}
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.url;
	}

	on(route: string): SinkRecord[] {
		return this.records.filter((record) => record.route === route);
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}
