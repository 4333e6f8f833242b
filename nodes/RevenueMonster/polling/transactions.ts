/**
 * The Transaction Trigger's poll: what RM never notifies (failed, refunded, reversed payments) found
 * by reading `GET /v3/payment/transactions` and comparing it with what the previous poll saw.
 *
 * What RM's pages promise about that list (doc "Get All Payment Transaction", doc-v2 "Get All
 * Transactions", 2026 docs): `limit` (page size) and, in the SDKs, an opaque `cursor`; no filter and
 * no order. So the node filters by status and type itself, and assumes no order: it works the order
 * out from the data on every poll (`orderOf`, from every step between two rows read, never from one
 * page's span) and reads on until the look-back window is covered in that order:
 * - newest first: until a page reaches transactions created before the window;
 * - oldest first, or no order, or not known yet (e.g. one burst of equal times): to the end of the list.
 *   Oldest first, the poll remembers the cursor of the page where the window starts and the next
 *   poll starts there, after checking that the page it gets still starts before the window (and
 *   otherwise reads from the top in the same poll).
 * The read is bounded by MAX_PAGES per poll. At the bound the poll emits what it found plus one
 * warning item (status TRIGGER_WARNING, see README) and logs a warning; it keeps the cursor it
 * stopped at and the next poll continues from there, so nothing past the bound is lost, only late.
 *
 * The cursor is assumed to be as bad as an offset: a transaction arriving at the head of the list
 * while a poll reads its pages shifts rows onto the next page. Rows read twice in one poll are
 * merged by transaction id (never emitted twice); the arrivals themselves, not on the pages read,
 * are unseen and found by the next poll.
 *
 * A status change does not move a transaction in the list (assumed, and modelled so by the
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
/**
 * The bound: a poll reads at most this many pages (10 000 transactions at 100 a page). At it, the poll
 * compares what it read, emits one TRIGGER_WARNING item with the rest, and keeps the cursor it stopped
 * at: the next poll continues from there (see scanTransactions).
 */
export const MAX_PAGES = 100;
/** `status` of the item emitted when the bound is reached (it has no transactionId). */
export const TRIGGER_WARNING = 'TRIGGER_WARNING';
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
	/** where the next poll starts reading (absent: at the top of the list) */
	resume?: { cursor: string; reason: 'bound' | 'window' };
	/**
	 * ms: set while the first poll's read is unfinished (it stopped at the bound): an unseen
	 * transaction created before this existed at activation and is recorded, not emitted.
	 */
	quietBefore?: number;
}

export type ListOrder = 'newest-first' | 'oldest-first' | 'unordered' | 'unknown';

