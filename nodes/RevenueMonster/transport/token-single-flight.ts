/**
 * One token request at a time per credential, in this process. n8n keeps the token in the credential
 * (in the database) and asks for one when the stored token is empty or was refused, without any lock:
 * every execution that reads the credential before the first token is saved asks for its own. In
 * queue mode a worker starts several executions at once, so a cold start would fetch one token per
 * execution. Requests that overlap in one process share the one already on its way; a request made
 * after it finished fetches anew (n8n only asks when it needs a new token).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { createHash } from 'crypto';

import { hostsFor } from './environment';

const inFlight = new Map<string, Promise<{ accessToken: string }>>();

/** Who is asking: the token service, client ID and secret (hashed: the secret is never kept). */
function requesterOf(credentials: ICredentialDataDecryptedObject): string {
	let oauthBaseUrl = '';
	try {
		oauthBaseUrl = hostsFor(credentials).oauthBaseUrl;
	} catch {
		// the fetch itself reports a bad host
	}
	return createHash('sha256')
		.update([oauthBaseUrl, credentials.clientId, credentials.clientSecret].map(String).join('\n'))
		.digest('hex');
}

export async function sharedTokenRequest(
	credentials: ICredentialDataDecryptedObject,
	fetchToken: () => Promise<{ accessToken: string }>,
): Promise<{ accessToken: string }> {
	const requester = requesterOf(credentials);
	const pending = inFlight.get(requester);
	if (pending) return await pending;
	const request = fetchToken();
	inFlight.set(requester, request);
	try {
		return await request;
	} finally {
		inFlight.delete(requester);
	}
}
