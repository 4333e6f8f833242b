/**
 * Each payment starts a workflow once. RM resends a notification until it gets a 200, and a
 * captured one can be replayed, so the trigger remembers what it accepted:
 * - in the workflow's static data (saved by n8n after each webhook call, kept across restarts):
 *   the last 1000 payments (`eventType:id:status`) and the nonces seen inside the time window;
 * - in this process: the same recent keys, and the payments being processed right now, so two
 *   copies arriving together (before n8n has saved the static data) cannot both start a run.
 */
import type { IDataObject } from 'n8n-workflow';

export const MAX_REMEMBERED_PAYMENTS = 1000;
const MAX_REMEMBERED_NONCES = 5000;
const MAX_PROCESS_KEYS = 20_000;

/** Keys accepted by this process, across workflows: `scope|key`, oldest first. */
const acceptedInProcess = new Map<string, true>();
/** Payments whose notification is being processed right now: `scope|key`. */
const inFlight = new Set<string>();

function scoped(scope: string, key: string): string {
	return `${scope}|${key}`;
}

function rememberInProcess(entry: string): void {
	acceptedInProcess.delete(entry);
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

export class NotificationMemory {
	/**
	 * @param staticData this node's static data (`getWorkflowStaticData('node')`)
	 * @param scope the workflow and node it belongs to
	 */
	constructor(
		private readonly staticData: IDataObject,
		private readonly scope: string,
	) {}

	/** This payment, in this status, already started a run. */
	wasAccepted(key: string): boolean {
		return acceptedInProcess.has(scoped(this.scope, key)) || storedPayments(this.staticData).includes(key);
	}

	/** A notification with this nonce was already accepted: a replay (or RM resending the same request). */
	nonceWasAccepted(nonce: string): boolean {
		return (
			acceptedInProcess.has(scoped(this.scope, `nonce:${nonce}`)) ||
			Object.prototype.hasOwnProperty.call(storedNonces(this.staticData), nonce)
		);
	}

	/** Marks a payment as being processed; false when another copy is already being processed. */
	claim(key: string): boolean {
		const entry = scoped(this.scope, key);
		if (inFlight.has(entry)) return false;
		inFlight.add(entry);
		return true;
	}

	release(key: string): void {
		inFlight.delete(scoped(this.scope, key));
	}

	/** Records an accepted notification. Nonces older than the window are dropped: the window refuses them anyway. */
	remember(
		accepted: { key?: string; nonce?: string; signedAtSeconds?: number },
		options: { toleranceSeconds: number; nowMs?: number },
	): void {
		if (accepted.key !== undefined) {
			rememberInProcess(scoped(this.scope, accepted.key));
			const payments = storedPayments(this.staticData).filter((entry) => entry !== accepted.key);
			payments.push(accepted.key);
			// Assigned, not mutated, so n8n sees the change and saves it.
			this.staticData.acceptedPayments = payments.slice(-MAX_REMEMBERED_PAYMENTS);
		}
		if (accepted.nonce !== undefined) {
			rememberInProcess(scoped(this.scope, `nonce:${accepted.nonce}`));
			const oldest = (options.nowMs ?? Date.now()) / 1000 - options.toleranceSeconds;
			const nonces = Object.entries(storedNonces(this.staticData)).filter(([, seenAt]) => seenAt >= oldest);
			nonces.push([accepted.nonce, accepted.signedAtSeconds ?? Math.floor((options.nowMs ?? Date.now()) / 1000)]);
			this.staticData.acceptedNonces = Object.fromEntries(nonces.slice(-MAX_REMEMBERED_NONCES));
		}
	}
}
