/**
 * Runs a trigger node's webhook the way n8n's webhook server does, over real HTTP on 127.0.0.1:
 * - the request body is read into `req.rawBody` (a Buffer) and parsed into `req.body` as n8n's
 *   body parser does (JSON, form, text; unparsable JSON is refused with 422 before the node runs);
 * - per request, a Workflow is built from the saved static data and n8n-core's real WebhookContext
 *   calls the node's `webhook()` with the real request and response;
 * - the answer is n8n 2.41's, byte for byte in status, content type and body (answerAsN8nDoes,
 *   read from n8n 2.41.1's webhook-helpers and checked against the real n8n by scripts/e2e.ts), and
 *   the static data is saved afterwards, as n8n's live webhooks do;
 * - activation runs the node's `checkExists` → `create` through n8n-core's HookContext.
 *
 * n8n's server (express, its router and the WorkflowRunner) is not a package here: express's
 * `res.status().json()/send()` are provided on the real ServerResponse, and "a run starts" is
 * reported as the `workflowData` the node returned, which is what n8n would start the run with.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { parse as parseQueryString } from 'querystring';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { additionalDataFor, CREDENTIAL_ID, type InMemoryCredentialsHelper, TestNodeTypes } from '../../support/n8n';

export interface WebhookDelivery {
	method: string;
	path: string;
	/** HTTP status answered */
	status: number;
	/** the answer's body, parsed when JSON ('' when empty) */
	answer: unknown;
	/** the answer's body as sent */
	answerText: string;
	/** the answer's Content-Type header, if any */
	answerType?: string;
	/** what n8n would start the workflow with; undefined when no run starts */
	workflowData?: INodeExecutionData[][];
	/** webhook() threw (n8n would answer 500 and record a failed execution) */
	error?: Error;
	/** the node's webhook() was not called (route unknown, body unparsable) */
	nodeCalled: boolean;
}

export interface WebhookHarnessOptions {
	nodeType: INodeType;
	typeName?: string;
	parameters: IDataObject;
	credentialsHelper: InMemoryCredentialsHelper;
	/** omit the credential from the node, as in a workflow where none was chosen */
	withoutCredential?: boolean;
	/** `manual`: the editor is listening for a test event (the Test URL); default `webhook` (production) */
	mode?: 'webhook' | 'manual';
}

type ExpressLikeResponse = http.ServerResponse & {
	status(code: number): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
};

type ExpressLikeRequest = http.IncomingMessage & {
	body?: unknown;
	query: IDataObject;
	params: IDataObject;
};

/** express 5's response helpers (what n8n 2.41 runs on), on Node's real ServerResponse. */
function expressResponse(res: http.ServerResponse): ExpressLikeResponse {
	const response = res as ExpressLikeResponse;
	response.status = (code: number) => {
		response.statusCode = code;
		return response;
	};
	// res.json(undefined) sends an empty body, still typed application/json (measured on express 5.1).
	response.json = (body: unknown) => {
		if (!response.getHeader('Content-Type')) response.setHeader('Content-Type', 'application/json; charset=utf-8');
		const text = JSON.stringify(body) as string | undefined;
		response.end(text);
		return response;
	};
	// res.send(string) is text/html unless a type was set; objects go to res.json.
	response.send = (body?: unknown) => {
		if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) return response.json(body);
		if (typeof body === 'string' && !response.getHeader('Content-Type')) {
			response.setHeader('Content-Type', 'text/html; charset=utf-8');
		}
		response.end(body);
		return response;
	};
	return response;
}

class UnparsableBody extends Error {}

/** n8n's rawBodyReader + parseBody: the raw bytes on `rawBody`, the parsed body on `body`. */
async function readBody(req: ExpressLikeRequest): Promise<void> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const rawBody = Buffer.concat(chunks);
	const [type, ...parameters] = (req.headers['content-type'] ?? '').split(';');
	const charset = parameters.map((part) => /charset=([^;]+)/i.exec(part)?.[1]).find(Boolean);
	req.contentType = type.trim().toLowerCase() || undefined;
	req.encoding = (charset?.trim().toLowerCase() as BufferEncoding | undefined) ?? 'utf-8';
	req.rawBody = rawBody;
	req._body = true;
	req.readRawBody = async () => {};
	if (!rawBody.length) return;
	const text = rawBody.toString(req.encoding);
	// n8n strips a byte order mark before parsing JSON and forms (rawBody keeps it).
	const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (req.contentType === 'application/json') {
		try {
			req.body = JSON.parse(withoutBom);
		} catch {
			throw new UnparsableBody('Failed to parse request body');
		}
	} else if (req.contentType === 'application/x-www-form-urlencoded') {
		req.body = parseQueryString(withoutBom);
	} else if (req.contentType === 'text/plain') {
		req.body = text;
	}
}

