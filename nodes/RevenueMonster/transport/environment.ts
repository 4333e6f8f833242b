/** Which Revenue Monster hosts a credential talks to (shared/docs/revenue-monster-api.md §1). */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export type RevenueMonsterEnvironment = 'sandbox' | 'production' | 'custom';

export interface RevenueMonsterHosts {
	/** Open API origin; calls go to `{apiBaseUrl}/v3/…` */
	apiBaseUrl: string;
	/** OAuth origin; the token is at `{oauthBaseUrl}/v1/token` */
	oauthBaseUrl: string;
}

const KNOWN_HOSTS: Record<Exclude<RevenueMonsterEnvironment, 'custom'>, RevenueMonsterHosts> = {
	sandbox: {
		apiBaseUrl: 'https://sb-open.revenuemonster.my',
		oauthBaseUrl: 'https://sb-oauth.revenuemonster.my',
	},
	production: {
		apiBaseUrl: 'https://open.revenuemonster.my',
		oauthBaseUrl: 'https://oauth.revenuemonster.my',
	},
};

function trimOrigin(value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	if (!/^https?:\/\/[^\s/]+/i.test(text)) {
		throw new Error(
			`The credential's environment is "custom" but ${field} is not an http(s) URL such as http://127.0.0.1:4010`,
		);
	}
	return text;
}

export function hostsFor(credentials: ICredentialDataDecryptedObject): RevenueMonsterHosts {
	const environment = (credentials.environment as RevenueMonsterEnvironment | undefined) ?? 'sandbox';
	if (environment === 'custom') {
		return {
			apiBaseUrl: trimOrigin(credentials.apiBaseUrl, 'API Base URL'),
			oauthBaseUrl: trimOrigin(credentials.oauthBaseUrl, 'OAuth Base URL'),
		};
	}
	const hosts = KNOWN_HOSTS[environment];
	if (!hosts) throw new Error(`Unknown Revenue Monster environment "${String(environment)}"`);
	return hosts;
}
