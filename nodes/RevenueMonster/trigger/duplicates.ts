/**
 * Each payment starts a workflow once, each signed request at most once. RM resends a notification
 * until it gets a 200, and a captured one can be replayed, so the trigger remembers what it accepted:
 * - in the workflow's static data (in n8n's database, kept across restarts and shared by webhook
 *   processes): the last 1000 payment keys and the nonces seen inside the time window. n8n 2.41 saves
 *   what a request without a run writes, not what a run-starting one writes once there is static data
 *   (docs/SCALING.md), so duplicates answered write what is missing;
 * - in this process: the same recent keys, and the keys claimed by notifications being handled right
 *   now, so copies arriving together (before n8n has saved the static data) cannot both start a run;
 *   also every payment key it has read in saved static data (queue mode: other processes' keys).
 *
 * One protocol for every key, with no `await` inside any step:
 *   claim(key) before anything is awaited → release(key) when nothing ran / commit(key) when a run starts.
 * A cross-process store (n8n queue mode) can take the same three calls.
 */
import type { IDataObject } from 'n8n-workflow';

export const MAX_REMEMBERED_PAYMENTS = 1000;
const MAX_REMEMBERED_NONCES = 5000;
const MAX_PROCESS_KEYS = 20_000;
const NONCE_PREFIX = 'nonce:';

/** Keys committed by this process, across workflows: `scope|key`, oldest first. */
const acceptedInProcess = new Map<string, true>();
/** Keys claimed by notifications being handled right now: `scope|key`. */
const inFlight = new Set<string>();

function scoped(scope: string, key: string): string {
	return `${scope}|${key}`;
}

function rememberInProcess(entry: string): void {
	acceptedInProcess.delete(entry);
	addInProcess(entry);
}

/** Adds a key as the newest unless it is known already (then it keeps its place). */
function addInProcess(entry: string): void {
	if (acceptedInProcess.has(entry)) return;
	acceptedInProcess.set(entry, true);
	if (acceptedInProcess.size > MAX_PROCESS_KEYS) {
		acceptedInProcess.delete(acceptedInProcess.keys().next().value as string);
	}
}

function storedPayments(staticData: IDataObject): string[] {
	const value = staticData.acceptedPayments;
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function storedNonces(staticData: IDataObject): Record<string, number> {
	const value = staticData.acceptedNonces;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number>) : {};
}

/** The key under which a signed request's nonce is claimed and remembered. */
export function nonceKey(nonce: string): string {
	return `${NONCE_PREFIX}${nonce}`;
}

export type ClaimOutcome =
	/** this notification now holds the key: release or commit it */
	| 'claimed'
	/** another copy holds it right now */
	| 'inFlight'
	/** already committed: a run already started for it */
	| 'accepted';

export class NotificationMemory {
	/**
	 * @param staticData this node's static data (`getWorkflowStaticData('node')`)
	 * @param scope the workflow and node it belongs to
	 * @param options.toleranceSeconds how long a nonce must be remembered (the signature's time window)
	 */
	constructor(
		private readonly staticData: IDataObject,
		private readonly scope: string,
		private readonly options: { toleranceSeconds: number; nowMs?: () => number } = { toleranceSeconds: 300 },
	) {}

	/**
	 * Learns the payments in the static data this request loaded (once per request). In queue mode
	 * every webhook process saves the whole static data it loaded when its request began, so a slow
	 * request can erase a payment another process saved meanwhile: what this process has once read,
	 * it keeps, and its writes put back.
	 */
	learnSavedPayments(): void {
		for (const key of storedPayments(this.staticData)) addInProcess(scoped(this.scope, key));
	}

