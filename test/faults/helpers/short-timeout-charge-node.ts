/**
 * A test-only node for the one fault the real operation cannot show in seconds: a charge POST that
 * times out. `order.create` waits 60 s for an answer; this node makes the same signed call through
 * the same transport (revenueMonsterRequest, n8n's httpRequestWithAuthentication, the credential)
 * with a short timeout, so the transport's "never retry a write whose outcome is unknown" is what
 * is tested. The error items go to n8n's error output like the real node's.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../../nodes/RevenueMonster/transport/request';
import { apiPath } from '../../../nodes/RevenueMonster/transport/url';

export class ShortTimeoutChargeNode implements INodeType {
	description = {
		displayName: 'RM Charge with short timeout (test)',
		name: 'rmShortTimeoutCharge',
		group: ['transform'],
		version: 1,
		description: 'test only',
		defaults: { name: 'RM Charge' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		properties: [
			{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: '' },
			{ displayName: 'Amount', name: 'amount', type: 'number', default: 100 },
			{ displayName: 'Timeout (ms)', name: 'timeoutMs', type: 'number', default: 300 },
		],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const response = await revenueMonsterRequest.call(this, {
					method: 'POST',
					path: apiPath('/v3/customer', this.getNodeParameter('customerId', itemIndex) as string, 'order'),
					body: { currency: 'MYR', amount: this.getNodeParameter('amount', itemIndex) as number },
					timeout: this.getNodeParameter('timeoutMs', itemIndex) as number,
					itemIndex,
				});
				out.push({ json: response, pairedItem: { item: itemIndex } });
			} catch (caught) {
				if (!this.continueOnFail()) throw caught;
				// The same error item as the router's: `error` and `details`, routed to the error output.
				const error = caught as NodeApiError | NodeOperationError;
				out.push({
					json: { error: error.message, details: { description: error.description ?? '' } },
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [out];
	}
}
