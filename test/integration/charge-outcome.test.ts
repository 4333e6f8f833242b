/**
 * A charge answered with neither `item` nor `error` (a bare non-SUCCESS `code`): the node must say which
 * operation got it and RM's code, not crash on the missing transaction (issue 10, item 4).
 */
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { InMemoryCredentialsHelper, runNode, simulatorCredentials } from '../../support/n8n';
import { startSimulator, type RevenueMonsterSimulator } from '../../simulator/server';

let simulator: RevenueMonsterSimulator;
let credentials: InMemoryCredentialsHelper;

beforeAll(async () => {
	simulator = await startSimulator({ autoNotify: false });
	credentials = new InMemoryCredentialsHelper(simulatorCredentials(simulator));
});
afterAll(async () => await simulator.stop());

async function boundCustomer(): Promise<string> {
	const { outputs } = await runNode({
		nodeType: new RevenueMonster(),
		parameters: {
			resource: 'customer',
			operation: 'createTokenized',
			storeId: simulator.state.stores[0].id,
			email: 'wei@example.com',
			redirectUrl: 'https://shop.example.com/card-saved',
			notifyUrl: 'https://n8n.example.com/webhook/x/notify',
		},
		credentialsHelper: credentials,
	});
	const id = outputs[0][0].json.id as string;
	simulator.bindCard(id);
	return id;
}

it.each([['FAILED'], ['PAYMENT_FAILED']])('Order → Create answered with only code %s is an error naming the operation and the code', async (code) => {
	const customerId = await boundCustomer();
	simulator.addFault({ kind: 'bareCode', method: 'POST', path: '/order', code });
	const { error } = await runNode({
		nodeType: new RevenueMonster(),
		parameters: { resource: 'order', operation: 'create', customerId, currency: 'MYR', amount: 500 },
		credentialsHelper: credentials,
	});
	expect(error?.message).toBe(`Order → Create: Revenue Monster's answer holds no transaction (Revenue Monster code: ${code})`);
	expect(error?.message).not.toMatch(/TypeError|Cannot read/);
	expect(error?.description).toMatch(/Do not run this charge again before looking it up/);
});
