/**
 * Builds and runs test/differential/go-canonical (RM's SDK canonicalisation in real Go) for the
 * differential test. Needs Debian's golang-go and golang-github-clbanning-mxj-dev (GOPATH mode, offline).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

export const GOPATH = '/usr/share/gocode';
const MXJ_SOURCE = path.join(GOPATH, 'src/github.com/clbanning/mxj/json.go');
const PROGRAM_DIR = path.join(__dirname, 'go-canonical');

// Offline: GOPATH mode against Debian's packaged sources, no proxy, no toolchain download.
const goEnv = { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '', GOPROXY: 'off', GOTOOLCHAIN: 'local' };

/** Why the Go side cannot run here, or undefined when it can. */
export function goUnavailableReason(): string | undefined {
	const version = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv });
	if (version.error || version.status !== 0) {
		return 'the `go` command is missing (Debian: apt-get install -y golang-go)';
	}
	if (!existsSync(MXJ_SOURCE)) {
		return `${MXJ_SOURCE} is missing (Debian: apt-get install -y golang-github-clbanning-mxj-dev)`;
	}
	return undefined;
}

/** Go's canonical bytes for one body, or its error line. */
export type GoResult = { ok: true; bytes: Buffer } | { ok: false; error: string };

export class GoCanonicaliser {
	private constructor(
		private readonly binary: string,
		private readonly workDir: string,
	) {}

	/** Compiles the program into a fresh temporary directory. */
	static build(): GoCanonicaliser {
		const workDir = mkdtempSync(path.join(tmpdir(), 'rm-go-canonical-'));
		const binary = path.join(workDir, 'go-canonical');
		const built = spawnSync('go', ['build', '-o', binary, '.'], {
			cwd: PROGRAM_DIR,
			encoding: 'utf8',
			env: goEnv,
		});
		if (built.status !== 0) {
			rmSync(workDir, { recursive: true, force: true });
			throw new Error(`go build failed: ${built.stderr || built.error?.message}`);
		}
		return new GoCanonicaliser(binary, workDir);
	}

	/** Canonicalises every body (exact bytes) in one run; returns Go's version and one result per body. */
	run(bodies: Buffer[]): { goVersion: string; results: GoResult[] } {
		const input = bodies.map((body) => body.toString('base64')).join('\n') + '\n';
		const ran = spawnSync(this.binary, [], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
		if (ran.status !== 0) throw new Error(`go-canonical failed: ${ran.stderr || ran.error?.message}`);
		const [header, ...lines] = ran.stdout.trimEnd().split('\n');
		if (lines.length !== bodies.length) {
			throw new Error(`go-canonical answered ${lines.length} lines for ${bodies.length} bodies`);
		}
		const results = lines.map((line): GoResult =>
			line.startsWith('ok ')
				? { ok: true, bytes: Buffer.from(line.slice(3), 'base64') }
				: { ok: false, error: line },
		);
		return { goVersion: header.replace(/^go /, ''), results };
	}

	dispose(): void {
		rmSync(this.workDir, { recursive: true, force: true });
	}
}
