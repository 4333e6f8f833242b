/**
 * Child processes the scripts start, and only those: each is spawned as the leader of its own process
 * group and stopped by its id (the group: n8n's task runner goes with it), also when the script fails
 * or is interrupted. Bounded waits everywhere, with the reason in the error.
 */
import { spawn, type ChildProcess } from 'child_process';
import { createWriteStream, type WriteStream } from 'fs';
import net from 'net';
import path from 'path';

export interface Started {
	name: string;
	child: ChildProcess;
	pid: number;
	/** resolves with the exit code (or signal) */
	exited: Promise<number | string>;
	/** everything it printed so far (capped) */
	output(): string;
}

const started = new Set<Started>();

export interface StartOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** also append the output to this file */
	logFile?: string;
	/** echo the output to this script's stdout, prefixed */
	echo?: boolean;
}

/** Starts a long-running process (n8n, the simulator) that `stopAll` will stop. */
export function startProcess(name: string, command: string, args: string[], options: StartOptions = {}): Started {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
	let buffer = '';
	let log: WriteStream | undefined;
	if (options.logFile) log = createWriteStream(options.logFile, { flags: 'a' });
	const collect = (chunk: Buffer) => {
		const text = chunk.toString('utf8');
		buffer = (buffer + text).slice(-200_000);
		log?.write(text);
		if (options.echo) {
			for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
		}
	};
	child.stdout!.on('data', collect);
	child.stderr!.on('data', collect);
	const entry: Started = {
		name,
		child,
		pid: child.pid,
		exited: new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				started.delete(entry);
				log?.end();
				resolve(code ?? signal ?? 'unknown');
			});
		}),
		output: () => buffer,
	};
	started.add(entry);
	return entry;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** SIGTERM to the process group by id, then SIGKILL if it has not gone within `graceMs`. */
export async function stopProcess(entry: Started, graceMs = 15_000): Promise<void> {
	signalGroup(entry.pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (groupAlive(entry.pid) && Date.now() < deadline) await sleep(100);
	if (groupAlive(entry.pid)) signalGroup(entry.pid, 'SIGKILL');
	await Promise.race([entry.exited, sleep(2_000)]);
	started.delete(entry);
}

export async function stopAll(): Promise<void> {
	await Promise.all([...started].map((entry) => stopProcess(entry)));
}

let stopping = false;

/** True once Ctrl-C or SIGTERM has started stopping everything. */
export function isStopping(): boolean {
	return stopping;
}

/** Every process this script started is stopped on exit, Ctrl-C and SIGTERM. */
export function stopAllOnExit(onSignal?: () => Promise<void> | void): void {
	const handle = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		void (async () => {
			try {
				await onSignal?.();
			} finally {
				await stopAll();
				process.exit(signal === 'SIGINT' ? 130 : 143);
			}
		})();
	};
	process.on('SIGINT', handle);
	process.on('SIGTERM', handle);
	process.on('exit', () => {
		for (const entry of started) signalGroup(entry.pid, 'SIGKILL');
	});
}

/** Runs a command to completion and returns its output; fails with the output when it fails. */
export function runCommand(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; logFile?: string },
): Promise<{ stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const name = [command, ...args]
			.map((part) => path.basename(part))
			.slice(0, 3)
			.join(' ');
		const entry = startProcess(name, command, args, { cwd: options.cwd, env: options.env, logFile: options.logFile });
		let stdout = '';
		let stderr = '';
		entry.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		entry.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const timer = setTimeout(() => {
			void stopProcess(entry, 5_000);
			reject(
				new Error(
					`${command} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000} s\n${tailOf(stdout + stderr)}`,
				),
			);
		}, options.timeoutMs);
		void entry.exited.then((code) => {
			clearTimeout(timer);
			if (code === 0) resolve({ stdout, stderr });
			else reject(new Error(`${command} ${args.join(' ')} failed (${code})\n${tailOf(stdout + stderr)}`));
		});
	});
}

export function tailOf(text: string, lines = 40): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A free TCP port on 127.0.0.1 (the preferred one when it is free). */
export async function freePort(preferred?: number): Promise<number> {
	const tryPort = (port: number) =>
		new Promise<number | undefined>((resolve) => {
			const server = net.createServer();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const address = server.address();
				const chosen = typeof address === 'object' && address ? address.port : undefined;
				server.close(() => resolve(chosen));
			});
		});
	if (preferred) {
		const port = await tryPort(preferred);
		if (port) return port;
	}
	const port = await tryPort(0);
	if (!port) throw new Error('no free port on 127.0.0.1');
	return port;
}

/** Polls `check` until it returns a value, or fails after `timeoutMs` naming what was awaited. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined>,
	options: { timeoutMs: number; intervalMs?: number; while?: Started },
): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		if (options.while && !started.has(options.while)) {
			throw new Error(`${options.while.name} exited while waiting for ${what}\n${tailOf(options.while.output())}`);
		}
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = error;
		}
		await sleep(options.intervalMs ?? 250);
	}
	const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
	throw new Error(`timed out after ${options.timeoutMs / 1000} s waiting for ${what}${reason}`);
}
