/**
 * The Transaction Trigger's poll: what RM never notifies (failed, refunded, reversed payments) found
 * by reading `GET /v3/payment/transactions` and comparing it with what the previous poll saw.
 *
 * What RM's pages promise about that list (doc "Get All Payment Transaction", doc-v2 "Get All
 * Transactions", 2026 docs): `limit` (page size) and, in the SDKs, `cursor`; no filter and no order.
 * The node therefore filters by status and type itself, and relies on one thing only where it saves
 * calls: that the list runs roughly newest-created first (RM's own Get Many shows it so). It checks
 * that as it reads: a transaction created later than one already read (by more than the margin)
 * means the order is something else, and then the poll reads the whole list instead of stopping.
 *
 * A status change does not move a transaction up the list (assumed, and modelled so by the
 * simulator), so a refund of an old payment is found only by reading back to it: each poll reads
 * every transaction created within the look-back window, and reports one whose status differs from
 * what the previous poll recorded.
 *
 * State lives in the workflow's static data (n8n saves it after activation and whenever a poll
 * emits), never in process memory: polls may run after a restart or on another main.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { revenueMonsterRequest } from '../transport/request';

export const TRANSACTION_STATUSES = ['FAILED', 'SUCCESS', 'FULL_REFUNDED', 'PARTIAL_REFUNDED', 'REVERSED'] as const;

/** Page size asked of RM: its largest, so a poll needs as few calls as possible. */
export const PAGE_SIZE = 100;
/** Tolerance for clocks and for a list that is only roughly in order. */
export const SAFETY_MARGIN_MS = 10 * 60_000;
/** How many transactions the state remembers (see README: when the bound is reached). */
export const MAX_REMEMBERED = 2_000;
/** A poll reads at most this many pages (10 000 transactions), then keeps what it has. */
export const MAX_PAGES = 100;
export const DEFAULT_LOOK_BACK_HOURS = 72;

export interface PollSettings {
	statuses: string[];
	/** empty = every type */
	types: string[];
	lookBackHours: number;
}

/** What the static data holds between polls. */
export interface PollState {
	version: 1;
	/** transactionId → `STATUS@createdAt seconds` as last seen */
	seen: Record<string, string>;
	/** ms: when the previous poll started */
	lastPollAt: number;
	/** ms: transactions created before this are outside the window (raised when the bound is reached) */
	floor: number;
}

export interface ScanResult {
	transactions: IDataObject[];
	pages: number;
	/** the list was not newest-first, so it was read to the end */
	unordered: boolean;
	/** stopped at MAX_PAGES before the cutoff */
	truncated: boolean;
}

export function readState(raw: unknown): PollState | undefined {
	const state = raw as PollState | undefined;
	if (!state || state.version !== 1 || typeof state.seen !== 'object' || state.seen === null) return undefined;
	if (!Number.isFinite(state.lastPollAt) || !Number.isFinite(state.floor)) return undefined;
	return state;
}

function createdMs(transaction: IDataObject): number {
	return Date.parse(String(transaction.createdAt ?? ''));
}

function updatedMs(transaction: IDataObject): number {
	const updated = Date.parse(String(transaction.updatedAt ?? ''));
	return Number.isNaN(updated) ? createdMs(transaction) : updated;
}

/** Transactions created before the cutoff cannot be new, nor are they watched for changes any more. */
export function cutoffFor(state: PollState | undefined, now: number, lookBackHours: number): number {
	const lookBack = now - lookBackHours * 3_600_000;
	if (!state) return lookBack;
	// Never less than back to the previous poll (and a margin), however short the look-back.
	return Math.max(state.floor, Math.min(lookBack, state.lastPollAt - SAFETY_MARGIN_MS));
}

/**
 * Reads pages until one reaches transactions created before `cutoff - margin` (or the list ends).
 * If the list turns out not to be newest-first, keeps reading to the end instead.
 */
export async function scanTransactions(
	this: IPollFunctions,
	cutoff: number,
	maxPages = MAX_PAGES,
): Promise<ScanResult> {
	const transactions: IDataObject[] = [];
	const seenCursors = new Set<string>();
	let oldestSoFar = Number.POSITIVE_INFINITY;
	let unordered = false;
	let cursor: string | undefined;
	for (let pages = 1; ; pages++) {
		const response = await revenueMonsterRequest.call(this, {
			method: 'GET',
			path: '/v3/payment/transactions',
			qs: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE },
		});
		const items = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
		let reachedOld = false;
		for (const item of items) {
			transactions.push(item);
			const created = createdMs(item);
			if (Number.isNaN(created)) continue;
			if (created > oldestSoFar + SAFETY_MARGIN_MS) unordered = true;
			oldestSoFar = Math.min(oldestSoFar, created);
			if (created < cutoff - SAFETY_MARGIN_MS) reachedOld = true;
		}
		const next = (response.meta as IDataObject | undefined)?.cursor ?? response.cursor;
		const more = typeof next === 'string' && next !== '' && items.length > 0 && !seenCursors.has(next);
		if (!more) return { transactions, pages, unordered, truncated: false };
		if (reachedOld && !unordered) return { transactions, pages, unordered, truncated: false };
		if (pages >= maxPages) return { transactions, pages, unordered, truncated: true };
		seenCursors.add(next);
		cursor = next;
	}
}

