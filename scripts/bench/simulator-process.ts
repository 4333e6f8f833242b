/** Starts simulator-child.ts in its own process and talks to it over IPC. */
import { fork, type ChildProcess } from 'child_process';
import path from 'path';

import type { SimulatorOptions } from '../../simulator/server';

/** How scripts under ts-node start another TypeScript process (prefer .ts over the node's .json codex). */
export function tsNodeChildOptions(extraExecArgv: string[] = []) {
	return {
		execArgv: [...extraExecArgv, '-r', 'ts-node/register/transpile-only'],
		env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true', TS_NODE_TRANSPILE_ONLY: 'true' },
	};
}

export class SimulatorProcess {
	private nextId = 1;
	private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

	/** the simulator's origin, e.g. http://127.0.0.1:40123 */
	url = '';

	private constructor(private readonly child: ChildProcess) {}

	static async start(options: SimulatorOptions = {}): Promise<SimulatorProcess> {
		const child = fork(path.join(__dirname, 'simulator-child.ts'), [], { ...tsNodeChildOptions(), stdio: 'inherit' });
		const handle = new SimulatorProcess(child);
		child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
			const waiting = handle.pending.get(message.id);
			if (!waiting) return;
			handle.pending.delete(message.id);
			if (message.error) waiting.reject(new Error(message.error));
			else waiting.resolve(message.result);
		});
		handle.url = ((await handle.call('start', options)) as { url: string }).url;
		return handle;
	}

	call<T = unknown>(command: string, args?: unknown): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
			this.child.send({ id, command, args });
		});
	}

	async stop(): Promise<void> {
		await this.call('stop').catch(() => undefined);
		if (this.child.exitCode === null) this.child.kill();
	}
}
