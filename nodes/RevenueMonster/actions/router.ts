/**
 * Hands each input item to its operation, in order, and turns failures into n8n's conventions:
 * "Continue on fail" / error output gets one error item per failed item while the others go on,
 * every output item carries pairedItem. Items run one at a time unless the user raises
 * Concurrency; a requests-per-second cap holds across all of them.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { RequestThrottle, setThrottle } from '../transport/throttle';
import { operationFor } from './operations';

interface RequestOptions {
	concurrency?: number;
	maxRequestsPerSecond?: number;
}

/**
 * The item "Continue on fail" emits: `{error, message}` (or `{error}` when there is nothing more to say)
 * and `pairedItem`. `error` is the error's message: it names the transaction and Revenue Monster's reason
 * for a declined charge, Revenue Monster's code in brackets for an API error, the field and value for a bad
 * parameter. `message` is its description: what to do next (for "Outcome unknown": how to check whether
 * the charge went through before sending it again).
 *
 * This is the one shape every supported n8n both routes to the error output and passes on merged with the
 * input item (README, "Compatibility"; checked by the e2e on each version):
 * - n8n 1.x routes an item only when `item.error` is set or its json is exactly `{error}` or
 *   `{error, message}`; the `{error, details}` this node emitted before went to the success output there.
 * - n8n 1.x and 2.x both replace the json of an item with `item.error` by `{error: message}`, dropping the
 *   input item's fields and the description; so `item.error` is not set.
 */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const description = (error as NodeApiError).description;
	return {
		json: description ? { error: error.message, message: description } : { error: error.message },
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