	/**
	 * Writes the payments this process knows of that the loaded static data lacks; writes nothing when
	 * none is missing (then n8n saves nothing). For requests that start no run: n8n 2.41 saves their
	 * static data, but drops what a request that starts a run wrote (see docs/SCALING.md).
	 * @returns whether anything was written
	 */
	saveKnownPayments(): boolean {
		const { payments, missing } = this.storedWithKnown();
		if (missing === 0) return false;
		this.staticData.acceptedPayments = payments.slice(-MAX_REMEMBERED_PAYMENTS);
		return true;
	}

	/** Already committed, here or (per the saved static data) by an earlier process. */
	wasAccepted(key: string): boolean {
		if (acceptedInProcess.has(scoped(this.scope, key))) return true;
		if (key.startsWith(NONCE_PREFIX)) {
			return Object.prototype.hasOwnProperty.call(storedNonces(this.staticData), key.slice(NONCE_PREFIX.length));
		}
		return storedPayments(this.staticData).includes(key);
	}

	/** Takes the key unless it is committed or held by another copy. Synchronous: nothing can interleave. */
	claim(key: string): ClaimOutcome {
		if (this.wasAccepted(key)) return 'accepted';
		const entry = scoped(this.scope, key);
		if (inFlight.has(entry)) return 'inFlight';
		inFlight.add(entry);
		return 'claimed';
	}

	/** Gives a claimed key back: nothing ran, a later copy gets its own chance. */
	release(key: string): void {
		inFlight.delete(scoped(this.scope, key));
	}

	/**
	 * Remembers a key for good (a run starts) and lets go of the claim. Nonces are kept only while
	 * the time window could still accept them; payments, the last 1000.
	 * @param seenAtSeconds for a nonce: the signed time
	 */
	commit(key: string, seenAtSeconds?: number): void {
		const nowMs = this.options.nowMs?.() ?? Date.now();
		if (key.startsWith(NONCE_PREFIX)) {
			this.commitInProcess(key);
			const oldest = nowMs / 1000 - this.options.toleranceSeconds;
			const nonces = Object.entries(storedNonces(this.staticData)).filter(([, seenAt]) => seenAt >= oldest);
			nonces.push([key.slice(NONCE_PREFIX.length), seenAtSeconds ?? Math.floor(nowMs / 1000)]);
			// Assigned, not mutated, so n8n sees the change and saves it.
			this.staticData.acceptedNonces = Object.fromEntries(nonces.slice(-MAX_REMEMBERED_NONCES));
			return;
		}
		this.commitInProcess(key);
		const payments = this.storedWithKnown().payments.filter((entry) => entry !== key);
		payments.push(key);
		this.staticData.acceptedPayments = payments.slice(-MAX_REMEMBERED_PAYMENTS);
	}

	/**
	 * The payments in the loaded static data, then those known here that it lacks. In queue mode each
	 * webhook process saves the whole static data it loaded at the start of its request, so a save from
	 * another process can drop keys known here: every write puts them back.
	 */
	private storedWithKnown(): { payments: string[]; missing: number } {
		const stored = storedPayments(this.staticData);
		const present = new Set(stored);
		const missing = this.knownHere().filter((known) => !present.has(known));
		return { payments: [...stored, ...missing], missing: missing.length };
	}

	/**
	 * Remembers a key in this process only: nothing is written to the static data, so n8n saves nothing
	 * (used for the nonce of a copy answered without a run, whose payment is remembered already).
	 */
	commitInProcess(key: string): void {
		const entry = scoped(this.scope, key);
		rememberInProcess(entry);
		inFlight.delete(entry);
	}

	/** The payment keys this process committed or learned for this scope, oldest first, at most the remembered number. */
	private knownHere(): string[] {
		const prefix = `${this.scope}|`;
		const keys: string[] = [];
		for (const entry of acceptedInProcess.keys()) {
			if (!entry.startsWith(prefix)) continue;
			const key = entry.slice(prefix.length);
			if (!key.startsWith(NONCE_PREFIX)) keys.push(key);
		}
		return keys.slice(-MAX_REMEMBERED_PAYMENTS);
	}
}