export interface ScanResult {
	/** one entry per transaction id (the last read wins), in the order first read */
	transactions: IDataObject[];
	pages: number;
	/** the order the rows read show */
	order: ListOrder;
	/** rows read more than once in this poll (an arrival shifted them onto the next page) */
	repeated: number;
	/** stopped at the page bound before the window was covered */
	truncated: boolean;
	/** the read reached the end of the list or, newest first, the start of the window */
	complete: boolean;
	/** where the next poll should start (absent: the top) */
	resume?: PollState['resume'];
	/** the saved cursor did not hold (its page started inside the window, or it failed): read from the top */
	resumeRejected?: boolean;
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

/** Steps between consecutive rows: how many go down (older), up (newer), and by how much at most. */
interface Steps {
	down: number;
	up: number;
	maxDown: number;
	maxUp: number;
	last: number;
}

function step(steps: Steps, created: number): void {
	if (Number.isNaN(created)) return;
	if (!Number.isNaN(steps.last)) {
		const delta = created - steps.last;
		if (delta < 0) {
			steps.down++;
			steps.maxDown = Math.max(steps.maxDown, -delta);
		} else if (delta > 0) {
			steps.up++;
			steps.maxUp = Math.max(steps.maxUp, delta);
		}
	}
	steps.last = created;
}

/**
 * The order the rows read show. Newest first: most steps go down and none goes up by more than the
 * margin (jitter of a list only roughly in order); oldest first likewise upwards. No step either way
 * (equal times, one row) is `unknown`; anything else `unordered`. A short page is never taken for
 * newest first: an oldest-first page, however short its span, has steps up and none down.
 */
export function orderOf(steps: Pick<Steps, 'down' | 'up' | 'maxDown' | 'maxUp'>): ListOrder {
	if (steps.down === 0 && steps.up === 0) return 'unknown';
	if (steps.down > steps.up && steps.maxUp <= SAFETY_MARGIN_MS) return 'newest-first';
	if (steps.up > steps.down && steps.maxDown <= SAFETY_MARGIN_MS) return 'oldest-first';
	return 'unordered';
}

/**
 * Reads pages until the window (transactions created from `cutoff - margin`) is covered in the order
 * the data shows, or `maxPages` pages were read (the bound: `truncated`, with the cursor to go on
 * from in `resume`). `start` is where the previous poll said to begin.
 */
export async function scanTransactions(
	this: IPollFunctions,
	cutoff: number,
	maxPages = MAX_PAGES,
	start?: PollState['resume'],
): Promise<ScanResult> {
	const windowStart = cutoff - SAFETY_MARGIN_MS;
	const byId = new Map<string, IDataObject>();
	const unnamed: IDataObject[] = [];
	const steps: Steps = { down: 0, up: 0, maxDown: 0, maxUp: 0, last: Number.NaN };
	const seenCursors = new Set<string>();
	let repeated = 0;
	let reachedOld = false;
	/** oldest first: the cursor of the last page that starts before the window ('' = the first page) */
	let safeCursor = '';
	let sawWindow = false;
	let boundStartsBefore = false;
	const resumeRejected = false;
	let cursor = start?.cursor;
	const from = cursor;
	const fromWindow = Boolean(from) && start?.reason === 'window';
	const fromTop = async (): Promise<ScanResult> => ({
		...(await scanTransactions.call(this, cutoff, maxPages)),
		resumeRejected: true,
	});
	for (let pages = 1; ; pages++) {
		const page = revenueMonsterRequest.call(this, {
			method: 'GET',
			path: '/v3/payment/transactions',
			qs: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE },
		});
		// A saved cursor RM no longer takes: read from the top instead (costs calls, loses nothing).
		// Any other failure goes up as the transport's NodeApiError.
		const response = pages === 1 && from ? await page.catch(() => undefined) : await page;
		if (!response) return await fromTop();
		const items = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
		// A page that starts well before the window (a margin more than the order's jitter allows).
		const startsBefore = createdMs(items[0] ?? {}) < windowStart - SAFETY_MARGIN_MS;
		if (pages === 1 && fromWindow && !startsBefore) return await fromTop();
		// Begun at a bound, the read may save a window start only if nothing of the window lies before it.
		if (pages === 1 && from && !fromWindow) boundStartsBefore = startsBefore;
		if (!sawWindow && startsBefore) safeCursor = cursor ?? '';
		for (const item of items) {
			const created = createdMs(item);
			step(steps, created);
			if (created < windowStart) reachedOld = true;
			else sawWindow = true;
			const id = String(item.transactionId ?? '');
			if (!id) {
				unnamed.push(item);
				continue;
			}
			if (byId.has(id)) {
				repeated++;
				byId.delete(id); // re-inserted below: the later read is the fresher status
			}
			byId.set(id, item);
		}
		const order = orderOf(steps);
		// Started at a saved window start, the read only holds if the list is still oldest first.
		const orderHolds = !fromWindow || order === 'oldest-first';
		const done = (truncated: boolean, complete: boolean, resume?: PollState['resume']): ScanResult => ({
			transactions: [...byId.values(), ...unnamed],
			pages,
			order,
			repeated,
			truncated,
			complete,
			resume,
			resumeRejected,
		});
		const next = (response.meta as IDataObject | undefined)?.cursor ?? response.cursor;
		const more = typeof next === 'string' && next !== '' && items.length > 0 && !seenCursors.has(next);
		if (!more) {
			if (!orderHolds) return await fromTop();
			// End of the list. Oldest first, the next poll may start at the last page that starts before
			// the window (checked when it does); begun at a bound, only if its first page starts before it.
			if (order === 'oldest-first' && safeCursor && (!from || fromWindow || boundStartsBefore)) {
				return done(false, true, { cursor: safeCursor, reason: 'window' });
			}
			return done(false, true);
		}
		if (reachedOld && order === 'newest-first') return done(false, true);
		if (pages >= maxPages && !orderHolds) return await fromTop();
		if (pages >= maxPages) return done(true, false, { cursor: next, reason: 'bound' });
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
	read: Pick<ScanResult, 'complete' | 'resume'> = { complete: true },
): PollOutcome {
	const cutoff = cutoffFor(previous, now, settings.lookBackHours);
	const seen: Record<string, string> = {};
	// Transactions recorded earlier but not read this time (a truncated or inconsistent page) are kept.
	for (const [id, entry] of Object.entries(previous?.seen ?? {})) {
		if (Number(entry.split('@')[1]) * 1000 >= cutoff) seen[id] = entry;
	}
	const emit: IDataObject[] = [];
	// Once per id in a poll, whatever the pages repeated (the scan merges them too).
	const compared = new Set<string>();
	const quietBefore = previous ? previous.quietBefore : read.complete ? undefined : now;
	for (const transaction of scanned) {
		const id = String(transaction.transactionId ?? '');
		const status = String(transaction.status ?? '');
		if (!id || !status || compared.has(id)) continue;
		compared.add(id);
		let created = createdMs(transaction);
		if (Number.isNaN(created)) created = updatedMs(transaction);
		if (Number.isNaN(created)) created = now;
		if (created < cutoff) continue;
		const before = previous?.seen[id]?.split('@')[0];
		seen[id] = `${status}@${Math.floor(created / 1000)}`;
		if (!previous || before === status || !matchesSettings(transaction, settings)) continue;
		// Still finishing the first poll's read: an unseen one created before it was already there.
		if (before === undefined && quietBefore !== undefined && created < quietBefore) continue;
		emit.push({ ...transaction, eventKey: eventKeyOf(transaction), previousStatus: before ?? null });
	}
	const { kept, floor } = bounded(seen, cutoff, now - SAFETY_MARGIN_MS, previous?.lastPollAt);
	const state: PollState = { version: 1, seen: kept, lastPollAt: now, floor };
	if (read.resume) state.resume = read.resume;
	if (quietBefore !== undefined && !read.complete) state.quietBefore = quietBefore;
	return { emit, state };
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
