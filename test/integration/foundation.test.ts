import type { IDataObject } from 'n8n-workflow';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials, CREDENTIAL_ID } from '../helpers/n8n';
import { RequestTestNode } from '../helpers/request-node';
import { startSimulator, type RevenueMonsterSimulator } from '../simulator/server';

let simulator: RevenueMonsterSimulator;
beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => {
	await simulator.stop();
});

function request(helper: InMemoryCredentialsHelper, parameters: IDataObject, items?: object[]) {
	return runNode({
		nodeType: new RequestTestNode(),
		typeName: 'test.rmRequest',
		parameters,
		items: items as never,
		credentialsHelper: helper,
	});
}

it('gets a token, signs a GET, and the simulator accepts the signature', async () => {
	const helper = new InMemoryCredentialsHelper(simulatorCredentials(simulator));
	const result = await request(helper, { method: 'GET', path: '/v3/merchant' });
	expect(result.error).toBeUndefined();
	expect(result.outputs[0][0].json).toMatchObject({ code: 'SUCCESS', item: { companyName: expect.any(String) } });
	expect(simulator.apiLog().at(-1)).toMatchObject({ path: '/v3/merchant', status: 200, signatureValid: true });
	expect(helper.stored.get(CREDENTIAL_ID)!.data.accessToken).toMatch(/^[0-9a-f]{48}$/);
});
