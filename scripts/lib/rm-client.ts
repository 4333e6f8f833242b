/**
 * A few signed calls to the simulator from a script (`npm run dev -- pay`), through the package's own
 * signing module: a token, then `POST /v3/…` signed exactly as the credential signs it.
 */
import { canonicalJson, signRequest } from '../../nodes/RevenueMonster/transport/signature';
import { parsePrivateKey } from '../../nodes/RevenueMonster/transport/keys';
import { SIMULATOR_KEYS } from '../../simulator/keys';

export async function simulatorCall(
	baseUrl: string,
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
): Promise<Record<string, unknown>> {
	const basic = Buffer.from(`${SIMULATOR_KEYS.clientId}:${SIMULATOR_KEYS.clientSecret}`).toString('base64');
	const tokenResponse = await fetch(`${baseUrl}/v1/token`, {
		method: 'POST',
		headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ grantType: 'client_credentials' }),
	});
	const { accessToken } = (await tokenResponse.json()) as { accessToken: string };
	const url = `${baseUrl}${path}`;
	const text = body === undefined ? undefined : canonicalJson(body);
	const { headers } = signRequest(parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey), { method, url, body: text });
	const response = await fetch(url, {
		method,
		headers: { ...headers, Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
		body: text,
	});
	const answer = (await response.json()) as Record<string, unknown>;
	if (answer.error) throw new Error(`simulator ${method} ${path}: ${JSON.stringify(answer.error)}`);
	return answer;
}
