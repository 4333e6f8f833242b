/**
 * A local Revenue Monster, as strict as the real one: Basic auth on /v1/token; bearer token, timestamp
 * window, nonce reuse and the exact signature on every /v3 call; stateful endpoints; signed
 * notifications; fault injection. Used by the integration tests, the e2e run, `npm run dev` and the
 * benchmark. Control endpoints live under /__sim/ (unsigned, loopback only).
 */
import { randomBytes, type KeyObject } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';

import {
	buildSignString,
	canonicalJson,
	parseSignatureHeader,
	signDataOf,
	verifyText,
} from '../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey, parsePublicKey } from '../nodes/RevenueMonster/transport/keys';
import { SIMULATOR_KEYS } from './keys';
import type { Fault, FaultKind } from './faults';
import { deliverNotification, type NotificationVariant } from './notify';
import { handleApiRoute, recordCardCharge } from './routes';
import { RmError } from './rm-error';
import { SimulatorState, type Json } from './state';

export { RmError };

export type { Fault, FaultKind } from './faults';

export interface LogEntry {
	at: string;
	method: string;
	path: string;
	status: number;
	code?: string;
	clientId?: string;
	/** the signature was checked and matched */
	signatureValid?: boolean;
	fault?: FaultKind;
}

export interface SimulatorOptions {
	port?: number;
	host?: string;
	clientId?: string;
	clientSecret?: string;
	/** merchant public key (PEM) the simulator verifies requests with */
	merchantPublicKey?: string;
	/** seconds a token lives */
	tokenLifetimeSeconds?: number;
	/** allowed clock difference, seconds */
	timestampWindowSeconds?: number;
	/** items per list page when the request names no limit */
	pageSize?: number;
	/** added to every answer, ms (the benchmark's network latency) */
	latencyMs?: number;
	/** POST a signed notification to loopback notify URLs when a payment succeeds */
	autoNotify?: boolean;
	/**
	 * Benchmark only (scripts/bench): also accept 13-digit millisecond X-Timestamps, which RM's Node SDK
	 * sends, so that SDK can be timed here. The signature is still checked over the timestamp as sent.
	 */
	acceptMillisecondTimestamps?: boolean;
}

export interface TokenRecord {
	clientId: string;
	expiresAt: number;
}

interface RawRequest {
	method: string;
	rawUrl: string;
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
}

