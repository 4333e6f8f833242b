/** The trigger's options, with their defaults: everything protective is on unless turned off. */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface TriggerOptions {
	verifySignature: boolean;
	confirmWithApi: boolean;
	toleranceSeconds: number;
	ignoreDuplicates: boolean;
}

export function triggerOptions(context: IWebhookFunctions | IHookFunctions): TriggerOptions {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const tolerance = Number(options.toleranceSeconds);
	return {
		verifySignature: options.verifySignature !== false,
		confirmWithApi: options.confirmWithApi !== false,
		toleranceSeconds: Number.isFinite(tolerance) && tolerance > 0 ? tolerance : DEFAULT_TOLERANCE_SECONDS,
		ignoreDuplicates: options.ignoreDuplicates !== false,
	};
}
