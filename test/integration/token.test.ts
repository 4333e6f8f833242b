/** Card Token → Get Many / Delete through n8n-core's engine against the simulator. */
import type { IDataObject } from 'n8n-workflow';

import type { CardToken } from '../../simulator/state';
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator({ parameters: { resource: 'token' } });
const { run } = suite;

function cardToken(token: string, lastFourNo: string): CardToken {
	const now = new Date().toISOString();
	return {
		id: `id-${token}`,
		label: `411111******${lastFourNo}`,
		provider: 'GOBIZ',
		token,
		country: 'MY',
		createdAt: now,
		updatedAt: now,
		card: { name: 'AISYAH RAHMAN', method: 'VISA', lastFourNo, expMonth: 12, expYear: 2030 },
	};
}

/** What a paid GoBiz card checkout with isSave leaves behind in RM. */
function seedTokens(userId: string, ...tokens: CardToken[]): void {
	suite.simulator.state.cardTokens.set(userId, tokens);
}

describe('Get Many', () => {
	it('outputs one item per saved card', async () => {
		seedTokens('customer-42', cardToken('tok_a', '1111'), cardToken('tok_b', '4242'));
		const { outputs, error } = await run({ operation: 'getMany', customerUserId: 'customer-42' });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.token)).toEqual(['tok_a', 'tok_b']);
		expect(outputs[0][1].json).toMatchObject({ provider: 'GOBIZ', card: { lastFourNo: '4242' } });
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({
			method: 'GET',
			path: '/v3/payment/tokens/customer-42',
			signatureValid: true,
		});
	});

	it('outputs nothing for a customer without saved cards', async () => {
		const { outputs, error } = await run({ operation: 'getMany', customerUserId: 'nobody' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toEqual([]);
	});

	it('encodes a user ID with reserved characters once, and the signature still matches', async () => {
		seedTokens('shop/42 #7', cardToken('tok_c', '0005'));
		const { outputs, error } = await run({ operation: 'getMany', customerUserId: 'shop/42 #7' });
		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.token)).toEqual(['tok_c']);
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({
			path: '/v3/payment/tokens/shop%2F42%20%237',
			signatureValid: true,
		});
	});

	it('needs a customer user ID before any request', async () => {
		const logged = suite.simulator.log.length;
		// n8n itself refuses an empty literal; an expression can still come out empty.
		const { error } = await run({ operation: 'getMany', customerUserId: '={{ $json.user }}' }, [{ user: '' }]);
		expect(error?.message).toMatch(/^Invalid Customer User ID in item 0: "" is required/);
		expect(suite.simulator.log.length).toBe(logged);
	});
});

describe('Delete', () => {
	it('deletes one card with a signed JSON body and outputs one confirmation with the cards left', async () => {
		seedTokens('customer-7', cardToken('tok_keep', '1111'), cardToken('tok_gone', '2222'));
		const { outputs, error } = await run({ operation: 'delete', customerUserId: 'customer-7', token: 'tok_gone' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({ deleted: true, customerUserId: 'customer-7', token: 'tok_gone' });
		expect((outputs[0][0].json.remainingTokens as IDataObject[]).map((token) => token.token)).toEqual(['tok_keep']);
		expect(suite.simulator.state.cardTokens.get('customer-7')!.map((token) => token.token)).toEqual(['tok_keep']);
		// The body was part of the signed string: the simulator checks it like RM does.
		expect(suite.simulator.apiLog().at(-1)).toMatchObject({
			method: 'DELETE',
			path: '/v3/payment/tokens/customer-7',
			status: 200,
			signatureValid: true,
		});
	});

	it('still outputs one item when the last card is deleted, so the workflow goes on', async () => {
		seedTokens('customer-8', cardToken('tok_last', '3333'));
		const { outputs, error } = await run({ operation: 'delete', customerUserId: 'customer-8', token: 'tok_last' });
		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({ deleted: true, remainingTokens: [] });
	});

	it("surfaces RM's error for a token it does not know", async () => {
		seedTokens('customer-9', cardToken('tok_x', '4444'));
		const { error } = await run({ operation: 'delete', customerUserId: 'customer-9', token: 'tok_unknown' });
		expect(error?.message).toBe('Revenue Monster: token not found [CARD_TOKEN_NOT_FOUND]');
		expect(suite.simulator.state.cardTokens.get('customer-9')).toHaveLength(1);
	});

	it('needs a token before any request', async () => {
		const logged = suite.simulator.log.length;
		const { error } = await run({ operation: 'delete', customerUserId: 'customer-9', token: ' ' });
		expect(error?.message).toMatch(/^Invalid Token in item 0: " " is required/);
		expect(suite.simulator.log.length).toBe(logged);
	});
});

describe('public names (contract.md)', () => {
	it('has getMany (customerUserId) and delete (customerUserId, token)', () => {
		const properties = new RevenueMonster().description.properties;
		const fieldsOf = (operation: string) =>
			properties
				.filter(
					(property) =>
						property.displayOptions?.show?.resource?.includes('token') &&
						property.displayOptions?.show?.operation?.includes(operation),
				)
				.map((property) => property.name);
		expect(fieldsOf('getMany')).toEqual(['customerUserId']);
		expect(fieldsOf('delete')).toEqual(['customerUserId', 'token']);
	});
});
