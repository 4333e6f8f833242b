/** The Transaction Trigger's public names (shared/docs/contract.md "Transaction trigger"). */
import type { INodeProperties } from 'n8n-workflow';

import { RevenueMonsterTransactionTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTransactionTrigger.node';

const { description } = new RevenueMonsterTransactionTrigger();
const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;
const values = (options: INodeProperties['options']) => (options ?? []).map((option) => (option as { value?: string; name: string }).value ?? (option as { name: string }).name);

describe('Revenue Monster Transaction Trigger description', () => {
	it('is a polling trigger with the contract’s name and credential', () => {
		expect(description).toMatchObject({
			name: 'revenueMonsterTransactionTrigger',
			displayName: 'Revenue Monster Transaction Trigger',
			polling: true,
			group: ['trigger'],
			version: 1,
			inputs: [],
			credentials: [{ name: 'revenueMonsterApi', required: true }],
		});
	});

	it('statuses: the five, FAILED by default', () => {
		const statuses = property('statuses');
		expect(statuses.type).toBe('multiOptions');
		expect(values(statuses.options).sort()).toEqual(['FAILED', 'FULL_REFUNDED', 'PARTIAL_REFUNDED', 'REVERSED', 'SUCCESS']);
		expect(statuses.default).toEqual(['FAILED']);
	});

	it('options.types filters on the transaction type, none by default', () => {
		const options = property('options').options as INodeProperties[];
		const types = options.find((option) => option.name === 'types')!;
		expect(types.type).toBe('multiOptions');
		expect(types.default).toEqual([]);
		expect(values(types.options)).toEqual(expect.arrayContaining(['RECURRING_PAYMENT', 'WEB_PAYMENT']));
	});
});
