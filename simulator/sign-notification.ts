/** Signs a payment notification as RM's server does (callback form: no requestUrl); the package only verifies. */
import type { KeyObject } from 'crypto';

import {
	buildSignString,
	canonicalJson,
	createNonce,
	formatSignatureHeader,
	signDataOf,
	signText,
	unixTimestamp,
	type SignedHeaders,
} from '../nodes/RevenueMonster/transport/signature';

/** RM's server signing any text as the callback body (undefined: bodyless, no data part). */
export function rmSignature(
	key: KeyObject,
	bodyText: string | undefined,
	options: { method?: string; nonce?: string; timestamp?: string } = {},
): Record<string, string> {
	const nonce = options.nonce ?? createNonce();
	const timestamp = options.timestamp ?? unixTimestamp();
	const signString = buildSignString({
		data: signDataOf(bodyText),
		method: options.method ?? 'post',
		nonceStr: nonce,
		timestamp,
	});
	return { 'X-Signature': formatSignatureHeader(signText(key, signString)), 'X-Nonce-Str': nonce, 'X-Timestamp': timestamp };
}

/** A notification as RM's server sends it: the canonical JSON of `body`, signed with its data part. */
export function signNotification(
	privateKey: KeyObject,
	body: unknown,
	method = 'post',
	nonceStr: string = createNonce(),
	timestamp: string = unixTimestamp(),
): { rawBody: string; headers: SignedHeaders } {
	const rawBody = canonicalJson(body);
	const signed = rmSignature(privateKey, rawBody, { method, nonce: nonceStr, timestamp });
	return {
		rawBody,
		headers: {
			'X-Signature': signed['X-Signature'],
			'X-Nonce-Str': signed['X-Nonce-Str'],
			'X-Timestamp': signed['X-Timestamp'],
		},
	};
}
