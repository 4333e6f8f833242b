/** The trigger's public names (shared/docs/contract.md "Trigger node"): saved workflows depend on them. */
import type { INodeProperties } from 'n8n-workflow';

import { RevenueMonsterTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTrigger.node';

const { description } = new RevenueMonsterTrigger();
const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;

describe('Revenue Monster Trigger description', () => {
	it('is the trigger node the contract names, with the action node’s icon and credential', () => {
		expect(description).toMatchObject({
			name: 'revenueMonsterTrigger',
			displayName: 'Revenue Monster Trigger',
			group: ['trigger'],
			version: 1,
			inputs: [],
			icon: { light: 'file:../../icons/revenueMonster.svg', dark: 'file:../../icons/revenueMonster.dark.svg' },
			credentials: [{ name: 'revenueMonsterApi', required: true }],
		});
	});

	it('listens on path "notify" for POST and GET', () => {
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'notify', responseMode: 'onReceived' }),
			expect.objectContaining({ name: 'default', httpMethod: 'GET', path: 'notify', responseMode: 'onReceived' }),
		]);
	});

	it('offers both events, both selected by default', () => {
		const events = property('events');
		expect(events.type).toBe('multiOptions');
		expect(events.options?.map((option) => (option as { value: string }).value)).toEqual([
			'PAYMENT_WEB_ONLINE',
			'RECURRING_PAYMENT',
		]);
		expect(events.default).toEqual(['PAYMENT_WEB_ONLINE', 'RECURRING_PAYMENT']);
	});

	it('has the four options with protective defaults', () => {
		const options = property('options');
		const defaults = Object.fromEntries(
			(options.options as INodeProperties[]).map((option) => [option.name, option.default]),
		);
		expect(defaults).toEqual({ verifySignature: true, confirmWithApi: true, toleranceSeconds: 300, ignoreDuplicates: true });
	});

	it('tells the user which URL to paste as notifyUrl', () => {
		const notice = property('notifyUrlNotice');
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(/Production URL/);
		expect(notice.displayName).toMatch(/Test URL/);
		expect(notice.displayName).toMatch(/Notify URL/);
	});

	it('registers nothing at RM: checkExists says "no" so that create runs its checks; delete succeeds', async () => {
		const hooks = new RevenueMonsterTrigger().webhookMethods.default;
		await expect(hooks.checkExists.call({} as never)).resolves.toBe(false);
		await expect(hooks.delete.call({} as never)).resolves.toBe(true);
	});
});
