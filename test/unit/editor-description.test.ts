/**
 * What the editor shows a new user (issue "first ten minutes"), checked on the descriptions through
 * n8n-workflow's own NodeHelpers (what the editor and the engine use to fill and save parameters).
 */
import type { IDataObject, INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { RevenueMonsterApi } from '../../credentials/RevenueMonsterApi.credentials';
import { ORDER_ID_EXPRESSION } from '../../nodes/RevenueMonster/actions/checkout/create.operation';
import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';
import { RevenueMonsterTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTrigger.node';
import { triggerOptions } from '../../nodes/RevenueMonster/trigger/options';

const trigger = new RevenueMonsterTrigger().description;
const action = new RevenueMonster().description;

function node(description: INodeTypeDescription, parameters: IDataObject): INode {
	return { id: 'n', name: 'n', type: description.name, typeVersion: 1, position: [0, 0], parameters } as INode;
}

/** Parameters as the editor fills a node it adds (defaults), and as it saves them (no defaults). */
function added(description: INodeTypeDescription, parameters: IDataObject = {}): IDataObject {
	return NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, node(description, parameters), description) as IDataObject;
}
function saved(description: INodeTypeDescription, parameters: IDataObject): IDataObject {
	return NodeHelpers.getNodeParameters(description.properties, parameters as never, false, false, node(description, parameters), description) as IDataObject;
}

const optionsReadFrom = (options: unknown) =>
	triggerOptions({ getNodeParameter: (_name: string, fallback: unknown) => options ?? fallback } as never);

describe('trigger panel', () => {
	it('a newly added trigger shows the four protective options with their values', () => {
		expect(added(trigger).options).toEqual({
			verifySignature: true,
			confirmWithApi: true,
			toleranceSeconds: 300,
			ignoreDuplicates: true,
		});
	});

	it('a saved workflow with options {} still means all four on; one turned off stays off', () => {
		expect(optionsReadFrom({})).toEqual({ verifySignature: true, confirmWithApi: true, toleranceSeconds: 300, ignoreDuplicates: true });
		expect(optionsReadFrom(saved(trigger, { events: ['PAYMENT_WEB_ONLINE'], options: {} }).options ?? {})).toMatchObject({
			verifySignature: true,
		});
		expect(optionsReadFrom({ verifySignature: false }).verifySignature).toBe(false);
	});

	it('the subtitle is words, not codes', () => {
		const expression = String(trigger.subtitle).replace(/^=\{\{/, '').replace(/\}\}$/, '');
		// eslint-disable-next-line @typescript-eslint/no-implied-eval
		const evaluate = new Function('$parameter', `return ${expression}`) as (p: IDataObject) => string;
		expect(evaluate({ events: ['PAYMENT_WEB_ONLINE', 'RECURRING_PAYMENT'] })).toBe('Online payments + Recurring charges');
		expect(evaluate({ events: ['RECURRING_PAYMENT'] })).toBe('Recurring charges');
	});

	it('names the buttons n8n 2.41 shows, and says which URL to use when', () => {
		const texts = JSON.stringify([trigger.triggerPanel, trigger.properties[0].displayName]);
		expect(texts).not.toMatch(/Listen for test event/);
		expect(texts).toMatch(/Execute step/);
		expect(trigger.properties[0].displayName).toMatch(/Test URL<\/b> while you build/);
		expect(trigger.properties[0].displayName).toMatch(/Production URL<\/b> for real use/);
	});
});

describe('credential form', () => {
	const credential = new RevenueMonsterApi();
	it('opens with a notice on making the RSA key pair, and links this package’s credential section', () => {
		const notice = credential.properties[0];
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(/openssl genrsa -out rm-private\.pem 2048/);
		expect(notice.displayName).toMatch(/openssl rsa -in rm-private\.pem -pubout -out rm-public\.pem/);
		expect(notice.displayName).toMatch(/Public Key/);
		expect(credential.documentationUrl).toMatch(/n8n-nodes-revenuemonster#set-up-the-credential$/);
	});
});

describe('action node', () => {
	it('Order ID defaults to an expression new per run and item, at most 24 characters', () => {
		expect(added(action, { resource: 'checkout', operation: 'create' }).orderId).toBe(ORDER_ID_EXPRESSION);
		// What it gives: "ORD" + yyMMddHHmmssSSS + "-" + item index.
		const longest = `ORD${'9'.repeat(15)}-99999`;
		expect(longest.length).toBeLessThanOrEqual(24);
		expect(ORDER_ID_EXPRESSION).toContain("$now.toFormat('yyMMddHHmmssSSS')");
		expect(ORDER_ID_EXPRESSION).toContain('$itemIndex');
	});

	it('every Amount starts empty and is required', () => {
		const amounts = action.properties.filter((property) => property.name === 'amount');
		expect(amounts.length).toBeGreaterThanOrEqual(4);
		for (const amount of amounts) expect(amount).toMatchObject({ default: null, required: true });
		expect(added(action, { resource: 'order', operation: 'create' }).amount).toBeNull();
	});

	it.each([
		['order', 'create', ['concurrency', 'maxRequestsPerSecond', 'timeout']],
		['transaction', 'refund', ['concurrency', 'maxRequestsPerSecond', 'timeout']],
		['transaction', 'reverse', ['concurrency', 'maxRequestsPerSecond', 'timeout']],
		['transaction', 'get', ['concurrency', 'maxRequestsPerSecond']],
		['customer', 'createRecurring', ['concurrency', 'maxRequestsPerSecond']],
		['checkout', 'create', ['concurrency', 'maxRequestsPerSecond']],
	])('%s → %s shows one Options collection: %j', (resource, operation, names) => {
		const shown = action.properties.filter(
			(property: INodeProperties) =>
				property.type === 'collection' &&
				NodeHelpers.displayParameter({ resource, operation }, property, node(action, { resource, operation }), action),
		);
		expect(shown.map((property) => property.name)).toEqual(expect.arrayContaining(['options']));
		expect(shown.filter((property) => property.name !== 'additionalFields')).toHaveLength(1);
		const options = shown.find((property) => property.name === 'options')!;
		expect((options.options as INodeProperties[]).map((option) => option.name).sort()).toEqual(expect.arrayContaining(names));
	});

	it('keeps a workflow saved with the old node-level Request Options (n8n would drop an undescribed parameter)', () => {
		const parameters = { resource: 'order', operation: 'create', requestOptions: { concurrency: 8 } };
		expect(added(action, parameters).requestOptions).toEqual({ concurrency: 8 });
		expect(saved(action, parameters).requestOptions).toEqual({ concurrency: 8 });
		// control: a parameter the node does not describe is dropped
		expect(added(action, { ...parameters, notDescribed: { concurrency: 8 } }).notDescribed).toBeUndefined();
	});
});
