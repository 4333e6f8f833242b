/**
 * The live pickers, called the way n8n's editor calls them: n8n-core's LoadOptionsContext for a node
 * in a workflow, so the credential, token, signature and HTTP path are n8n's real ones.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ILoadOptionsFunctions, INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import {
	additionalDataFor,
	CREDENTIAL_ID,
	InMemoryCredentialsHelper,
	simulatorCredentials,
	TestNodeTypes,
} from '../../support/n8n';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';

const TYPE = 'n8n-nodes-revenuemonster.revenueMonster';

let simulator: RevenueMonsterSimulator;

beforeAll(async () => {
	// One store per page, so the three stores take three pages.
	simulator = await startSimulator({ pageSize: 1, autoNotify: false });
});
afterAll(async () => {
	await simulator.stop();
});

function loadOptionsContext(
	credentials: InMemoryCredentialsHelper,
	path: string,
	withCredential = true,
): ILoadOptionsFunctions {
	const node: INode = {
		id: 'node',
		name: 'Revenue Monster',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'customer', operation: 'createTokenized' },
		...(withCredential
			? { credentials: { revenueMonsterApi: { id: CREDENTIAL_ID, name: 'Revenue Monster (simulator)' } } }
			: {}),
	};
	const workflow = new Workflow({
		id: 'picker-workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [TYPE]: new RevenueMonster() }),
	});
	return new LoadOptionsContext(workflow, node, additionalDataFor(credentials), path);
}

async function load(
	method: 'getStores' | 'getFpxBanks',
	credentials = new InMemoryCredentialsHelper(simulatorCredentials(simulator)),
	{ withCredential = true } = {},
) {
	const loadOptions = new RevenueMonster().methods.loadOptions;
	return (await loadOptions[method].call(
		loadOptionsContext(credentials, 'parameters.storeId', withCredential),
	)) as INodePropertyOptions[];
}

describe('getStores', () => {
	it('lists every store across pages, by name, marking stores that are not active', async () => {
		const before = simulator.apiLog().filter((entry) => entry.path === '/v3/stores').length;
		const options = await load('getStores');
		expect(options).toEqual([
			{ name: 'Main Street Store', value: '10946114768247530', description: 'Store ID 10946114768247530' },
			{ name: 'Old Kiosk (inactive)', value: '10946114768247532', description: 'Store ID 10946114768247532' },
			{ name: 'Online Store', value: '10946114768247531', description: 'Store ID 10946114768247531' },
		]);
		const calls = simulator
			.apiLog()
			.filter((entry) => entry.path === '/v3/stores')
			.slice(before);
		expect(calls).toHaveLength(3);
		expect(calls.every((entry) => entry.signatureValid === true)).toBe(true);
	});

	it("never fails when Revenue Monster refuses: one entry with Revenue Monster's reason, no secret", async () => {
		const credentials = new InMemoryCredentialsHelper(
			simulatorCredentials(simulator, { clientSecret: 'wrong-secret' }),
		);
		const options = await load('getStores', credentials);
		expect(options).toHaveLength(1);
		expect(options[0].value).toBe('');
		expect(options[0].name).toMatch(/^Could not list your stores: Revenue Monster did not accept the Client ID and Client Secret/);
		expect(JSON.stringify(options)).not.toContain('wrong-secret');
	});

	it('never fails for a node whose credential is not attached yet: one entry saying what to do, no call', async () => {
		const before = simulator.apiLog().length;
		const options = await load('getStores', undefined, { withCredential: false });
		expect(options).toEqual([
			expect.objectContaining({ name: 'Choose a Revenue Monster credential to list your stores', value: '' }),
		]);
		expect(simulator.apiLog()).toHaveLength(before);
	});

	it('control: the same node with its credential lists the stores', async () => {
		const options = await load('getStores', undefined, { withCredential: true });
		expect(options.map((option) => option.name)).toContain('Main Street Store');
	});
});

describe('getFpxBanks', () => {
	it('lists the banks by name, value = bank code, offline banks marked', async () => {
		const options = await load('getFpxBanks');
		expect(options).toEqual([
			{ name: 'Affin Bank', value: 'ABB0233:B2C', description: 'Bank code ABB0233:B2C' },
			{ name: 'CIMB Clicks (offline)', value: 'BCBB0235:B2C', description: 'Bank code BCBB0235:B2C' },
			{ name: 'Maybank2u', value: 'MB2U0227:B2C', description: 'Bank code MB2U0227:B2C' },
			{ name: 'SBI Bank A (test)', value: 'TEST0021', description: 'Bank code TEST0021' },
		]);
		expect(simulator.apiLog().at(-1)).toMatchObject({ path: '/v3/payment/fpx-bank', signatureValid: true });
	});
});

describe('the node wires the pickers', () => {
	const node = new RevenueMonster();

	it('registers both methods under the names other fields use', () => {
		expect(Object.keys(node.methods.loadOptions).sort()).toEqual(['getFpxBanks', 'getStores']);
	});

	it("offers the store picker on the customer operations' Store field", () => {
		const storeFields = node.description.properties.filter(
			(property: INodeProperties) =>
				property.name === 'storeId' && property.displayOptions?.show?.resource?.includes('customer'),
		);
		expect(
			storeFields
				.map((field) => field.displayOptions?.show?.operation)
				.flat()
				.sort(),
		).toEqual(['createRecurring', 'createTokenized']);
		for (const field of storeFields) {
			expect(field).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getStores' } });
		}
	});
});
