/**
 * Builds the one URL string that is both signed and sent. Everything is percent-encoded once, with
 * RFC 3986's unreserved set, so neither axios nor the WHATWG URL parser changes a byte of it.
 */
import type { IDataObject } from 'n8n-workflow';

/** encodeURIComponent plus the five characters it leaves that URL parsers may still encode. */
export function encodeStrict(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(char) => '%' + char.charCodeAt(0).toString(16).toUpperCase(),
	);
}

/** A path from fixed parts and user-supplied ids: `apiPath('/v3/customer', id, 'orders')`. */
export function apiPath(prefix: string, ...segments: Array<string | number>): string {
	return [prefix, ...segments.map((segment) => encodeStrict(String(segment)))].join('/');
}

/** `?a=1&b=2` in the given order; undefined, null and '' values are left out. */
export function queryString(qs: IDataObject | undefined): string {
	if (!qs) return '';
	const pairs: string[] = [];
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null || value === '') continue;
		pairs.push(`${encodeStrict(key)}=${encodeStrict(String(value))}`);
	}
	return pairs.length ? `?${pairs.join('&')}` : '';
}

const ABSOLUTE_URL = /^https?:\/\//i;

/** Joins an origin, a path (already encoded) and a query into the final absolute URL. */
export function resolveRequestUrl(baseUrl: string, url: string, qs?: IDataObject): string {
	const joined = ABSOLUTE_URL.test(url)
		? url
		: `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
	const query = queryString(qs);
	if (!query) return joined;
	return joined.includes('?') ? `${joined}&${query.slice(1)}` : `${joined}${query}`;
}
