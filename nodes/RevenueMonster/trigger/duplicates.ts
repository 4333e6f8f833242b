/**
 * Each payment starts a workflow once, each signed request at most once. RM resends a notification
 * until it gets a 200, and a captured one can be replayed, so the trigger remembers, per workflow
 * (and trigger node), what it accepted — counted in payments, one entry per payment:
 * - in this process: the last {@link MAX_PAYMENTS_IN_PROCESS} payments it accepted or read in saved
 *   static data, and the nonces still inside the signature's time window (at most
 *   {@link MAX_NONCES_IN_PROCESS}); plus the payments and requests being handled right now, so copies
 *   arriving together (before n8n has saved anything) cannot both start a run. Each workflow has its
 *   own memory: a busy workflow cannot evict another's. Up to {@link MAX_WORKFLOWS_IN_PROCESS}
 *   workflows are remembered, the least recently notified one forgotten first;
 * - in the workflow's static data (n8n's database, kept across restarts, shared by webhook
 *   processes): the last {@link MAX_REMEMBERED_PAYMENTS} payments and the nonces inside the window.
 *   n8n 2.41 saves what a request without a run writes, not what a run-starting one writes once there
 *   is static data (docs/SCALING.md), so duplicates answered write the payments it lacks.
 *
 * A payment is its `eventKey` (`transaction:<id>:SUCCESS`, or `order:<id>:SUCCESS` for a recurring
 * charge without confirmation) and the key its notifications are looked up by before confirmation
 * (`lookup:<eventType>:<id>`, see notification.ts). The lookup is saved only when the eventKey does
 * not imply it (a confirmed recurring charge: order id → transaction id), as `seen:<lookup>` right
 * after its eventKey, so most payments take one string in the static data.
 *
 * Per notification, with no `await` inside either step: {@link NotificationMemory.claim} before
 * anything is awaited, {@link NotificationMemory.accept} when a run is about to start, and
 * {@link NotificationMemory.release} at the end, whatever happened.
 */
import type { IDataObject } from 'n8n-workflow';

/** Payments kept in the static data, per workflow. */
export const MAX_REMEMBERED_PAYMENTS = 1000;
/** Payments kept in this process, per workflow. */
export const MAX_PAYMENTS_IN_PROCESS = 10_000;
/** Nonces kept in this process, per workflow (fewer when they leave the time window sooner). */
export const MAX_NONCES_IN_PROCESS = 10_000;
/** Workflows whose memory this process keeps. */
export const MAX_WORKFLOWS_IN_PROCESS = 100;
const MAX_REMEMBERED_NONCES = 5000;

const PAID_SUFFIX = ':SUCCESS';
/** The prefix of a saved lookup key (the previous versions saved one for every payment). */
const SEEN = 'seen:';

/** One accepted payment: at least one of the two. */
interface Payment {
	eventKey?: string;
	/** only when the eventKey does not imply it */
	lookup?: string;
}

/** The lookup key an eventKey implies: an online payment's transaction id, a recurring charge's order id. */
function impliedLookup(eventKey: string): string | undefined {
	if (!eventKey.endsWith(PAID_SUFFIX)) return undefined;
	const id = (prefix: string) => eventKey.slice(prefix.length, -PAID_SUFFIX.length);
	if (eventKey.startsWith('transaction:')) return `lookup:PAYMENT_WEB_ONLINE:${id('transaction:')}`;
	if (eventKey.startsWith('order:')) return `lookup:RECURRING_PAYMENT:${id('order:')}`;
	return undefined;
}

function keysOf(payment: Payment): string[] {
	const lookup = payment.lookup ?? (payment.eventKey !== undefined ? impliedLookup(payment.eventKey) : undefined);
	return [payment.eventKey, lookup].filter((key): key is string => key !== undefined);
}

const idOf = (payment: Payment): string => payment.eventKey ?? payment.lookup!;

/**
 * The payments in the static data, oldest first. Also reads what earlier versions saved: a
 * `seen:lookup:…` after each eventKey, and `eventType:id:SUCCESS` (a lookup, in older words).
 */
function storedPayments(staticData: IDataObject): Payment[] {
	const value = staticData.acceptedPayments;
	if (!Array.isArray(value)) return [];
	const payments: Payment[] = [];
	let open: Payment | undefined;
	for (const entry of value) {
		if (typeof entry !== 'string') continue;
		if (entry.startsWith('transaction:') || entry.startsWith('order:')) {
			open = { eventKey: entry };
			payments.push(open);
			continue;
		}
		const lookup = entry.startsWith(SEEN)
			? entry.slice(SEEN.length)
			: entry.endsWith(PAID_SUFFIX)
				? `lookup:${entry.slice(0, -PAID_SUFFIX.length)}`
				: undefined;
		if (lookup === undefined) continue;
		if (open) {
			if (lookup !== impliedLookup(open.eventKey!)) open.lookup = lookup;
			open = undefined;
		} else {
			payments.push({ lookup });
		}
	}
	return payments;
}