function parseAnswer(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export class WebhookHarness {
	readonly deliveries: WebhookDelivery[] = [];
	/** the workflow's saved static data (what n8n keeps in its database) */
	savedStaticData: IDataObject = {};
	/** How often n8n would have saved the static data (only when the node changed it). */
	staticDataSaves = 0;
	readonly workflowId = `trigger-test-${Math.random().toString(36).slice(2, 10)}`;
	readonly node: INode;

	private server?: http.Server;
	private port = 0;
	private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
	private readonly typeName: string;

	constructor(private readonly options: WebhookHarnessOptions) {
		this.typeName = options.typeName ?? 'n8n-nodes-revenuemonster.revenueMonsterTrigger';
		this.node = {
			id: 'trigger-node',
			name: 'Revenue Monster Trigger',
			type: this.typeName,
			typeVersion: 1,
			position: [0, 0],
			webhookId: '5a0e6c1e-7c55-4f0e-9d62-6c0c6f1f2a11',
			parameters: options.parameters as INode['parameters'],
			...(options.withoutCredential
				? {}
				: { credentials: { revenueMonsterApi: { id: CREDENTIAL_ID, name: 'Revenue Monster (simulator)' } } }),
		};
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The production URL n8n shows for a webhook description (what the user pastes as notifyUrl). */
	urlFor(description: IWebhookDescription = this.descriptions()[0]): string {
		return NodeHelpers.getNodeWebhookUrl(`${this.baseUrl}/webhook`, this.workflowId, this.node, description.path);
	}

	get url(): string {
		return this.urlFor();
	}

	/** Runs that would have started. */
	get runs(): INodeExecutionData[][][] {
		return this.deliveries.flatMap((delivery) => (delivery.workflowData ? [delivery.workflowData] : []));
	}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => void this.handle(req as ExpressLikeRequest, res));
		// Clients keep sockets alive (Node's default agent); a server closing an idle one after the default
		// 5 s races with a client reusing it (ECONNRESET) when a test pauses to generate cases.
		this.server.keepAliveTimeout = 120_000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(0, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		const server = this.server;
		this.server = undefined;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Resolves once `count` requests in total have been answered. */
	async waitForDeliveries(count: number): Promise<WebhookDelivery[]> {
		if (this.deliveries.length < count) {
			await new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
		}
		return this.deliveries;
	}

	/** What n8n does when the workflow is published (WebhookService.createWebhookIfNotExists, per webhook). */
	async activate(): Promise<void> {
		await this.forEachWebhook(async (hooks, context) => {
			if (!(await hooks.checkExists.call(context()))) await hooks.create.call(context());
		});
	}

	async deactivate(): Promise<void> {
		await this.forEachWebhook(async (hooks, context) => {
			await hooks.delete.call(context());
		});
	}

	// ------------------------------------------------------------------------------------------

	private descriptions(): IWebhookDescription[] {
		return this.options.nodeType.description.webhooks ?? [];
	}

	/**
	 * A workflow as n8n loads it for a webhook request: with the saved static data, or none (the database
	 * column is null until the first save).
	 */
	private workflow(staticData: IDataObject | null = this.loadStaticData()): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: 'trigger test',
			nodes: [{ ...this.node, parameters: { ...this.node.parameters } }],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes({ [this.typeName]: this.options.nodeType }),
			staticData: staticData as IDataObject,
		});
	}

	private loadStaticData(): IDataObject | null {
		return Object.keys(this.savedStaticData).length > 0 ? structuredClone(this.savedStaticData) : null;
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		const additionalData = additionalDataFor(this.options.credentialsHelper);
		additionalData.webhookBaseUrl = `${this.baseUrl}/webhook`;
		additionalData.webhookTestBaseUrl = `${this.baseUrl}/webhook-test`;
		return additionalData;
	}

	private webhookData(
		workflow: Workflow,
		description: IWebhookDescription,
		additionalData: IWorkflowExecuteAdditionalData,
	): IWebhookData {
		return {
			httpMethod: description.httpMethod as IHttpRequestMethods,
			node: this.node.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, this.node, description.path),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
		};
	}

	private async forEachWebhook(
		run: (
			hooks: NonNullable<NonNullable<INodeType['webhookMethods']>['default']>,
			context: () => HookContext,
		) => Promise<void>,
	): Promise<void> {
		const workflow = this.workflow();
		const node = workflow.getNode(this.node.name)!;
		const additionalData = this.additionalData();
		for (const description of this.descriptions()) {
			const hooks = this.options.nodeType.webhookMethods?.[description.name];
			if (!hooks) continue;
			const webhookData = this.webhookData(workflow, description, additionalData);
			await run(hooks, () => new HookContext(workflow, node, additionalData, 'trigger', 'activate', webhookData));
		}
		this.saveStaticData(workflow);
	}

	private saveStaticData(workflow: Workflow): void {
		if ((workflow.staticData as IDataObject).__dataChanged === true) {
			this.savedStaticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			this.staticDataSaves++;
		}
	}

	/**
	 * n8n 2.41's answer after webhook() returned (webhook-helpers.ts executeWebhook, responseMode
	 * `onReceived`): the node answered itself (`noWebhookResponse`); no run → `webhookResponse` or
	 * "Webhook call received"; a run → the description's `responseData` (default "firstEntryJson", sent
	 * as that very text), `noData` → empty body, else `webhookResponse` or "Workflow was started".
	 * Strings go out with res.send (text/html), anything else with res.json.
	 */
	private answerAsN8nDoes(res: ExpressLikeResponse, description: IWebhookDescription, result: IWebhookResponseData): void {
		if (result.noWebhookResponse === true) {
			if (!res.writableEnded) throw new Error('the node said it answered (noWebhookResponse) but did not');
			return;
		}
		if (res.headersSent) return;
		const code = typeof description.responseCode === 'number' ? description.responseCode : 200;
		let body: unknown;
		if (result.workflowData === undefined) {
			body = result.webhookResponse ?? { message: 'Webhook call received' };
		} else {
			const responseData = description.responseData ?? 'firstEntryJson';
			if (responseData === 'noData') body = undefined;
			else if (responseData) body = responseData;
			else body = result.webhookResponse ?? { message: 'Workflow was started' };
		}
		res.status(code);
		if (typeof body === 'string') res.send(body);
		else res.json(body);
	}

	private async handle(req: ExpressLikeRequest, rawRes: http.ServerResponse): Promise<void> {
		const res = expressResponse(rawRes);
		const url = new URL(req.url ?? '/', this.baseUrl);
		const method = (req.method ?? 'GET').toUpperCase();
		const delivery: WebhookDelivery = {
			method,
			path: url.pathname,
			status: 0,
			answer: undefined,
			answerText: '',
			nodeCalled: false,
		};
		const answered: Buffer[] = [];
		const write = res.write.bind(res);
		const end = res.end.bind(res);
		res.write = ((chunk: unknown, ...rest: unknown[]) => {
			if (chunk) answered.push(Buffer.from(chunk as string));
			return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
		}) as typeof res.write;
		res.end = ((chunk?: unknown, ...rest: unknown[]) => {
			if (chunk && typeof chunk !== 'function') answered.push(Buffer.from(chunk as string));
			return (end as (...args: unknown[]) => http.ServerResponse)(chunk, ...rest);
		}) as typeof res.end;

		try {
			const loaded = this.loadStaticData();
			const workflow = this.workflow(loaded);
			const description = this.descriptions().find(
				(candidate) => candidate.httpMethod === method && url.pathname === new URL(this.urlFor(candidate)).pathname,
			);
			if (!description) {
				res.status(404).json({ code: 404, message: `The requested webhook "${method} ${url.pathname}" is not registered.` });
				return;
			}
			req.query = parseQueryString(url.search.slice(1)) as IDataObject;
			req.params = {};
			try {
				await readBody(req);
			} catch (error) {
				if (!(error instanceof UnparsableBody)) throw error;
				res.status(422).json({ code: 422, message: error.message });
				return;
			}

			const additionalData = this.additionalData();
			additionalData.httpRequest = req as never;
			additionalData.httpResponse = res as never;
			const node = workflow.getNode(this.node.name)!;
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				this.options.mode ?? 'webhook',
				this.webhookData(workflow, description, additionalData),
				[],
				null,
			);
			delivery.nodeCalled = true;
			let result: IWebhookResponseData;
			try {
				result = (await this.options.nodeType.webhook!.call(context)) as IWebhookResponseData;
			} catch (error) {
				delivery.error = error as Error;
				res.status(500).json({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
				return;
			}
			delivery.workflowData = result.workflowData;
			if (result.workflowData !== undefined) {
				// n8n 2.41 starting the run: WorkflowRunner.run → establishContextForPersistence builds a
				// second Workflow over the very static data object it loaded, which resets its change flag
				// (so a run's writes are not saved once the workflow has static data). Checked against the
				// real n8n by `npm run test:queue` (docs/SCALING.md).
				this.workflow(loaded);
			}
			this.answerAsN8nDoes(res, description, result);
			this.saveStaticData(workflow);
		} catch (error) {
			delivery.error = error as Error;
			if (!res.headersSent) res.status(500).json({ message: (error as Error).message });
		} finally {
			if (!res.writableEnded) res.end();
			delivery.status = res.statusCode;
			delivery.answerText = Buffer.concat(answered).toString('utf8');
			delivery.answer = parseAnswer(delivery.answerText);
			const type = res.getHeader('content-type');
			delivery.answerType = type === undefined ? undefined : String(type);
			this.deliveries.push(delivery);
			for (const waiter of [...this.waiters]) {
				if (this.deliveries.length >= waiter.count) {
					this.waiters.splice(this.waiters.indexOf(waiter), 1);
					waiter.resolve();
				}
			}
		}
	}
}

export async function startWebhookHarness(options: WebhookHarnessOptions): Promise<WebhookHarness> {
	return await new WebhookHarness(options).start();
}
