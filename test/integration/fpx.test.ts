/** FPX Bank → Get Banks through n8n-core's engine against the simulator. */
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();
const getBanks = (items = [{}]) => suite.run({ resource: 'fpx', operation: 'getBanks' }, items);

it("turns RM's map of banks into one item per bank, with whether it is online", async () => {
	const { outputs, error } = await getBanks();
	expect(error).toBeUndefined();
	expect(outputs[0].map((item) => item.json)).toEqual([
		{ code: 'TEST0021', name: 'SBI Bank A (test)', isOnline: true },
		{ code: 'ABB0233:B2C', name: 'Affin Bank', isOnline: true },
		{ code: 'MB2U0227:B2C', name: 'Maybank2u', isOnline: true },
		{ code: 'BCBB0235:B2C', name: 'CIMB Clicks', isOnline: false },
	]);
	expect(suite.simulator.apiLog().at(-1)).toMatchObject({
		method: 'GET',
		path: '/v3/payment/fpx-bank',
		signatureValid: true,
	});
});

it('reads the list live: a bank RM adds or takes offline shows at once', async () => {
	suite.simulator.state.fpxBanks.push({ code: 'HLB0224:B2C', name: 'Hong Leong Connect', isOnline: false });
	const { outputs } = await getBanks();
	expect(outputs[0].at(-1)?.json).toEqual({ code: 'HLB0224:B2C', name: 'Hong Leong Connect', isOnline: false });
	suite.simulator.state.fpxBanks.pop();
});

it('pairs every bank with the input item that asked', async () => {
	const { outputs } = await getBanks([{}, {}]);
	expect(outputs[0]).toHaveLength(8);
	expect(outputs[0].slice(4).every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
});

it("surfaces RM's error code and message", async () => {
	suite.simulator.addFault({ kind: 'errorIn200', path: '/v3/payment/fpx-bank', code: 'SYSTEM_BUSY' });
	const { error } = await getBanks();
	expect(error?.message).toBe('Revenue Monster: system is busy, please try again later [SYSTEM_BUSY]');
});
