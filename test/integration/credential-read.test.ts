/**
 * The credential is read once per node execution and handed to n8n as `credentialsDecrypted`
 * (transport/request.ts): fewer reads, and a token refreshed mid-execution is still used by the items
 * that follow — through n8n-core's real httpRequestWithAuthentication and the strict simulator.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { RequestTestNode } from '../helpers/request-node';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';

let simulator: RevenueMonsterSimulator;

beforeAll(async () => {
	simulator = await startSimulator();
});
afterAll(async () => {
	await simulator.stop();
});
beforeEach(() => simulator.clearFaults());

/** The in-memory credential store, counting how often n8n reads the credential. */
class CountingCredentialsHelper extends InMemoryCredentialsHelper {
	reads = 0;

	async getDecrypted(...args: Parameters<InMemoryCredentialsHelper['getDecrypted']>): Promise<ICredentialDataDecryptedObject> {
		this.reads++;
		return super.getDecrypted(...args);
	}
}

function run(helper: InMemoryCredentialsHelper, paths: string[]) {
	return runNode({
		nodeType: new RequestTestNode(),
		typeName: 'test.rmRequest',
		parameters: { method: 'GET', path: '={{ $json.path }}' } as IDataObject,
		items: paths.map((path) => ({ path })),
		credentialsHelper: helper,
	});
}

describe('credential read once per execution', () => {
	it('reads the credential once for 20 requests', async () => {
		const helper = new CountingCredentialsHelper(simulatorCredentials(simulator));
		const result = await run(helper, Array.from({ length: 20 }, () => '/v3/merchant'));
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(20);
		expect(helper.reads).toBe(1);
	});

	it('reads it again in the next execution (a token stored by another execution is seen)', async () => {
		const helper = new CountingCredentialsHelper(simulatorCredentials(simulator));
		await run(helper, ['/v3/merchant', '/v3/merchant']);
		await run(helper, ['/v3/merchant', '/v3/merchant']);
		expect(helper.reads).toBe(2);
	});

	it('uses a token refreshed mid-execution for the items that follow: one new token, no further 401', async () => {
		const helper = new CountingCredentialsHelper(simulatorCredentials(simulator));
		await run(helper, ['/v3/merchant']);
		const firstToken = helper.stored.get('rm-test-credential')!.data.accessToken;
		const tokensBefore = simulator.stats.tokensIssued;
		const logStart = simulator.log.length;
		// The second item's call answers 401 and the simulator forgets the token it carried.
		simulator.addFault({ kind: 'tokenExpired', path: '/v3/stores' });

		const result = await run(helper, ['/v3/merchant', '/v3/stores', '/v3/merchant', '/v3/merchant', '/v3/merchant']);

		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(5);
		expect(simulator.stats.tokensIssued - tokensBefore).toBe(1);
		expect(helper.stored.get('rm-test-credential')!.data.accessToken).not.toBe(firstToken);
		const statuses = simulator.log.slice(logStart).filter((entry) => entry.path.startsWith('/v3')).map((entry) => entry.status);
		expect(statuses).toEqual([200, 401, 200, 200, 200, 200]);
	});

	it('a credential that cannot be read still fails the way n8n reports it', async () => {
		const helper = new CountingCredentialsHelper();
		const result = await run(helper, ['/v3/merchant']);
		expect(result.error?.message).toMatch(/rm-test-credential not found/);
	});
});
