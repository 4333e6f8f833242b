/**
 * Activation (publishing the workflow, or listening for a test event): Revenue Monster has no API to
 * register a notify URL (it is given per checkout or customer), so there is nothing to create at RM.
 * What activation does check is that verification can work, so a misconfigured trigger fails loudly
 * now instead of refusing every payment notification later.
 */
import type { IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/request';
import { parsePublicKey } from '../transport/keys';
import { triggerOptions } from './options';

export async function checkVerificationIsPossible(this: IHookFunctions): Promise<void> {
	if (!triggerOptions(this).verifySignature) return;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	try {
		parsePublicKey(credentials.serverPublicKey as string | undefined);
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`Revenue Monster Trigger cannot verify notifications: ${(error as Error).message}`,
			{
				description:
					'Paste the Server Public Key from the Revenue Monster portal (Developer → Applications → Server Public Key) ' +
					'into the Revenue Monster credential. Turning off Options → Verify Signature also allows activation, but then ' +
					'anyone who learns the URL can send notifications (Confirm With API still checks each payment with Revenue Monster).',
			},
		);
	}
}
