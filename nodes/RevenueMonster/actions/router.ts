/**
 * Hands each input item to its operation, in order, and turns failures into n8n's conventions:
 * "Continue on fail" / error output gets one error item per failed item while the others go on,
 * every output item carries pairedItem. Items run one at a time unless the user raises
 * Concurrency; a requests-per-second cap holds across all of them.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { RequestThrottle, setThrottle } from '../transport/throttle';
import { operationFor } from './operations';

interface RequestOptions {
	concurrency?: number;
	maxRequestsPerSecond?: number;
}

/**
 * The item "Continue on fail" emits. Only `error` and `details` keys, and no `item.error`: n8n then
 * routes it to the error output merged with the input item, and keeps `details` (with `item.error`
 * set, n8n would reduce the JSON to the message alone).
 */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const context = (error as NodeApiError).context ?? {};
	const details: IDataObject = {};
	if (context.revenueMonsterCode) details.code = context.revenueMonsterCode as string;
	if (context.transactionId) details.transactionId = context.transactionId as string;
	if (context.reason) details.reason = context.reason as string;
	if ((error as NodeApiError).httpCode) details.httpCode = (error as NodeApiError).httpCode;
	const description = (error as NodeApiError).description;
	if (description) details.description = description;
	return {
		json: Object.keys(details).length ? { error: error.message, details } : { error: error.message },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Concurrency and the rate cap, from the operation's Options; workflows saved before the options were
 * one collection hold them in the hidden `requestOptions`, read when Options does not set them.
 */
function requestOptionsOf(context: IExecuteFunctions): RequestOptions {
	const options = context.getNodeParameter('options', 0, {}) as RequestOptions;
	const legacy = context.getNodeParameter('requestOptions', 0, {}) as RequestOptions;
	return {
		concurrency: options.concurrency ?? legacy.concurrency,
		maxRequestsPerSecond: options.maxRequestsPerSecond ?? legacy.maxRequestsPerSecond,
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operationFor(resource, operation);
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	const options = requestOptionsOf(this);
	const concurrency = Math.max(1, Math.min(Math.floor(options.concurrency ?? 1), 16));
	setThrottle(this, options.maxRequestsPerSecond ? new RequestThrottle(options.maxRequestsPerSecond) : undefined);

	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	let stopError: Error | undefined;

	const worker = async (maxItems = items.length): Promise<void> => {
		for (let done = 0; done < maxItems && stopError === undefined && next < items.length; done++) {
			const itemIndex = next++;
			try {
				const output = await execute.call(this, itemIndex);
				results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
			} catch (caught) {
				const error = caught as Error;
				if (this.continueOnFail()) {
					results[itemIndex] = [errorItem(error, itemIndex)];
					continue;
				}
				if (error instanceof NodeApiError || error instanceof NodeOperationError) {
					if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
					stopError = error;
				} else {
					stopError = new NodeOperationError(this.getNode(), error, { itemIndex });
				}
			}
		}
	};

	try {
		// The first item runs alone: it fetches the access token that the concurrent items then
		// share, instead of each of them asking Revenue Monster for one at the same moment.
		if (concurrency > 1) await worker(1);
		await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, () => worker()));
	} finally {
		setThrottle(this, undefined);
	}
	if (stopError) throw stopError;
	return [results.flat()];
}
