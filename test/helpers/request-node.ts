/**
 * A test-only node that makes one Revenue Monster call per item through the node's transport, so the
 * foundation (credential, signing, request, errors, pagination) is tested inside n8n's engine before
 * and apart from the action node's operations.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../../nodes/RevenueMonster/transport/pagination';
import { revenueMonsterRequest } from '../../nodes/RevenueMonster/transport/request';

export class RequestTestNode implements INodeType {
	description = {
		displayName: 'RM Request (test)',
		name: 'rmRequestTest',
		group: ['transform'],
		version: 1,
		description: 'test only',
		defaults: { name: 'RM Request' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/v3/merchant' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'All Pages', name: 'allPages', type: 'boolean', default: false },
			{ displayName: 'Limit', name: 'limit', type: 'number', default: 0 },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			try {
				const method = this.getNodeParameter('method', i) as 'GET';
				const path = this.getNodeParameter('path', i) as string;
				const bodyText = this.getNodeParameter('body', i, '') as string;
				if (this.getNodeParameter('allPages', i) as boolean) {
					const limit = this.getNodeParameter('limit', i) as number;
					const all = await revenueMonsterRequestAllItems.call(this, {
						path,
						limit: limit || undefined,
						itemIndex: i,
					});
					out.push(...all.map((json) => ({ json, pairedItem: { item: i } })));
					continue;
				}
				const response = await revenueMonsterRequest.call(this, {
					method,
					path,
					body: bodyText ? (JSON.parse(bodyText) as IDataObject) : undefined,
					itemIndex: i,
				});
				out.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}
