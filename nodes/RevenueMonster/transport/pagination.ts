/** Following RM's `meta.cursor` through a list endpoint (revenue-monster-api.md §5). */
import type { IDataObject } from 'n8n-workflow';

import { revenueMonsterRequest, type RevenueMonsterContext } from './request';

export interface ListOptions {
	path: string;
	qs?: IDataObject;
	/** undefined = every page */
	limit?: number;
	/** query parameter RM reads as page size, where the endpoint has one */
	pageSizeParameter?: string;
	/** the largest page RM serves */
	maxPageSize?: number;
	itemIndex?: number;
}

/** Every element of a cursor-paged list, or the first `limit`. Stops when the cursor is empty. */
export async function revenueMonsterRequestAllItems(
	this: RevenueMonsterContext,
	options: ListOptions,
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	const seenCursors = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const qs: IDataObject = { ...options.qs };
		if (options.pageSizeParameter) {
			const wanted = options.limit === undefined ? options.maxPageSize : options.limit - collected.length;
			qs[options.pageSizeParameter] = Math.min(wanted ?? 100, options.maxPageSize ?? 100);
		}
		if (cursor) qs.cursor = cursor;
		const response = await revenueMonsterRequest.call(this, {
			method: 'GET',
			path: options.path,
			qs,
			itemIndex: options.itemIndex,
		});
		const items = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
		for (const item of items) {
			if (options.limit !== undefined && collected.length >= options.limit) return collected;
			collected.push(item);
		}
		if (options.limit !== undefined && collected.length >= options.limit) return collected;
		const next = (response.meta as IDataObject | undefined)?.cursor;
		// An empty page or a cursor already seen ends the list instead of looping forever.
		if (typeof next !== 'string' || next === '' || items.length === 0 || seenCursors.has(next)) {
			return collected;
		}
		seenCursors.add(next);
		cursor = next;
	}
}
