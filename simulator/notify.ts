/** Payment notifications as RM's server sends them, plus the broken kinds a trigger must refuse. */
import { generateKeyPairSync, type KeyObject } from 'crypto';
import http from 'http';

import { canonicalJson, createNonce } from '../nodes/RevenueMonster/transport/signature';
import { signNotification } from './sign-notification';
import type { Json } from './state';

export type NotificationVariant =
	/** what RM sends */
	| 'signed'
	/** signed, then one field of the body changed */
	| 'tampered'
	/** signed by a key that is not RM's */
	| 'wrongKey'
	/** no signature headers at all */
	| 'unsigned'
	/** correctly signed, but an hour old */
	| 'stale'
	/** the same signed request sent twice (RM's retry, or a replay) */
	| 'duplicate'
	/** a body that is not JSON */
	| 'malformed';

let strangerKey: KeyObject | undefined;
function keyThatIsNotRms(): KeyObject {
	strangerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
	return strangerKey;
}

export interface NotificationOptions {
	/**
	 * Where the notification travels: in the body (what RM does for POST), or, for a bodyless GET,
	 * as `?eventType=…&data=<JSON>`. RM signs the body only ("omit data if the body is empty",
	 * doc-v3.revenuemonster.my/docs/quickstart/verify-signature), so a query-string notification is
	 * signed without a data part: the signature covers its nonce and time, never its fields.
	 */
	placement?: 'body' | 'query';
	/** Content-Type to send instead of application/json */
	contentType?: string;
}

export interface PreparedNotification {
	rawBody: string;
	/** `?…` appended to the URL, or '' */
	query: string;
	headers: Record<string, string>;
	/** how many times to send it */
	times: number;
}

/** Moves a (possibly tampered or malformed) JSON body into the query string. */
function toQuery(rawBody: string): string {
	let eventType = '';
	let data = rawBody;
	try {
		const parsed = JSON.parse(rawBody) as Json;
		eventType = String(parsed.eventType ?? '');
		data = canonicalJson(parsed.data ?? {});
	} catch {
		// malformed: sent as it is
	}
	return `?eventType=${encodeURIComponent(eventType)}&data=${encodeURIComponent(data)}`;
}

/** Builds the bytes and headers of one notification variant. */
export function prepareNotification(
	serverKey: KeyObject,
	body: Json,
	variant: NotificationVariant,
	method: 'POST' | 'GET',
	nowMs: number,
	options: NotificationOptions = {},
): PreparedNotification {
	const timestamp = Math.floor((variant === 'stale' ? nowMs - 3_600_000 : nowMs) / 1000).toString();
	const key = variant === 'wrongKey' ? keyThatIsNotRms() : serverKey;
	const signed = signNotification(key, body, method.toLowerCase(), createNonce(), timestamp);
	let rawBody = signed.rawBody;
	if (variant === 'tampered') {
		const changed = JSON.parse(rawBody) as Json;
		const data = (changed.data ?? {}) as Json;
		const order = data.order as Json | undefined;
		if (order && typeof order.amount === 'number') order.amount += 100;
		else if (typeof data.amount === 'number') data.amount += 100;
		else data.tampered = true;
		rawBody = JSON.stringify(changed);
	}
	if (variant === 'malformed') rawBody = rawBody.slice(0, Math.max(1, rawBody.length - 7));
	const headers: Record<string, string> =
		variant === 'unsigned' ? {} : { ...signed.headers };
	headers['Content-Type'] = options.contentType ?? 'application/json';
	const times = variant === 'duplicate' ? 2 : 1;
	if (options.placement === 'query') {
		const bodyless = signNotification(key, null, method.toLowerCase(), createNonce(), timestamp);
		const queryHeaders: Record<string, string> = variant === 'unsigned' ? {} : { ...bodyless.headers };
		queryHeaders['Content-Type'] = headers['Content-Type'];
		return { rawBody: '', query: toQuery(rawBody), headers: queryHeaders, times };
	}
	return { rawBody, query: '', headers, times };
}

function send(url: string, method: string, rawBody: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method, headers: { ...headers, 'Content-Length': Buffer.byteLength(rawBody).toString() }, timeout: 30_000 },
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			},
		);
		request.on('timeout', () => request.destroy(new Error('notification timed out')));
		request.on('error', reject);
		request.end(rawBody);
	});
}

/** Sends a notification variant to `url`; returns the HTTP status of each delivery. */
export async function deliverNotification(
	serverKey: KeyObject,
	url: string,
	body: Json,
	variant: NotificationVariant,
	method: 'POST' | 'GET',
	nowMs: number,
	options: NotificationOptions = {},
): Promise<number[]> {
	const prepared = prepareNotification(serverKey, body, variant, method, nowMs, options);
	const statuses: number[] = [];
	for (let i = 0; i < prepared.times; i++) {
		statuses.push(await send(url + prepared.query, method, prepared.rawBody, prepared.headers));
	}
	return statuses;
}