function savedForm(payments: Payment[]): string[] {
	return payments.flatMap((payment) => [
		...(payment.eventKey !== undefined ? [payment.eventKey] : []),
		...(payment.lookup !== undefined ? [`${SEEN}${payment.lookup}`] : []),
	]);
}

function storedNonces(staticData: IDataObject): Record<string, number> {
	const value = staticData.acceptedNonces;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number>) : {};
}

/** One workflow's memory in this process. */
class WorkflowMemory {
	/** by eventKey (or lookup), oldest first */
	private readonly payments = new Map<string, Payment>();
	/** every key of every payment → its id in `payments` */
	private readonly byKey = new Map<string, string>();
	/** nonce → its signed (or first seen) time, seconds; oldest first */
	readonly nonces = new Map<string, number>();
	/** payments (lookup keys) and requests (`nonce:` keys) being handled right now */
	readonly handling = new Set<string>();

	knows(key: string): boolean {
		return this.byKey.has(key);
	}

	/** @param newest an accepted payment becomes the newest; a learned one keeps its place if known */
	add(payment: Payment, newest: boolean): void {
		const id = idOf(payment);
		if (this.payments.has(id)) {
			if (!newest) return;
			this.forget(id);
		}
		this.payments.set(id, payment);
		for (const key of keysOf(payment)) this.byKey.set(key, id);
		if (this.payments.size > MAX_PAYMENTS_IN_PROCESS) this.forget(this.payments.keys().next().value as string);
	}

	/** The newest payments, oldest first. */
	newest(count: number): Payment[] {
		const all = [...this.payments.values()];
		return all.slice(Math.max(0, all.length - count));
	}

	addNonce(nonce: string, seenAtSeconds: number, oldestSeconds: number): void {
		this.nonces.delete(nonce);
		this.nonces.set(nonce, seenAtSeconds);
		for (const [first, seenAt] of this.nonces) {
			if (this.nonces.size <= MAX_NONCES_IN_PROCESS && seenAt >= oldestSeconds) break;
			this.nonces.delete(first);
		}
	}

	private forget(id: string): void {
		const payment = this.payments.get(id)!;
		this.payments.delete(id);
		for (const key of keysOf(payment)) if (this.byKey.get(key) === id) this.byKey.delete(key);
	}
}

/** Per workflow and trigger node (`workflowId:nodeId`), least recently notified first. */
const workflows = new Map<string, WorkflowMemory>();

function memoryOf(scope: string): WorkflowMemory {
	let memory = workflows.get(scope);
	if (memory) workflows.delete(scope);
	else memory = new WorkflowMemory();
	workflows.set(scope, memory);
	if (workflows.size > MAX_WORKFLOWS_IN_PROCESS) {
		// Never one handling a notification right now: its copies would lose their claims.
		for (const [other, otherMemory] of workflows) {
			if (otherMemory.handling.size > 0) continue;
			workflows.delete(other);
			break;
		}
	}
	return memory;
}

export type ClaimOutcome =
	/** this notification now holds its payment (and nonce): confirm it, then accept or just release */
	| 'claimed'
	/** its nonce started a run already */
	| 'sameNonce'
	/** its payment started a run already (Ignore Duplicates on) */
	| 'duplicate'
	/** a copy of the same request is being handled right now */
	| 'requestInFlight'
	/** a notification for the same payment is being handled right now */
	| 'paymentInFlight';

/** What one notification claims, checks and remembers. */
export class NotificationMemory {
	private readonly here: WorkflowMemory;
	private readonly held: string[] = [];
	private nonce?: { value: string; signedAtSeconds?: number };

	/**
	 * Learns the payments in the static data this request loaded. In queue mode every webhook process
	 * saves the whole static data it loaded when its request began, so a slow request can erase a
	 * payment another process saved meanwhile: what this process has once read, it keeps, and its
	 * writes put back.
	 * @param staticData this node's static data (`getWorkflowStaticData('node')`)
	 * @param scope the workflow and node it belongs to
	 * @param options.toleranceSeconds how long a nonce must be remembered (the signature's time window)
	 * @param options.ignoreDuplicates remember payments (the Ignore Duplicates option); nonces always are
	 */
	constructor(
		private readonly staticData: IDataObject,
		scope: string,
		private readonly options: { toleranceSeconds: number; ignoreDuplicates: boolean; nowMs?: () => number },
	) {
		this.here = memoryOf(scope);
		for (const payment of storedPayments(staticData)) this.here.add(payment, false);
	}

