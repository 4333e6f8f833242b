/**
 * A cap on requests per second for one node execution, shared by every concurrent item, so fanning
 * out never exceeds what the user set. Requests wait for their slot with n8n's sleep.
 */
import { sleep } from 'n8n-workflow';

/**
 * Slots are 5% wider than 1000/cap. Spaced exactly, the jitter of sending (the event loop, signing)
 * could put one call more than the cap into some one-second window on RM's side; with the margin,
 * up to 50 ms of jitter still keeps every window within the cap.
 */
const SPACING_MARGIN = 1.05;

export class RequestThrottle {
	private nextSlotAt = 0;
	private readonly intervalMs: number;

	constructor(maxRequestsPerSecond: number) {
		this.intervalMs = maxRequestsPerSecond > 0 ? (1000 / maxRequestsPerSecond) * SPACING_MARGIN : 0;
	}

	/** Resolves when this request may go; slots are handed out in call order. */
	async wait(): Promise<void> {
		if (this.intervalMs === 0) return;
		const now = Date.now();
		const slot = Math.max(now, this.nextSlotAt);
		this.nextSlotAt = slot + this.intervalMs;
		if (slot > now) await sleep(slot - now);
	}
}

const throttles = new WeakMap<object, RequestThrottle>();

export function setThrottle(context: object, throttle: RequestThrottle | undefined): void {
	if (throttle) throttles.set(context, throttle);
	else throttles.delete(context);
}

export function throttleFor(context: object): RequestThrottle | undefined {
	return throttles.get(context);
}
