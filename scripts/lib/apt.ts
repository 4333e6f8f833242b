/**
 * Debian packages a script needs (Postgres, Redis for the queue-mode run): installed with apt-get when
 * missing and the script runs as root, otherwise a clear message saying what to install.
 */
import { existsSync } from 'fs';

import { runCommand } from './processes';

export function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Makes sure `check()` holds, installing `packages` with apt-get first when it does not.
 * `apt-get update` runs only if the first install attempt fails (a fresh image has no lists).
 */
export async function ensureDebianPackages(
	packages: string[],
	check: () => boolean,
	say: (line: string) => void,
): Promise<void> {
	if (check()) return;
	if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
		throw new Error(`${packages.join(' and ')} missing: install them (apt-get install -y ${packages.join(' ')}) and run again`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, timeoutMs: 900_000 });
	say(`installing ${packages.join(', ')} with apt-get (once per machine)`);
	try {
		await install();
	} catch {
		await runCommand('apt-get', ['update'], { env, timeoutMs: 600_000 });
		await install();
	}
	if (!check()) throw new Error(`${packages.join(', ')} installed, but still not usable`);
}
