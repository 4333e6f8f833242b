/** Small timing helpers for the benchmark (never used by tests: speed is measured here only). */
import { performance } from 'perf_hooks';

export function nowMs(): number {
	return performance.now();
}

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = nowMs();
	const value = await run();
	return { value, ms: nowMs() - start };
}

export interface Spread {
	mean: number;
	median: number;
	p95: number;
}

export function spread(samples: number[]): Spread {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
	return {
		mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
		median: at(0.5),
		p95: at(0.95),
	};
}

export function round(value: number, digits = 3): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** The largest number of timestamps (ms) inside any window of `windowMs` starting at one of them. */
export function maxInWindow(timestampsMs: number[], windowMs = 1000): number {
	const sorted = [...timestampsMs].sort((a, b) => a - b);
	let best = 0;
	let end = 0;
	for (let start = 0; start < sorted.length; start++) {
		while (end < sorted.length && sorted[end] < sorted[start] + windowMs) end++;
		best = Math.max(best, end - start);
	}
	return best;
}
