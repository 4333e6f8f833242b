/**
 * A queue-mode worker's cold start: several executions start at once, each reads the credential before
 * any token is saved. Through n8n's own request path (n8n-core, the credential's preAuthentication,
 * real HTTP to the simulator), they must share one token request instead of one each.
 */
import { sharedTokenRequest } from '../../nodes/RevenueMonster/transport/token-single-flight';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { RequestTestNode } from '../helpers/request-node';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';

let simulator: RevenueMonsterSimulator;

beforeAll(async () => {
	simulator = await startSimulator({ latencyMs: 30 });
});
afterAll(async () => {
	await simulator.stop();
});

/** `executions` runs at once, each with its own copy of the stored credential (as each reads the database). */
async function coldStart(executions: number): Promise<{ tokens: number; failed: number }> {
	const before = simulator.stats.tokensIssued;
	const results = await Promise.all(
		Array.from({ length: executions }, () =>
			runNode({
				nodeType: new RequestTestNode(),
				typeName: 'test.rmRequest',
				parameters: { method: 'GET', path: '/v3/merchant' },
				credentialsHelper: new InMemoryCredentialsHelper(simulatorCredentials(simulator)),
			}),
		),
	);
	return { tokens: simulator.stats.tokensIssued - before, failed: results.filter((result) => result.error).length };
}

describe('token requests in one process', () => {
	it('8 executions starting together fetch one token between them, and all succeed', async () => {
		expect(await coldStart(8)).toEqual({ tokens: 1, failed: 0 });
	});

	it('a request made after the shared one finished fetches anew (n8n asks only when it needs a new token)', async () => {
		const first = await coldStart(1);
		const second = await coldStart(1);
		expect(first.tokens + second.tokens).toBe(2);
	});

	it('different client credentials never share a request', async () => {
		let fetched = 0;
		const fetch = async () => {
			const token = `t${++fetched}`;
			await new Promise((resolve) => setTimeout(resolve, 20));
			return { accessToken: token };
		};
		const [a, b] = await Promise.all([
			sharedTokenRequest({ environment: 'sandbox', clientId: 'a', clientSecret: 's' }, fetch),
			sharedTokenRequest({ environment: 'sandbox', clientId: 'a', clientSecret: 'other' }, fetch),
		]);
		expect(fetched).toBe(2);
		expect(a.accessToken).not.toBe(b.accessToken);
	});

	it('a failed request fails every caller that shared it, and the next one tries again', async () => {
		let attempts = 0;
		const failing = async () => {
			attempts++;
			await new Promise((resolve) => setTimeout(resolve, 10));
			throw new Error('token service down');
		};
		const credentials = { environment: 'sandbox', clientId: 'x', clientSecret: 'y' };
		const shared = await Promise.allSettled([sharedTokenRequest(credentials, failing), sharedTokenRequest(credentials, failing)]);
		expect(shared.map((result) => result.status)).toEqual(['rejected', 'rejected']);
		expect(attempts).toBe(1);
		await expect(sharedTokenRequest(credentials, async () => ({ accessToken: 'ok' }))).resolves.toEqual({ accessToken: 'ok' });
	});
});