	/**
	 * Takes the request's nonce and the payment's lookup key unless either started a run or is being
	 * handled. Synchronous: nothing can interleave. A duplicate's nonce is remembered in this process
	 * and the static data gets the payments it lacks (n8n keeps what a request without a run writes).
	 * @param nonce the request's nonce (signed, or the plain header for unsigned requests)
	 * @param signedAtSeconds a signed request's time; an unsigned nonce leaves this process's memory
	 *   only by its bound (no time window refuses its replay)
	 */
	claim(lookup: string, nonce: string | undefined, signedAtSeconds?: number): ClaimOutcome {
		if (nonce !== undefined) {
			if (this.here.nonces.has(nonce) || Object.prototype.hasOwnProperty.call(storedNonces(this.staticData), nonce)) {
				return 'sameNonce';
			}
			if (!this.hold(`nonce:${nonce}`)) return 'requestInFlight';
			this.nonce = { value: nonce, signedAtSeconds };
		}
		if (this.options.ignoreDuplicates && this.here.knows(lookup)) return this.duplicate();
		if (!this.hold(lookup)) {
			this.release();
			return 'paymentInFlight';
		}
		return 'claimed';
	}

	/**
	 * A run is about to start for the confirmed payment: remembers it and the nonce, in this process
	 * and in the static data (assigned, so n8n sees the change). Synchronous.
	 * @returns false when the payment started a run already (a duplicate: no run)
	 */
	accept(eventKey: string, lookup: string): boolean {
		if (this.options.ignoreDuplicates) {
			if (this.here.knows(eventKey)) {
				this.duplicate();
				return false;
			}
			const payment: Payment = { eventKey, ...(lookup !== impliedLookup(eventKey) ? { lookup } : {}) };
			this.here.add(payment, true);
			const payments = this.storedWithKnown().payments.filter((other) => idOf(other) !== eventKey);
			payments.push(payment);
			this.staticData.acceptedPayments = savedForm(payments.slice(-MAX_REMEMBERED_PAYMENTS));
		}
		if (this.nonce !== undefined) {
			const { value, signedAtSeconds } = this.nonce;
			this.rememberNonce();
			const oldest = this.nowSeconds() - this.options.toleranceSeconds;
			const nonces = Object.entries(storedNonces(this.staticData)).filter(([, at]) => at >= oldest);
			nonces.push([value, signedAtSeconds ?? Math.floor(this.nowSeconds())]);
			this.staticData.acceptedNonces = Object.fromEntries(nonces.slice(-MAX_REMEMBERED_NONCES));
		}
		return true;
	}

	/** Lets go of what this notification holds: a later copy gets its own chance. */
	release(): void {
		for (const key of this.held) this.here.handling.delete(key);
		this.held.length = 0;
	}

	private hold(key: string): boolean {
		if (this.here.handling.has(key)) return false;
		this.here.handling.add(key);
		this.held.push(key);
		return true;
	}

	/** A copy of a payment that started a run: its nonce stays in this process only, the static data gets what it lacks. */
	private duplicate(): 'duplicate' {
		this.rememberNonce();
		this.release();
		const { payments, missing } = this.storedWithKnown();
		if (missing > 0) this.staticData.acceptedPayments = savedForm(payments.slice(-MAX_REMEMBERED_PAYMENTS));
		return 'duplicate';
	}

	private rememberNonce(): void {
		if (this.nonce === undefined) return;
		const { value, signedAtSeconds } = this.nonce;
		this.here.addNonce(value, signedAtSeconds ?? Number.POSITIVE_INFINITY, this.nowSeconds() - this.options.toleranceSeconds);
	}

	private nowSeconds(): number {
		return (this.options.nowMs?.() ?? Date.now()) / 1000;
	}

	/**
	 * The payments in the loaded static data, then those known here that it lacks. In queue mode each
	 * webhook process saves the whole static data it loaded at the start of its request, so a save from
	 * another process can drop payments known here: every write puts them back.
	 */
	private storedWithKnown(): { payments: Payment[]; missing: number } {
		const stored = storedPayments(this.staticData);
		const present = new Set(stored.map(idOf));
		const missing = this.here.newest(MAX_REMEMBERED_PAYMENTS).filter((known) => !present.has(idOf(known)));
		return { payments: [...stored, ...missing], missing: missing.length };
	}
}
