/**
 * Runs nodes inside n8n's own engine for the integration tests: n8n-core's WorkflowExecute and its
 * execution contexts, so `httpRequestWithAuthentication`, the 401 refresh-and-resend, continueOnFail,
 * error outputs and pairedItem are n8n's real code. The one part that lives in n8n's server package
 * (the CredentialsHelper, which needs a database) is stood in for by an in-memory store that follows
 * the same rules: defaults applied, preAuthentication only when the expirable field is empty, after
 * a 401, or on a credential test, and the new token written back to the store.
 */
import {
	ExecutionLifecycleHooks,
	WorkflowExecute,
	CredentialTestContext,
	RoutingNode,
	ExecuteContext,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
	ICredentials,
	IRequestOptionsSimplified,
	ITaskDataConnections,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { RevenueMonsterApi } from '../credentials/RevenueMonsterApi.credentials';
import { SIMULATOR_KEYS } from '../simulator/keys';
import type { RevenueMonsterSimulator } from '../simulator/server';

export const CREDENTIAL_ID = 'rm-test-credential';

/** Credential data for the environment "custom" pointing at a running simulator. */
export function simulatorCredentials(
	simulator: RevenueMonsterSimulator,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		apiBaseUrl: simulator.url,
		oauthBaseUrl: simulator.url,
		clientId: SIMULATOR_KEYS.clientId,
		clientSecret: SIMULATOR_KEYS.clientSecret,
		privateKey: SIMULATOR_KEYS.merchantPrivateKey,
		serverPublicKey: SIMULATOR_KEYS.serverPublicKey,
		...overrides,
	};
}

export class InMemoryCredentialsHelper extends ICredentialsHelper {
	readonly credentialTypes = new Map<string, ICredentialType>([['revenueMonsterApi', new RevenueMonsterApi()]]);
	readonly stored = new Map<string, { type: string; data: ICredentialDataDecryptedObject }>();
	preAuthenticationCalls = 0;

	constructor(data?: ICredentialDataDecryptedObject) {
		super();
		if (data) this.save(CREDENTIAL_ID, data);
	}

	save(id: string, data: ICredentialDataDecryptedObject, type = 'revenueMonsterApi'): void {
		this.stored.set(id, { type, data: { ...data } });
	}

	private typeOf(name: string): ICredentialType {
		const type = this.credentialTypes.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const type = this.typeOf(typeName);
		if (typeof type.authenticate !== 'function') return requestOptions as IHttpRequestOptions;
		return await type.authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.typeOf(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) return undefined;
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details?.id) {
			const record = this.stored.get(details.id);
			if (record) record.data = { ...record.data, ...output } as ICredentialDataDecryptedObject;
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode?: WorkflowExecuteMode,
		_executeData?: IExecuteData,
		_raw?: boolean,
		_expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const record = this.stored.get(nodeCredentials.id ?? '');
		if (!record) throw new Error(`Credential ${nodeCredentials.id} not found`);
		// n8n fills in every property's default before handing credentials to a node.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			record.data as never,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		return { ...withDefaults, ...record.data, accessToken: record.data.accessToken ?? '' } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const record = this.stored.get(nodeCredentials.id ?? '');
		if (record) record.data = { ...data };
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.typeOf(type).properties;
	}
}

/** A start node that emits the items a test hands it. */
class TestItemsNode implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Test Items' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>();

	constructor(nodeTypes: Record<string, INodeType>) {
		this.types.set('test.items', new TestItemsNode());
		for (const [name, type] of Object.entries(nodeTypes)) this.types.set(name, type);
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string): INodeType {
		return this.getByName(name) as INodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export function additionalDataFor(credentialsHelper: ICredentialsHelper): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks: new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: 'test-workflow',
			name: 'test',
			active: false,
			nodes: [],
			connections: {},
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never),
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	nodeType: INodeType;
	/** the node type's name as workflows store it */
	typeName?: string;
	parameters: IDataObject;
	items?: IDataObject[];
	credentialsHelper: InMemoryCredentialsHelper;
	/** n8n's "On Error" setting */
	onError?: OnError;
}

/** n8n's "On Error" setting of a node. */
export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface NodeRunResult {
	run: IRun;
	/** output items by output index (0 = success, 1 = error output when enabled) */
	outputs: INodeExecutionData[][];
	/** the error that stopped the node, if any */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string };
}

/** Runs `Test Items → Node` through n8n-core's WorkflowExecute and returns the node's output. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const typeName = options.typeName ?? 'n8n-nodes-revenuemonster.revenueMonster';
	const nodeName = 'Revenue Monster';
	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Test Items',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: 'node',
			name: nodeName,
			type: typeName,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { revenueMonsterApi: { id: CREDENTIAL_ID, name: 'Revenue Monster (simulator)' } },
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes,
		connections: { 'Test Items': { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: new TestNodeTypes({ [typeName]: options.nodeType }),
	});
	const additionalData = additionalDataFor(options.credentialsHelper);
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: nodes[0] } as never);
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as NodeRunResult['error'];
	return { run, outputs: (taskData?.data?.main ?? []) as INodeExecutionData[][], error };
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * "Test credential" as n8n's server runs it: the credential's `test.request` on a temporary copy of the
 * node through n8n-core's RoutingNode and ExecuteContext, and the same mapping of failures to a
 * message (rules by status code, else the status text).
 */
export async function testCredential(
	credentialsHelper: InMemoryCredentialsHelper,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentialType = new RevenueMonsterApi();
	const id = 'credential-under-test';
	const cachedToken = credentialsHelper.stored.get(id)?.data.accessToken;
	// Editing a credential keeps the hidden cached token, as n8n does.
	credentialsHelper.save(id, cachedToken ? { ...data, accessToken: cachedToken } : data);
	// n8n runs the test request on a copy of the node that uses the credential (here the action node),
	// with one property carrying the request. So n8n's "is this a credential test" check, which looks
	// for a noOp node, does not match, and a cached token is reused (seen in n8n 2.41 in the e2e run).
	const typeName = 'n8n-nodes-revenuemonster.revenueMonster';
	const testNodeType: INodeType = {
		description: {
			displayName: 'Revenue Monster',
			name: typeName,
			group: ['transform'],
			version: 1,
			description: 'credential test',
			defaults: { name: 'Temp' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'revenueMonsterApi', required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: credentialType.test.request }, default: '' },
			],
		} as unknown as INodeType['description'],
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { revenueMonsterApi: { id, name: 'under test' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [typeName]: testNodeType }),
	});
	const additionalData = additionalDataFor(credentialsHelper);
	const decrypted = await credentialsHelper.getDecrypted(additionalData, { id, name: 'under test' }, 'revenueMonsterApi');
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ resultData: { runData: {} } } as never),
		0,
		[],
		{ main: [[{ json: {} }]] } as ITaskDataConnections,
		{ node, data: {}, source: null } as IExecuteData,
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, {
		id,
		name: 'under test',
		type: 'revenueMonsterApi',
		data: decrypted,
	});
	try {
		await routingNode.runNode();
	} catch (caught) {
		const error = caught as Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };
		const response = error.cause?.response;
		if (response) {
			for (const rule of credentialType.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: error.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

export { CredentialTestContext, ExecuteContext, createRunExecutionData };
export type { IRunExecutionData };
