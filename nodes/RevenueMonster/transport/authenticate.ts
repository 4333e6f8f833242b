/**
 * What the credential does before and on every request: get an access token (preAuthentication)
 * and sign the request (authenticate). Kept here, beside the signing module, so the credential
 * file stays a description and these can be tested on their own.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { createHash } from 'crypto';

import { hostsFor } from './environment';
import { connectionProblem } from './errors';
import { parsePrivateKey } from './keys';
import { canonicalJson, signRequest } from './signature';
import { resolveRequestUrl } from './url';

/** RM's OAuth error codes, in words a merchant can act on. */
const OAUTH_ERROR_HINTS: Record<string, string> = {
	InvalidClient: 'Revenue Monster did not accept the Client ID and Client Secret',
	UnAuthorizedClient: 'Revenue Monster did not accept the Client ID and Client Secret',
	InActiveClient: 'This Revenue Monster application is inactive',
	AccessDenied: 'Revenue Monster denied access to this application',
	InvalidGrant: 'Revenue Monster refused the token request',
	InvalidRequest: 'Revenue Monster refused the token request',
	UnSupportedGrantType: 'Revenue Monster refused the token request',
	InternalError: 'Revenue Monster could not issue a token right now (InternalError); try again',
	TemporaryUnAvailable: 'Revenue Monster could not issue a token right now (TemporaryUnAvailable); try again',
};

function oauthErrorCode(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const error = (body as IDataObject).error;
	if (typeof error === 'string') return error;
	if (error && typeof error === 'object') return String((error as IDataObject).code ?? '') || undefined;
	const code = (body as IDataObject).code;
	return typeof code === 'string' ? code : undefined;
}

/** Token owners by credential identity, like the parsed keys in keys.ts: bounded, oldest dropped first. */
const MAX_TOKEN_OWNERS = 64;
const tokenOwners = new Map<string, string>();

/**
 * Who a token was issued to: a short hash of the token service, client ID and secret. The cached
 * token is stored as `<owner>:<token>` and only sent while the credential still has that owner.
 * n8n keeps the cached token when the user edits the credential, and (in 2.41) its "Test credential"
 * reuses it, so without this a wrong new secret would test as "successful" on the old token. A
 * token that no longer matches is not sent; RM answers 401 and the transport has n8n fetch a new one.
 */
function tokenOwner(credentials: ICredentialDataDecryptedObject, oauthBaseUrl: string): string {
	const identity = [oauthBaseUrl, credentials.clientId, credentials.clientSecret].map(String).join('\n');
	// Asked on every signed request with the same few credentials: each hash is made once.
	const known = tokenOwners.get(identity);
	if (known !== undefined) return known;
	const owner = createHash('sha256').update(identity).digest('hex').slice(0, 16);
	if (tokenOwners.size >= MAX_TOKEN_OWNERS) tokenOwners.delete(tokenOwners.keys().next().value as string);
	tokenOwners.set(identity, owner);
	return owner;
}

/** The cached token, if it was issued to this credential's current client ID, secret and host. */
function cachedTokenFor(credentials: ICredentialDataDecryptedObject, oauthBaseUrl: string): string {
	const stored = String(credentials.accessToken ?? '');
	const separator = stored.indexOf(':');
	if (separator < 0) return '';
	const owner = stored.slice(0, separator);
	return owner === tokenOwner(credentials, oauthBaseUrl) ? stored.slice(separator + 1) : '';
}

/** POST {oauth}/v1/token with client credentials. Errors name the cause and never echo a secret. */
export async function fetchAccessToken(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string }> {
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '').trim();
	if (!clientId || !clientSecret) {
		throw new UserError('Enter the Client ID and Client Secret from the Revenue Monster portal');
	}
	const { oauthBaseUrl } = hostsFor(credentials);
	const tokenUrl = `${oauthBaseUrl}/v1/token`;

	let response: { statusCode: number; body: unknown } | undefined;
	let unreachable = '';
	try {
		response = (await this.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			headers: {
				Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ grantType: 'client_credentials' }),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		unreachable = connectionProblem((error as { code?: string }).code);
	}
	if (!response) {
		throw new UserError(`Could not reach Revenue Monster's token service at ${tokenUrl}: ${unreachable}`);
	}

	const body = (response.body ?? {}) as IDataObject;
	const accessToken = body.accessToken;
	if (response.statusCode >= 200 && response.statusCode < 300 && typeof accessToken === 'string' && accessToken) {
		return { accessToken: `${tokenOwner(credentials, oauthBaseUrl)}:${accessToken}` };
	}
	const code = oauthErrorCode(body);
	const hint = (code && OAUTH_ERROR_HINTS[code]) ?? 'Revenue Monster did not issue an access token';
	const checkEnvironment =
		code === 'InvalidClient' || code === 'UnAuthorizedClient' || response.statusCode === 401
			? ': check the Client ID, the Client Secret and that the environment (sandbox or production) is the one they were issued for'
			: '';
	throw new UserError(`${hint}${checkEnvironment} (HTTP ${response.statusCode}${code ? `, ${code}` : ''})`);
}

/** The headers the signature sets (lower case); any caller's own spelling of them is dropped. */
const SIGNED_HEADERS = new Set(['authorization', 'content-type', 'x-signature', 'x-nonce-str', 'x-timestamp']);

function headersWithoutSigned(headers: IDataObject | undefined): IDataObject {
	const kept: IDataObject = {};
	if (!headers) return kept;
	for (const name of Object.keys(headers)) {
		if (!SIGNED_HEADERS.has(name.toLowerCase())) kept[name] = headers[name];
	}
	return kept;
}

/**
 * Signs one request. Resolves baseURL + url + qs into the single URL that is signed and sent, and
 * serialises the body to canonical JSON so the signed bytes are the sent bytes. Idempotent: on a
 * resend (n8n's own 401 retry, where a caller leaves it on) it receives its own output (absolute
 * URL, string body) and re-signs it with the new token, a fresh nonce and a fresh timestamp.
 */
export function signRequestOptions(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const privateKey = parsePrivateKey(credentials.privateKey as string | undefined);
	const method = (requestOptions.method ?? 'GET').toUpperCase();
	const hosts = hostsFor(credentials);
	const baseUrl = requestOptions.baseURL || hosts.apiBaseUrl;
	const url = resolveRequestUrl(baseUrl, requestOptions.url, requestOptions.qs);

	let body: string | undefined;
	if (typeof requestOptions.body === 'string') {
		body = requestOptions.body === '' ? undefined : requestOptions.body;
	} else if (requestOptions.body !== undefined && requestOptions.body !== null) {
		body = canonicalJson(requestOptions.body);
	}
	if (body !== undefined && (method === 'GET' || method === 'HEAD')) body = undefined;

	const { headers: signatureHeaders } = signRequest(privateKey, { method, url, body });
	return {
		...requestOptions,
		method: method as IHttpRequestOptions['method'],
		url,
		baseURL: undefined,
		qs: undefined,
		body,
		headers: {
			...headersWithoutSigned(requestOptions.headers),
			Authorization: `Bearer ${cachedTokenFor(credentials, hosts.oauthBaseUrl)}`,
			'Content-Type': 'application/json',
			...signatureHeaders,
		},
	};
}
