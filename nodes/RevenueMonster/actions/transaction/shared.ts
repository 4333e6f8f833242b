/** Fields the transaction operations have in common. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter } from '../validation';

/** "Options → Timeout" for the operations that move money back (refund, reverse). */
export function moneyMovingOptions(operation: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['transaction'], operation } },
		options: [
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description:
					'How long to wait for Revenue Monster’s answer. Without an answer the outcome is unknown and the request is not sent again, so nothing is refunded twice: look the transaction up before retrying.',
			},
		],
	};
}

/** The timeout in milliseconds for the transport, or undefined for its default. */
export function timeoutFrom(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (options.timeout === undefined || options.timeout === '') return undefined;
	const seconds = Number(options.timeout);
	if (!Number.isFinite(seconds) || seconds <= 0) {
		throw invalidParameter(context, itemIndex, 'Timeout (Seconds)', options.timeout, 'is not a positive number of seconds');
	}
	return Math.round(seconds * 1000);
}
