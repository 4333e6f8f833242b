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
} from '../../nodes/RevenueMonster/transport/signature';

export function signNotification(
	privateKey: KeyObject,
	body: unknown,
	method = 'post',
	nonceStr: string = createNonce(),
	timestamp: string = unixTimestamp(),
): { rawBody: string; headers: SignedHeaders } {
	const rawBody = canonicalJson(body);
	const signString = buildSignString({ data: signDataOf(rawBody), method, nonceStr, timestamp });
	return {
		rawBody,
		headers: {
			'X-Signature': formatSignatureHeader(signText(privateKey, signString)),
			'X-Nonce-Str': nonceStr,
			'X-Timestamp': timestamp,
		},
	};
}
