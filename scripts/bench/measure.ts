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

/** Median and spread of a few rounds: the benchmark reports every paired figure this way. */
export interface RoundSummary {
	median: number;
	min: number;
	max: number;
	/** each round's value, in the order measured */
	rounds: number[];
}

export function summarize(values: number[], digits = 3): RoundSummary {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length / 2;
	const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
	return {
		median: round(median, digits),
		min: round(sorted[0], digits),
		max: round(sorted[sorted.length - 1], digits),
		rounds: values.map((value) => round(value, digits)),
	};
}

/** "1.04× (1.01–1.09)": a summary as the docs and the console print it. */
export function showSummary(summary: RoundSummary, unit = '×'): string {
	return `${summary.median}${unit} (${summary.min}–${summary.max})`;
}

/** CPU time (user + system, all threads) this process has used, in ms. */
export function processCpuMs(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000;
}

/** CPU time (ms) a synchronous or asynchronous piece of work costs this process. */
export async function cpuTimed<T>(run: () => Promise<T>): Promise<{ value: T; cpuMs: number; wallMs: number }> {
	const cpuStart = processCpuMs();
	const wallStart = nowMs();
	const value = await run();
	return { value, cpuMs: processCpuMs() - cpuStart, wallMs: nowMs() - wallStart };
}
