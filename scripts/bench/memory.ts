/** Runs memory-child.ts in a fresh process (with --expose-gc) and returns what it measured. */
import { fork } from 'child_process';
import path from 'path';

import { tsNodeChildOptions, type SimulatorProcess } from './simulator-process';

export interface MemoryResult {
	items: number;
	elapsedMs: number;
	/** size of the output items as JSON */
	jsonBytes: number;
	peakHeapDeltaBytes: number;
	retainedHeapDeltaBytes: number;
	peakRssDeltaBytes: number;
}

export async function measureListMemory(simulator: SimulatorProcess, expectedItems: number): Promise<MemoryResult> {
	const child = fork(path.join(__dirname, 'memory-child.ts'), [simulator.url, String(expectedItems)], {
		...tsNodeChildOptions(['--expose-gc']),
		stdio: 'inherit',
	});
	try {
		const message = await new Promise<MemoryResult & { error?: string }>((resolve, reject) => {
			child.once('message', (answer) => resolve(answer as MemoryResult & { error?: string }));
			child.once('exit', (code) => reject(new Error(`memory child exited (${code}) before answering`)));
		});
		if (message.error) throw new Error(message.error);
		return message;
	} finally {
		if (child.exitCode === null) child.kill();
	}
}
