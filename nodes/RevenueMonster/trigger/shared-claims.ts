/**
 * The cross-process part of "each payment starts a workflow once", for n8n's queue mode, where
 * several webhook processes receive the copies of one notification.
 *
 * What a webhook function can share with other processes, in n8n 2.41 (read from its source):
 * - only the workflow's static data. A webhook process loads it from the database with the workflow on
 *   every request, and saves the whole of it (last writer wins, no compare-and-set) after the webhook
 *   function has returned and the run has been queued. Nothing saves it earlier, so a claim can never be
 *   seen by another process while the notification that holds it is still being confirmed.
 * - not n8n's data tables (only n8n's own Data table nodes may open them) nor its processed-data store
 *   (the Remove Duplicates helpers exist for executing nodes, not webhook functions, and read-modify-write).
 *
 * So two copies arriving on different processes within the time one takes to be confirmed and queued
 * can both start a run (at most one per process: the in-process claim covers the rest). After that, the
 * saved key stops them, if the save survives: a process that loaded the static data before that save and
 * saves after it (it accepted another payment meanwhile) overwrites the key. This module closes that
 * second gap: every process keeps the keys it has seen committed (its own, and those it loaded), and
 * whenever the loaded static data lacks one of them, writes them back, so the next save restores what an
 * overwrite dropped and no process forgets a key it has once seen.
 */
import type { IDataObject } from 'n8n-workflow';

/** As many as the static data keeps (duplicates.ts MAX_REMEMBERED_PAYMENTS). */
export const MAX_SHARED_KEYS = 1000;
/**
 * Only keys first seen this recently are put back. An overwrite drops what was saved a moment before
 * it; a key missing for longer aged out of the capped list on purpose and must stay out.
 */
export const RESTORE_WITHIN_MS = 10 * 60_000;
const MAX_SCOPES = 200;

/** Keys seen committed, per workflow-and-node scope, with when this process first saw each; oldest first. */
export type KeyShareStore = Map<string, Map<string, number>>;

const processStore: KeyShareStore = new Map();

function keysOf(staticData: IDataObject): string[] {
	const value = staticData.acceptedPayments;
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

export class SharedPaymentKeys {
	private readonly known: Map<string, number>;

	/**
	 * @param staticData this node's static data, as loaded for this request
	 * @param scope the workflow and node it belongs to
	 * @param options.store this process's memory (a fresh Map per simulated process in tests)
	 */
	constructor(
		private readonly staticData: IDataObject,
		scope: string,
		private readonly options: { store?: KeyShareStore; nowMs?: () => number } = {},
	) {
		const store = options.store ?? processStore;
		let known = store.get(scope);
		if (!known) {
			known = new Map();
			store.set(scope, known);
			if (store.size > MAX_SCOPES) store.delete(store.keys().next().value as string);
		}
		this.known = known;
	}

	private now(): number {
		return this.options.nowMs?.() ?? Date.now();
	}

	/**
	 * Before the duplicate check: learns the keys other processes saved, and puts back into the static data
	 * the recent keys this process has seen that the loaded copy lacks (an overwrite dropped them), so
	 * n8n saves them again with this request. Synchronous.
	 * @returns how many keys were put back
	 */
	exchange(): number {
		const stored = keysOf(this.staticData);
		const storedSet = new Set(stored);
		const now = this.now();
		for (const key of stored) this.note(key, now);
		const oldest = now - RESTORE_WITHIN_MS;
		const missing = [...this.known.entries()]
			.filter(([key, seenAt]) => seenAt >= oldest && !storedSet.has(key))
			.map(([key]) => key);
		if (missing.length === 0) return 0;
		// Assigned, not mutated, so n8n sees the change and saves it.
		this.staticData.acceptedPayments = [...stored, ...missing].slice(-MAX_SHARED_KEYS);
		return missing.length;
	}

	/** A run starts for this key here (the caller has written it into the static data). */
	committed(key: string): void {
		this.note(key, this.now());
	}

	has(key: string): boolean {
		return this.known.has(key);
	}

	/** First sight only: learning a key again does not make it recent. */
	private note(key: string, now: number): void {
		if (this.known.has(key)) return;
		this.known.set(key, now);
		if (this.known.size > MAX_SHARED_KEYS) this.known.delete(this.known.keys().next().value as string);
	}
}