export function matchesSettings(transaction: IDataObject, settings: PollSettings): boolean {
	if (!settings.statuses.includes(String(transaction.status ?? ''))) return false;
	return settings.types.length === 0 || settings.types.includes(String(transaction.type ?? ''));
}

/** `<transactionId>:<status>`: the same payment in the same status always has the same key. */
export function eventKeyOf(transaction: IDataObject): string {
	return `${String(transaction.transactionId ?? '')}:${String(transaction.status ?? '')}`;
}

export interface PollOutcome {
	emit: IDataObject[];
	state: PollState;
}

/**
 * Compares what was read with what the previous poll recorded. Without a previous state (the first
 * poll) it records and emits nothing. A transaction is emitted when it is new, or its status is not
 * the one recorded, and it matches the settings; once recorded in that status it is not emitted again.
 */
export function comparePoll(
	previous: PollState | undefined,
	scanned: IDataObject[],
	settings: PollSettings,
	now: number,
): PollOutcome {
	const cutoff = cutoffFor(previous, now, settings.lookBackHours);
	const seen: Record<string, string> = {};
	// Transactions recorded earlier but not read this time (a truncated or inconsistent page) are kept.
	for (const [id, entry] of Object.entries(previous?.seen ?? {})) {
		if (Number(entry.split('@')[1]) * 1000 >= cutoff) seen[id] = entry;
	}
	const emit: IDataObject[] = [];
	for (const transaction of scanned) {
		const id = String(transaction.transactionId ?? '');
		const status = String(transaction.status ?? '');
		if (!id || !status) continue;
		let created = createdMs(transaction);
		if (Number.isNaN(created)) created = updatedMs(transaction);
		if (Number.isNaN(created)) created = now;
		if (created < cutoff) continue;
		const before = previous?.seen[id]?.split('@')[0];
		seen[id] = `${status}@${Math.floor(created / 1000)}`;
		if (!previous || before === status || !matchesSettings(transaction, settings)) continue;
		emit.push({ ...transaction, eventKey: eventKeyOf(transaction), previousStatus: before ?? null });
	}
	const { kept, floor } = bounded(seen, cutoff, now - SAFETY_MARGIN_MS, previous?.lastPollAt);
	return { emit, state: { version: 1, seen: kept, lastPollAt: now, floor } };
}

/**
 * Keeps at most MAX_REMEMBERED transactions, the most recently created, never dropping one created
 * since the previous poll (a burst is remembered whole, until the next poll). The window's floor rises
 * above every dropped one, so a dropped transaction is ignored from then on, never reported again.
 */
function bounded(
	seen: Record<string, string>,
	cutoff: number,
	recent: number,
	lastPollAt: number | undefined,
): { kept: Record<string, string>; floor: number } {
	const entries = Object.entries(seen);
	if (entries.length <= MAX_REMEMBERED) return { kept: seen, floor: cutoff };
	const seconds = (entry: string) => Number(entry.split('@')[1]);
	entries.sort((a, b) => seconds(b[1]) - seconds(a[1]));
	const protectFrom = Math.min(recent, (lastPollAt ?? recent) - SAFETY_MARGIN_MS);
	let keep = MAX_REMEMBERED;
	while (keep < entries.length && seconds(entries[keep][1]) * 1000 >= protectFrom) keep++;
	const newestDropped = seconds(entries[keep]?.[1] ?? '0@0');
	const floor = Math.max(cutoff, (newestDropped + 1) * 1000);
	const kept: Record<string, string> = {};
	for (const [id, entry] of entries.slice(0, keep)) if (seconds(entry) * 1000 >= floor) kept[id] = entry;
	return { kept, floor };
}

/** For "Fetch Test Event": the most recently changed transaction that matches, or undefined. */
export function newestMatching(scanned: IDataObject[], settings: PollSettings): IDataObject | undefined {
	let newest: IDataObject | undefined;
	for (const transaction of scanned) {
		if (!matchesSettings(transaction, settings)) continue;
		if (!newest || updatedMs(transaction) > updatedMs(newest)) newest = transaction;
	}
	return newest && { ...newest, eventKey: eventKeyOf(newest), previousStatus: null };
}
