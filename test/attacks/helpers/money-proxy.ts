/**
 * An attacker's proxy between the node and Revenue Monster (the simulator): for the requests it is
 * told to attack, it either answers by itself (RM refused: nothing reaches RM, nothing is done) or
 * lets RM act — charge, refund, reverse — and then answers anything it likes instead of RM's
 * answer, or cuts the connection. Every other request passes through untouched.
 *
 * The Host header is passed on as the node sent it, so the simulator checks the signature against
 * the URL the node signed (the proxy's).
 */
import http from 'http';
import type { AddressInfo } from 'net';

/** An answer made from the request: an RM or proxy fault echoing what it was sent. */
export type Echo = (request: { authorization?: string; body: string }) => { status: number; body?: unknown; html?: string };

export type ProxyAnswer =
	/** answer this without asking RM: RM refused, nothing was done */
	| { refuse: { status: number; body?: unknown; html?: string } | Echo }
	/** let RM act, then answer this instead of RM's answer */
	| { afterRm: { status: number; body?: unknown; html?: string } }
	/** let RM act, then cut the connection without an answer */
	| { afterRm: 'reset' }
	/** pass through untouched */
	| 'pass';

export interface ProxiedRequest {
	method: string;
	path: string;
	/** the request reached RM (the simulator), so RM may have acted on it */
	reachedRm: boolean;
	answeredWith: string;
	authorization?: string;
}

interface Script {
	method: string;
	path: string;
	answers: ProxyAnswer[];
}

/** RM's error body, as the simulator and RM send it. */
export function rmErrorBody(code: string, message = code.toLowerCase().replace(/_/g, ' ')): unknown {
	return { error: { code, message } };
}

export class MoneyProxy {
	/** every request that came through, in order */
	readonly requests: ProxiedRequest[] = [];
	private scripts: Script[] = [];
	private server?: http.Server;
	url = '';

	constructor(private readonly upstream: string) {}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** The next requests matching method and path get these answers, in order; then they pass. */
	attack(method: string, path: string, answers: ProxyAnswer[]): void {
		this.scripts.push({ method: method.toUpperCase(), path, answers: [...answers] });
	}

	reset(): void {
		this.scripts = [];
		this.requests.length = 0;
	}

	/** Requests to this method and path: how many were sent, and how many reached RM. */
	sendsTo(method: string, path: string): { sent: number; reachedRm: number } {
		const matching = this.requests.filter((request) => request.method === method && request.path === path);
		return { sent: matching.length, reachedRm: matching.filter((request) => request.reachedRm).length };
	}

	private nextAnswer(method: string, path: string): ProxyAnswer {
		const script = this.scripts.find((candidate) => candidate.method === method && candidate.path === path);
		return script?.answers.shift() ?? 'pass';
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const method = (req.method ?? 'GET').toUpperCase();
		const path = new URL(req.url ?? '/', 'http://proxy').pathname;
		const answer = this.nextAnswer(method, path);
		const record: ProxiedRequest = {
			method,
			path,
			reachedRm: false,
			answeredWith: 'RM',
			authorization: req.headers.authorization,
		};
		this.requests.push(record);

		if (answer !== 'pass' && 'refuse' in answer) {
			const refusal =
				typeof answer.refuse === 'function'
					? answer.refuse({ authorization: req.headers.authorization, body: body.toString('utf8') })
					: answer.refuse;
			record.answeredWith = `${refusal.status} (refused before RM)`;
			return send(res, refusal);
		}
		let upstream: { status: number; headers: http.IncomingHttpHeaders; body: Buffer };
		try {
			upstream = await forward(this.upstream, req, body);
			record.reachedRm = true;
		} catch {
			res.socket?.destroy();
			return;
		}
		if (answer === 'pass') {
			res.writeHead(upstream.status, { 'Content-Type': upstream.headers['content-type'] ?? 'application/json' });
			res.end(upstream.body);
			return;
		}
		if (answer.afterRm === 'reset') {
			record.answeredWith = 'connection reset after RM acted';
			res.socket?.destroy();
			return;
		}
		record.answeredWith = `${answer.afterRm.status} (after RM acted)`;
		send(res, answer.afterRm);
	}
}

function send(res: http.ServerResponse, answer: { status: number; body?: unknown; html?: string }): void {
	if (answer.html !== undefined) {
		res.writeHead(answer.status, { 'Content-Type': 'text/html' });
		res.end(answer.html);
		return;
	}
	res.writeHead(answer.status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(answer.body ?? {}));
}

function forward(
	upstream: string,
	req: http.IncomingMessage,
	body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
	const target = new URL(req.url ?? '/', upstream);
	return new Promise((resolve, reject) => {
		const outgoing = http.request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: target.pathname + target.search,
				headers: withoutChunking(req.headers, body.length),
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }),
				);
				response.on('error', reject);
			},
		);
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

function withoutChunking(headers: http.IncomingHttpHeaders, length: number): http.OutgoingHttpHeaders {
	const { 'transfer-encoding': _chunked, ...rest } = headers;
	return { ...rest, 'content-length': String(length) };
}