const SERVER_ERROR_BODY = { error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal server error' } };

export class RevenueMonsterSimulator {
	readonly state = new SimulatorState();
	readonly log: LogEntry[] = [];
	readonly stats = { tokensIssued: 0, apiCalls: 0, signatureFailures: 0, notificationsSent: 0 };
	readonly tokens = new Map<string, TokenRecord>();
	readonly options: Required<Omit<SimulatorOptions, 'port' | 'host' | 'merchantPublicKey'>>;
	readonly serverPrivateKey: KeyObject;
	readonly merchantPublicKey: KeyObject;
	/** added to the simulator's clock, ms (tests for stale timestamps and token expiry) */
	clockOffsetMs = 0;
	/** sees every authenticated /v3 request's body before it is handled (the conformance tests) */
	onApiRequest?: (request: { method: string; path: string; body: Json | undefined }) => void;

	private readonly nonces = new Map<string, number>();
	private faults: Array<Fault & { remaining: number }> = [];
	private server?: http.Server;
	private host: string;
	private port: number;
	private readonly pendingDeliveries = new Set<Promise<unknown>>();

	constructor(options: SimulatorOptions = {}) {
		this.host = options.host ?? '127.0.0.1';
		this.port = options.port ?? 0;
		this.options = {
			clientId: options.clientId ?? SIMULATOR_KEYS.clientId,
			clientSecret: options.clientSecret ?? SIMULATOR_KEYS.clientSecret,
			tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 7200,
			timestampWindowSeconds: options.timestampWindowSeconds ?? 120,
			pageSize: options.pageSize ?? 20,
			latencyMs: options.latencyMs ?? 0,
			autoNotify: options.autoNotify ?? true,
			acceptMillisecondTimestamps: options.acceptMillisecondTimestamps ?? false,
		};
		this.merchantPublicKey = parsePublicKey(options.merchantPublicKey ?? SIMULATOR_KEYS.merchantPublicKey);
		this.serverPrivateKey = parsePrivateKey(SIMULATOR_KEYS.serverPrivateKey);
	}

	get url(): string {
		return `http://${this.host}:${this.port}`;
	}

	nowMs(): number {
		return Date.now() + this.clockOffsetMs;
	}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5_000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.port, this.host, () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		await Promise.allSettled([...this.pendingDeliveries]);
		if (!this.server) return;
		const server = this.server;
		this.server = undefined;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	addFault(fault: Fault): void {
		this.faults.push({ ...fault, remaining: fault.times ?? 1 });
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** Forgets every token: the next signed call answers 401 TOKEN_INVALID. */
	revokeTokens(): void {
		this.tokens.clear();
	}

	apiLog(): LogEntry[] {
		return this.log.filter((entry) => entry.path.startsWith('/v3'));
	}

	/** Signs and sends a notification the way RM's server does, or one of the broken variants. */
	async notify(
		url: string,
		body: Json,
		variant: NotificationVariant = 'signed',
		method: 'POST' | 'GET' = 'POST',
	): Promise<number[]> {
		this.stats.notificationsSent++;
		return await deliverNotification(this.serverPrivateKey, url, body, variant, method, this.nowMs());
	}

	/** Fires a notification without waiting for it (what RM does after a payment). */
	notifyInBackground(url: string, body: Json): void {
		if (!this.options.autoNotify || !isLoopbackUrl(url)) return;
		const delivery = this.notify(url, body).catch(() => undefined);
		this.pendingDeliveries.add(delivery);
		void delivery.finally(() => this.pendingDeliveries.delete(delivery));
	}

	takeFault(method: string, path: string, kinds?: FaultKind[]): Fault | undefined {
		const index = this.faults.findIndex(
			(fault) =>
				fault.remaining > 0 &&
				(!kinds || kinds.includes(fault.kind)) &&
				(!fault.method || fault.method.toUpperCase() === method) &&
				(!fault.path || path.includes(fault.path)),
		);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.remaining--;
		if (fault.remaining <= 0) this.faults.splice(index, 1);
		return fault;
	}

	// ------------------------------------------------------------------------------------------

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawUrl = req.url ?? '/';
		const parsed = new URL(rawUrl, 'http://simulator');
		const request: RawRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			rawUrl,
			path: parsed.pathname,
			query: parsed.searchParams,
			headers: req.headers,
			rawBody: Buffer.concat(chunks).toString('utf8'),
		};
		const entry: LogEntry = { at: new Date().toISOString(), method: request.method, path: request.path, status: 0 };
		let status = 200;
		let body: unknown;
		let drop = false;
		let delayMs = this.options.latencyMs;
		try {
			if (request.path.startsWith('/__sim/') || request.path.startsWith('/sim/')) {
				const control = await this.handleControl(request, res);
				if (control === undefined) return;
				body = control;
			} else {
				const fault = this.takeFault(request.method, request.path, [
					'tokenExpired',
					'rateLimit',
					'serverError',
					'errorIn200',
					'slow',
					'drop',
					'bareCode',
				]);
				if (fault) entry.fault = fault.kind;
				if (fault?.kind === 'drop' && fault.afterProcessing === false) {
					req.socket.destroy();
					this.record(entry, 0);
					return;
				}
				let answer = this.answerFault(fault, request) ?? (await this.answerApi(request, entry));
				// FAULT INJECTION (issue 9): RM did the work (charged), then the answer is a server error.
				if (fault?.kind === 'serverError' && fault.afterProcessing === true) {
					answer = { status: fault.status ?? 500, body: SERVER_ERROR_BODY };
				}
				status = answer.status;
				body = answer.body;
				if (fault?.kind === 'slow') delayMs += fault.delayMs ?? 5_000;
				drop = fault?.kind === 'drop';
			}
		} catch (error) {
			if (error instanceof RmError) {
				status = error.status;
				body = {
					error: {
						code: error.code,
						message: error.message,
						...(error.debug !== undefined ? { debug: error.debug } : {}),
					},
				};
			} else {
				status = 500;
				body = SERVER_ERROR_BODY;
			}
		}
		const code = (body as { error?: { code?: string } })?.error?.code;
		if (code) entry.code = code;
		this.record(entry, status);
		if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
		if (drop) {
			req.socket.destroy();
			return;
		}
		if (res.destroyed) return;
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
	}

	private record(entry: LogEntry, status: number): void {
		entry.status = status;
		this.log.push(entry);
		if (this.log.length > 20_000) this.log.splice(0, this.log.length - 10_000);
	}

	private answerFault(fault: Fault | undefined, request: RawRequest): { status: number; body: unknown } | undefined {
		switch (fault?.kind) {
			case 'tokenExpired': {
				const token = bearerToken(request.headers.authorization);
				if (token) this.tokens.delete(token);
				return { status: fault.status ?? 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'access token expired' } } };
			}
			case 'rateLimit':
				return {
					status: 429,
					body: { error: { code: 'TOO_MANY_REQUEST_PER_SECOND', message: 'too many request per second' } },
				};
			case 'serverError':
				// afterProcessing: answered in handle() once the request was carried out
				if (fault.afterProcessing === true) return undefined;
				return { status: fault.status ?? 500, body: SERVER_ERROR_BODY };
			case 'errorIn200':
				return {
					status: 200,
					body: {
						error: { code: fault.code ?? 'SYSTEM_BUSY', message: fault.message ?? 'system is busy, please try again later' },
					},
				};
			case 'bareCode':
				// A 200 whose body has neither item nor error, only a code (the request is not processed).
				return { status: 200, body: { code: fault.code ?? 'FAILED' } };
			default:
				return undefined;
		}
	}

	private async answerApi(request: RawRequest, entry: LogEntry): Promise<{ status: number; body: unknown }> {
		if (request.path === '/v1/token') return { status: 200, body: this.issueToken(request, entry) };
		if (!request.path.startsWith('/v3/')) throw new RmError(404, 'NOT_FOUND', 'route not found');
		this.stats.apiCalls++;
		const body = this.authenticate(request, entry);
		this.onApiRequest?.({ method: request.method, path: request.path, body });
		const result = await handleApiRoute(this, {
			method: request.method,
			path: request.path,
			query: request.query,
			body,
			origin: `http://${request.headers.host ?? `${this.host}:${this.port}`}`,
		});
		return { status: 200, body: result };
	}

	private issueToken(request: RawRequest, entry: LogEntry): Json {
		const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
		const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
		const separator = decoded.indexOf(':');
		const clientId = decoded.slice(0, separator);
		const clientSecret = decoded.slice(separator + 1);
		if (separator < 0 || clientId !== this.options.clientId || clientSecret !== this.options.clientSecret) {
			throw new RmError(401, 'InvalidClient', 'invalid client credentials');
		}
		let grant: Json;
		try {
			grant = JSON.parse(request.rawBody || '{}') as Json;
		} catch {
			throw new RmError(400, 'InvalidRequest', 'body is not JSON');
		}
		if (grant.grantType !== 'client_credentials' && grant.grantType !== 'refresh_token') {
			throw new RmError(400, 'UnSupportedGrantType', 'grantType must be client_credentials or refresh_token');
		}
		const accessToken = randomBytes(24).toString('hex');
		this.tokens.set(accessToken, {
			clientId,
			expiresAt: this.nowMs() + this.options.tokenLifetimeSeconds * 1000,
		});
		this.stats.tokensIssued++;
		entry.clientId = clientId;
		return {
			accessToken,
			tokenType: 'Bearer',
			expiresIn: this.options.tokenLifetimeSeconds,
			refreshToken: randomBytes(24).toString('hex'),
			refreshTokenExpiresIn: 30 * 24 * 3600,
		};
	}

	/** Bearer token, timestamp window, nonce reuse and signature, as RM checks them. Returns the body. */
	private authenticate(request: RawRequest, entry: LogEntry): Json | undefined {
		const token = bearerToken(request.headers.authorization);
		const record = token ? this.tokens.get(token) : undefined;
		if (!record) throw new RmError(401, 'TOKEN_INVALID', 'access token is invalid');
		if (record.expiresAt <= this.nowMs()) {
			this.tokens.delete(token!);
			throw new RmError(401, 'TOKEN_EXPIRED', 'access token expired');
		}
		entry.clientId = record.clientId;

		const timestamp = header(request.headers, 'x-timestamp');
		const nonce = header(request.headers, 'x-nonce-str');
		const signature = parseSignatureHeader(header(request.headers, 'x-signature'));
		const milliseconds = this.options.acceptMillisecondTimestamps && /^\d{13}$/.test(timestamp ?? '');
		if (!timestamp || (!/^\d{9,11}$/.test(timestamp) && !milliseconds)) {
			throw new RmError(400, 'INVALID_TIMESTAMP', 'X-Timestamp must be unix time in seconds');
		}
		const window = this.options.timestampWindowSeconds;
		const timestampSeconds = milliseconds ? Number(timestamp) / 1000 : Number(timestamp);
		if (Math.abs(timestampSeconds - this.nowMs() / 1000) > window) {
			throw new RmError(400, 'INVALID_TIMESTAMP', `timestamp is outside the ${window}s window`);
		}
		if (!nonce || !/^[A-Za-z0-9]{1,64}$/.test(nonce)) {
			throw new RmError(400, 'INVALID_NONCE_STR', 'X-Nonce-Str must be alphanumeric');
		}
		this.forgetOldNonces();
		if (this.nonces.has(nonce)) throw new RmError(400, 'INVALID_NONCE_STR', 'nonce has been used');

		let body: Json | undefined;
		let canonical: string | undefined;
		if (request.rawBody.trim() !== '') {
			try {
				body = JSON.parse(request.rawBody) as Json;
			} catch {
				throw new RmError(400, 'VALIDATION_ERROR', 'request body is not valid JSON');
			}
			canonical = canonicalJson(body);
		}
		const data = signDataOf(canonical);
		const requestUrl = `http://${request.headers.host ?? ''}${request.rawUrl}`;
		const preVerifyContent = buildSignString({
			data,
			method: request.method,
			nonceStr: nonce,
			requestUrl,
			timestamp,
		});
		const valid = signature !== undefined && verifyText(this.merchantPublicKey, preVerifyContent, signature);
		entry.signatureValid = valid;
		if (!valid) {
			this.stats.signatureFailures++;
			throw new RmError(400, 'INVALID_REQUEST_SIGNATURE', 'invalid request signature', {
				sortedJson: canonical ?? '',
				base64: data ?? '',
				preVerifyContent,
				signature: header(request.headers, 'x-signature') ?? '',
			});
		}
		this.nonces.set(nonce, this.nowMs());
		return body;
	}

	private forgetOldNonces(): void {
		const cutoff = this.nowMs() - this.options.timestampWindowSeconds * 2000;
		for (const [nonce, seenAt] of this.nonces) {
			if (seenAt >= cutoff) break;
			this.nonces.delete(nonce);
		}
	}

	// ------------------------------------------------------------------------------------------
	// Control: test hooks and the pages a customer's browser would see.

	private async handleControl(request: RawRequest, res: http.ServerResponse): Promise<unknown> {
		const body = request.rawBody ? (JSON.parse(request.rawBody) as Json) : {};
		const [, area, resource, id, action] = request.path.split('/');
		const route = `${request.method} /${area}/${resource ?? ''}${action ? `/:id/${action}` : id ? '/:id' : ''}`;
		switch (route) {
			case 'GET /__sim/health':
				return { ok: true };
			case 'GET /__sim/config':
				return {
					apiBaseUrl: this.url,
					oauthBaseUrl: this.url,
					clientId: this.options.clientId,
					clientSecret: this.options.clientSecret,
					privateKey: SIMULATOR_KEYS.merchantPrivateKey,
					serverPublicKey: SIMULATOR_KEYS.serverPublicKey,
					storeId: this.state.stores[0].id,
				};
			case 'GET /__sim/stats':
				return { ...this.stats, tokensActive: this.tokens.size };
			case 'GET /__sim/log':
				return { items: this.log };
			case 'GET /__sim/state':
				return {
					customers: [...this.state.customers.values()],
					checkouts: [...this.state.checkouts.values()],
					transactions: this.state.transactions,
					customerOrders: this.state.customerOrders,
				};
			case 'POST /__sim/faults':
				this.addFault(body as unknown as Fault);
				return { ok: true };
			case 'DELETE /__sim/faults':
				this.clearFaults();
				return { ok: true };
			case 'POST /__sim/clock':
				this.clockOffsetMs = Number(body.offsetMs ?? 0);
				return { ok: true };
			case 'POST /__sim/customers/:id/bind':
				return { item: this.bindCard(id) };
			case 'POST /__sim/customers/:id/charge':
				return { item: this.runScheduledCharge(id, Number(body.amount ?? 1000), body.declineReason as string | undefined) };
			case 'POST /__sim/transactions/:id/status':
				return { item: this.changeTransactionStatus(id, String(body.status ?? ''), body.reason as string | undefined) };
			case 'POST /__sim/checkouts/:id/pay':
				return { item: this.payCheckout(id, String(body.method ?? 'FPX')) };
			case 'POST /__sim/notify':
				return {
					statuses: await this.notify(
						String(body.url),
						body.body as Json,
						(body.variant as NotificationVariant) ?? 'signed',
						(body.method as 'POST' | 'GET') ?? 'POST',
					),
				};
			case 'GET /sim/bind/:id':
			case 'GET /sim/checkout/:id': {
				// The customer's browser: binding a card or paying succeeds at once, then RM redirects back.
				const target =
					resource === 'bind' ? this.redirectAfterBinding(id) : this.redirectAfterPayment(id);
				res.writeHead(302, { Location: target });
				res.end();
				return undefined;
			}
			default:
				throw new RmError(404, 'NOT_FOUND', `no simulator route ${route}`);
		}
	}

	bindCard(customerId: string): Json {
		const customer = this.state.customers.get(customerId);
		if (!customer) throw new RmError(404, 'CUSTOMER_NOT_FOUND', 'customer not found');
		customer.bound = true;
		customer.isActive = true;
		customer.label = '411111******1111';
		customer.updatedAt = this.state.now();
		return customer;
	}

	/**
	 * RM charging a recurring customer on its own schedule (no API call from the merchant): paid, or
	 * declined with `declineReason`. RM notifies only the paid one.
	 */
	runScheduledCharge(customerId: string, amount: number, declineReason?: string): Json {
		const customer = this.state.customers.get(customerId);
		if (!customer || !customer.bound) throw new RmError(404, 'CUSTOMER_NOT_FOUND', 'customer not found');
		return recordCardCharge(this, customer, {
			amount,
			currency: 'MYR',
			title: customer.productName || 'Subscription',
			outcome: declineReason ? { decline: declineReason } : 'paid',
			origin: this.url,
		});
	}

	/**
	 * What RM does on its own over time: an IN_PROCESS charge settles (SUCCESS or FAILED), a payment is
	 * refunded or reversed in the portal. The transaction keeps its place in the list; its status and
	 * updatedAt change, and a card charge's order follows the charge's outcome.
	 */
	changeTransactionStatus(transactionId: string, status: string, reason?: string): Json {
		const transaction = this.state.transactionById(transactionId);
		if (!transaction) throw new RmError(404, 'TRANSACTION_NOT_FOUND', 'transaction not found');
		const statuses = ['SUCCESS', 'FAILED', 'IN_PROCESS', 'FULL_REFUNDED', 'PARTIAL_REFUNDED', 'REVERSED'];
		if (!statuses.includes(status)) throw new RmError(400, 'VALIDATION_ERROR', `status must be one of ${statuses.join(', ')}`);
		const now = this.state.now();
		transaction.status = status;
		transaction.updatedAt = now;
		if (status === 'SUCCESS') {
			transaction.balanceAmount = transaction.order.amount;
			transaction.transactionAt = now;
			delete transaction.error;
		}
		if (status === 'FAILED') {
			transaction.balanceAmount = 0;
			transaction.error = { message: reason ?? '9010' };
		}
		if (status === 'FULL_REFUNDED' || status === 'REVERSED') transaction.balanceAmount = 0;
		const order = this.state.customerOrders.find((candidate) => candidate.transactionId === transactionId);
		if (order && (status === 'SUCCESS' || status === 'FAILED' || status === 'IN_PROCESS')) {
			order.status = status;
			order.updatedAt = now;
			if (status === 'FAILED' && !order.paymentUrl) order.paymentUrl = `${this.url}/sim/bind/${order.customerId}`;
		}
		return transaction;
	}

	payCheckout(checkoutId: string, method: string): Json {
		const checkout = this.state.checkouts.get(checkoutId);
		if (!checkout) throw new RmError(404, 'CHECKOUT_NOT_FOUND', 'checkout not found');
		if (checkout.status === 'SUCCESS') return this.state.transactionById(checkout.transactionId)!;
		const order = checkout.order as { id: string; title: string; detail?: string; additionalData?: string; amount: number; currencyType: string };
		const transaction = this.state.addTransaction({
			orderId: order.id,
			title: order.title,
			detail: order.detail,
			additionalData: order.additionalData,
			amount: order.amount,
			currency: order.currencyType,
			type: checkout.type === 'MOBILE_PAYMENT' ? 'WEB_MOBILE_PAYMENT' : 'WEB_PAYMENT',
			method: method.replace(/_(MY|CN|SG)$/, ''),
			source: 'WEB_PAYMENT',
			storeId: String((checkout as Json).storeId ?? ''),
			status: 'SUCCESS',
			userId: String((checkout.customer as Json)?.userId ?? ''),
		});
		checkout.status = 'SUCCESS';
		checkout.transactionId = transaction.transactionId;
		const userId = String((checkout.customer as Json)?.userId ?? '');
		if (checkout.pendingCard?.isSave && userId) this.state.saveCardToken(userId, checkout.pendingCard);
		delete checkout.pendingCard;
		checkout.updatedAt = this.state.now();
		if (checkout.notifyUrl) {
			this.notifyInBackground(checkout.notifyUrl, { eventType: 'PAYMENT_WEB_ONLINE', data: transaction });
		}
		return transaction;
	}

	private redirectAfterBinding(customerId: string): string {
		const customer = this.bindCard(customerId) as { redirectUrl?: string };
		return appendQuery(customer.redirectUrl ?? this.url, { status: 'SUCCESS', customerId });
	}

	private redirectAfterPayment(checkoutId: string): string {
		// A card sent with "GoBiz w/ Card" is paid here, once the customer has passed 3-D Secure.
		const method = this.state.checkouts.get(checkoutId)?.pendingCard ? 'GOBIZ_MY' : 'FPX';
		const transaction = this.payCheckout(checkoutId, method) as { order: { id: string } };
		const checkout = this.state.checkouts.get(checkoutId)!;
		return appendQuery(checkout.redirectUrl || this.url, { status: 'SUCCESS', orderId: transaction.order.id });
	}
}

function bearerToken(authorization: string | undefined): string | undefined {
	return /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function appendQuery(url: string, params: Record<string, string>): string {
	const target = new URL(url);
	for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
	return target.toString();
}

export function isLoopbackUrl(url: string): boolean {
	try {
		const { hostname } = new URL(url);
		return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
	} catch {
		return false;
	}
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RevenueMonsterSimulator> {
	return await new RevenueMonsterSimulator(options).start();
}
