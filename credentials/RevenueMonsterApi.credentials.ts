import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { fetchAccessToken, signRequestOptions } from '../nodes/RevenueMonster/transport/authenticate';
import { sharedTokenRequest } from '../nodes/RevenueMonster/transport/token-single-flight';

export class RevenueMonsterApi implements ICredentialType {
	name = 'revenueMonsterApi';

	displayName = 'Revenue Monster API';

	icon: Icon = {
		light: 'file:../icons/revenueMonster.svg',
		dark: 'file:../icons/revenueMonster.dark.svg',
	};

	// The README's credential section: where each value comes from, and how to make the key pair.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-revenuemonster#set-up-the-credential';

	properties: INodeProperties[] = [
		{
			displayName:
				'Revenue Monster checks every request against an RSA key pair you make: the private key goes below, the public key to Revenue Monster. To make one, run: openssl genrsa -out rm-private.pem 2048 && openssl rsa -in rm-private.pem -pubout -out rm-public.pem — then upload rm-public.pem in the <a href="https://merchant.revenuemonster.my" target="_blank">merchant portal</a> → Developer → Applications → your application → Public Key, and paste rm-private.pem into Private Key. Client ID and Client Secret are on the same page.',
			name: 'keyPairNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'sandbox',
			options: [
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'Test money: sb-open.revenuemonster.my',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'Real money: open.revenuemonster.my',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Other hosts, such as the local Revenue Monster simulator',
				},
			],
			description:
				'Sandbox and production keys are different: use the Client ID, secret and keys issued for this environment',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			placeholder: 'http://127.0.0.1:4010',
			description: 'Open API origin; requests go to {API Base URL}/v3/…',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'OAuth Base URL',
			name: 'oauthBaseUrl',
			type: 'string',
			default: 'http://127.0.0.1:4010',
			placeholder: 'http://127.0.0.1:4010',
			description: 'OAuth origin; the token is requested at {OAuth Base URL}/v1/token',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Revenue Monster portal → Developer → Applications → your application',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown beside the Client ID in Developer → Applications',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			placeholder: '-----BEGIN RSA PRIVATE KEY-----…',
			description:
				'Your RSA private key. Its public half must be uploaded in Developer → Applications → Public Key. PEM (PKCS#1 or PKCS#8), with real or "\\n" line breaks, or only the base64 body.',
		},
		// The contract makes it a password field: not secret, but long and noisy to show.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Server Public Key',
			name: 'serverPublicKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			description:
				"Revenue Monster's public key, used by the trigger to verify payment notifications: Developer → Applications → Server Public Key. PEM or the base64 body as the portal shows it.",
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * Gets a token; n8n stores it in `accessToken`. The node's transport asks for a new one (once per
	 * request) after a token error: it hands n8n this credential with the token left out. Executions
	 * asking at the same moment in one process (a queue-mode worker's cold start) share one request.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await sharedTokenRequest(credentials, async () => await fetchAccessToken.call(this, credentials));
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signRequestOptions(credentials, requestOptions);
	}

	/** A token plus one signed read: proves the client id, the secret and the key pair together. */
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/v3/merchant',
		},
		// The token was already issued when this request fails, so the client ID and secret are
		// right: what is left is the key pair (or the clock, or the environment).
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Client ID and secret are valid, but Revenue Monster rejected the signed request: the private key does not match the public key uploaded in Developer → Applications (or this machine’s clock is off by more than 2 minutes)',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Client ID and secret are valid, but Revenue Monster refused the signed request: check that the private key matches the public key uploaded in Developer → Applications, and that the environment is the one the keys belong to',
				},
			},
		],
	};
}
