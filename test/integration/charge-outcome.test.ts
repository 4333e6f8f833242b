/**
 * A charge answered with neither `item` nor `error` (a bare non-SUCCESS `code`): the node must say which
 * operation got it and RM's code, not crash on the missing transaction (issue 10, item 4).
 */
import { useSimulator } from '../helpers/suite';

const suite = useSimulator();

it.each([['FAILED'], ['PAYMENT_FAILED']])('Order → Create answered with only code %s is an error naming the operation and the code', async (code) => {
	const customerId = await suite.boundCustomer('wei@example.com');
	suite.simulator.addFault({ kind: 'bareCode', method: 'POST', path: '/order', code });
	const { error } = await suite.run({ resource: 'order', operation: 'create', customerId, currency: 'MYR', amount: 500 });
	expect(error?.message).toBe(`Order → Create: Revenue Monster's answer holds no transaction (Revenue Monster code: ${code})`);
	expect(error?.message).not.toMatch(/TypeError|Cannot read/);
	expect(error?.description).toMatch(/Do not run this charge again before looking it up/);
});
