// `npm run release:check [-- --release [--tag vX.Y.Z] [--repo owner/name]] [--dir <project>]`
//
// Checks that the package is ready to publish the way n8n wants a community node package, on the real
// `npm pack` tarball. Every check runs and prints its result; the exit code is 1 when any failed.
//
// Without --release (CI, local): placeholders in repository/bugs/homepage and an "unreleased" changelog
// heading are printed as notes. With --release (the publish workflow) they block the release, the tag
// must equal v<version>, and repository.url must be the repository the workflow runs in.
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, posix } from 'path';

export const MAX_PACKED_BYTES = 256 * 1024;

export interface Options {
	dir: string;
	release: boolean;
	tag?: string;
	repo?: string;
	maxPackedBytes?: number;
}

export interface Result {
	name: string;
	ok: boolean;
	lines: string[];
}

export interface Tarball {
	file: string;
	extractDir: string;
	packedBytes: number;
	unpackedBytes: number;
	files: string[];
}

type PackageJson = Record<string, any>;

const result = (name: string, problems: string[], info: string[] = []): Result => ({
	name,
	ok: problems.length === 0,
	lines: [...problems, ...info],
});

export function readPackage(dir: string): PackageJson {
	return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** package.json's version has a `## <version>` heading in CHANGELOG.md; --tag equals v<version>. */
export function checkVersion(dir: string, pkg: PackageJson, opts: Pick<Options, 'release' | 'tag'>): Result {
	const problems: string[] = [];
	const notes: string[] = [];
	const version = String(pkg.version ?? '');
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) problems.push(`package.json version "${version}" is not x.y.z`);
	const changelogPath = join(dir, 'CHANGELOG.md');
	if (!existsSync(changelogPath)) {
		problems.push('CHANGELOG.md is missing');
	} else if (version) {
		const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		const heading = readFileSync(changelogPath, 'utf8')
			.split('\n')
			.find((line) => new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`).test(line));
		if (!heading) problems.push(`CHANGELOG.md has no "## ${version}" heading for package.json's version`);
		else if (/unreleased/i.test(heading)) {
			if (opts.release) problems.push(`release blocked: CHANGELOG.md still says "${heading}"`);
			else notes.push(`note: CHANGELOG.md says "${heading}" (--release blocks on that)`);
		}
	}
	if (opts.tag !== undefined && opts.tag !== `v${version}`) {
		problems.push(`tag "${opts.tag}" does not equal v${version} (package.json's version)`);
	}
	return result('version and changelog', problems, [...notes, `version ${version}`]);
}

/** `npm run lint` passes. */
export function checkLint(dir: string): Result {
	const run = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: dir, encoding: 'utf8' });
	const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
	const problems = run.status === 0 ? [] : [`npm run lint exited ${run.status}`, ...output.split('\n').slice(-30)];
	return result('lint (npm run lint)', problems);
}

/** `npm pack` into a temporary folder, and the tarball extracted next to it. */
export function pack(dir: string): Tarball {
	const out = mkdtempSync(join(tmpdir(), 'rm-release-'));
	const run = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
		cwd: dir,
		encoding: 'utf8',
	});
	if (run.status !== 0) throw new Error(`npm pack failed: ${run.stderr}`);
	const [info] = JSON.parse(run.stdout);
	const file = join(out, info.filename);
	const extractDir = join(out, 'package');
	const tar = spawnSync('tar', ['-xzf', file, '-C', out], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	return {
		file,
		extractDir,
		packedBytes: info.size,
		unpackedBytes: info.unpackedSize,
		files: (info.files as { path: string }[]).map((f) => f.path).sort(),
	};
}

const TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md']);
const DEV_FOLDERS = new Set(['test', 'tests', '__tests__', 'fixtures', 'simulator', 'support', 'scripts', 'examples']);

/** Only what n8n loads: dist/** .js, .json, icons, .d.ts, maps of shipped .js; plus the top-level docs. */
export function checkContents(files: string[]): Result {
	const shipped = new Set(files);
	const problems: string[] = [];
	for (const file of files) {
		if (TOP_LEVEL.has(file)) continue;
		const segments = file.split('/');
		const base = posix.basename(file);
		let why: string | undefined;
		if (segments[0] !== 'dist') why = 'outside dist/';
		else if (segments.some((s) => DEV_FOLDERS.has(s))) why = 'dev-only folder';
		else if (/\.(test|spec)\.|\.snap$/.test(base)) why = 'a test';
		else if (base.endsWith('.d.ts')) why = undefined;
		else if (base.endsWith('.js.map')) why = shipped.has(file.slice(0, -4)) ? undefined : 'a map without its .js';
		else if (!/\.(js|json|svg|png)$/.test(base)) why = 'not a file n8n loads';
		if (why) problems.push(`${file}: ${why}`);
	}
	if (!shipped.has('package.json')) problems.push('package.json is not in the tarball');
	return result('tarball contents', problems, [`${files.length} files`]);
}

/** The packed tarball stays under the limit. */
export function checkSize(tarball: Tarball, maxPackedBytes = MAX_PACKED_BYTES): Result {
	const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
	const info = `packed ${kib(tarball.packedBytes)} (limit ${kib(maxPackedBytes)}), unpacked ${kib(tarball.unpackedBytes)}`;
	const problems = tarball.packedBytes > maxPackedBytes ? [`tarball too big: ${info}`] : [];
	return result('tarball size', problems, problems.length ? [] : [info]);
}

/** No runtime dependencies; the only peer is n8n-workflow "*". */
export function checkDependencies(pkg: PackageJson): Result {
	const problems: string[] = [];
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		const value = pkg[field];
		const names = Array.isArray(value) ? value : Object.keys(value ?? {});
		if (names.length) problems.push(`${field} must be empty (n8n forbids runtime dependencies): ${names.join(', ')}`);
	}
	const peers = pkg.peerDependencies ?? {};
	if (JSON.stringify(peers) !== JSON.stringify({ 'n8n-workflow': '*' })) {
		problems.push(`peerDependencies must be exactly {"n8n-workflow": "*"}, is ${JSON.stringify(peers)}`);
	}
	return result('no runtime dependencies', problems);
}

/** Every path in package.json's n8n block is a file in the tarball. */
export function checkN8nPaths(pkg: PackageJson, files: string[]): Result {
	const problems: string[] = [];
	const shipped = new Set(files);
	const n8n = pkg.n8n ?? {};
	if (n8n.n8nNodesApiVersion !== 1) problems.push('n8n.n8nNodesApiVersion must be 1');
	if (!Array.isArray(n8n.nodes) || n8n.nodes.length === 0) problems.push('n8n.nodes lists no node');
	const paths: string[] = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
	for (const path of paths) {
		if (!shipped.has(posix.normalize(path))) problems.push(`${path} (package.json n8n block) is not in the tarball`);
	}
	return result('n8n block paths', problems, [`${paths.length} paths`]);
}

function runTool(args: string[]): { passed: boolean; message?: string; details?: string } {
	const run = spawnSync(process.execPath, [join(__dirname, 'tools.mjs'), ...args], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	const last = (run.stdout ?? '').trim().split('\n').pop() ?? '';
	try {
		return JSON.parse(last);
	} catch {
		return { passed: false, message: `${args[0]} did not run (exit ${run.status})`, details: run.stderr };
	}
}

/** n8n's scanner (@n8n/scan-community-package analyzePackage) on the tarball and on the source. */
export function checkScanner(sourceDir: string, extractDir: string): Result {
	const problems: string[] = [];
	for (const [leg, dir] of [['tarball', extractDir], ['source', sourceDir]]) {
		const r = runTool(['scan', dir, leg]);
		if (!r.passed) problems.push(`${leg}: ${r.message ?? 'failed'}`, ...(r.details ?? '').trim().split('\n'));
	}
	return result('n8n scanner (analyzePackage)', problems, ['tarball: compiled .js + package.json; source: nodes, credentials, package.json']);
}

const PLACEHOLDER = /\bOWNER\b|example\.(com|org)|TODO|CHANGEME/;
const urlOf = (value: unknown): string =>
	typeof value === 'string' ? value : typeof value === 'object' && value ? String((value as any).url ?? '') : '';

/** repository, bugs and homepage are set (not placeholders); with --repo, repository is that GitHub repo. */
export function checkLinks(pkg: PackageJson, opts: Pick<Options, 'release' | 'repo'>): Result {
	const fields = { 'repository.url': urlOf(pkg.repository), 'bugs.url': urlOf(pkg.bugs), homepage: urlOf(pkg.homepage) };
	const unset = Object.entries(fields)
		.filter(([, url]) => !url || PLACEHOLDER.test(url))
		.map(([field]) => field);
	const problems: string[] = [];
	const notes: string[] = [];
	if (unset.length) {
		const what = `placeholder or missing: ${unset.join(', ')}`;
		if (opts.release) problems.push(`release blocked: set repository/bugs/homepage in package.json (${what})`);
		else notes.push(`note: ${what}; --release (the publish workflow) blocks on them`);
	}
	if (opts.repo !== undefined) {
		const m = /^(?:git\+)?https:\/\/github\.com\/([^/]+\/[^/]+?)(?:\.git)?$/.exec(fields['repository.url']);
		if (!m || m[1].toLowerCase() !== opts.repo.toLowerCase()) {
			problems.push(`repository.url "${fields['repository.url']}" is not https://github.com/${opts.repo} (npm provenance needs it to be)`);
		}
	}
	return result('repository, bugs, homepage', problems, notes);
}

const PUBLISH_NEEDS: [RegExp, string][] = [
	[/^\s*push:\s*\n\s*tags:\s*\n\s*-\s*'v\*\.\*\.\*'\s*$/m, "on: push: tags: ['v*.*.*'] (and no other trigger)"],
	[/^\s*id-token:\s*write\s*$/m, 'permissions: id-token: write'],
	[/^\s*contents:\s*read\s*$/m, 'permissions: contents: read'],
	[/^\s*registry-url:\s*https:\/\/registry\.npmjs\.org\s*$/m, 'setup-node registry-url'],
	[/npm run release:check --\s+--release --tag "\$GITHUB_REF_NAME"/, 'npm run release:check -- --release --tag "$GITHUB_REF_NAME"'],
	[/^\s*run: npm publish --provenance --access public\s*$/m, 'npm publish --provenance --access public'],
	[/NODE_AUTH_TOKEN: \$\{\{ secrets\.[A-Z_]+ \}\}/, 'NODE_AUTH_TOKEN from secrets'],
];

/** The workflows pass yamllint and actionlint; publish.yml has what a provenance release needs. */
export function checkWorkflows(dir: string): Result {
	const problems: string[] = [];
	const folder = join(dir, '.github', 'workflows');
	const files = existsSync(folder)
		? readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(folder, f))
		: [];
	const publish = join(folder, 'publish.yml');
	if (!existsSync(publish)) problems.push('.github/workflows/publish.yml is missing');
	else {
		const text = readFileSync(publish, 'utf8');
		for (const [pattern, what] of PUBLISH_NEEDS) if (!pattern.test(text)) problems.push(`publish.yml lacks ${what}`);
		if (/^\s*(pull_request|workflow_dispatch|schedule|release):/m.test(text) || /^\s*branches:/m.test(text)) {
			problems.push('publish.yml must run on a version tag only');
		}
	}
	if (files.length) {
		const config = join(dir, '.github', 'yamllint.yml');
		const yl = spawnSync('yamllint', ['-s', '-f', 'parsable', ...(existsSync(config) ? ['-c', config] : []), ...files], {
			encoding: 'utf8',
		});
		if (yl.error) problems.push('yamllint not found: apt-get install -y yamllint');
		else if (yl.status !== 0) problems.push(`yamllint exited ${yl.status}`, ...`${yl.stdout}${yl.stderr}`.trim().split('\n'));
		const al = runTool(['actionlint', ...files]);
		if (!al.passed) problems.push(`actionlint: ${al.message ?? 'failed'}`, ...(al.details ?? '').trim().split('\n'));
	}
	return result('workflow lint (yamllint, actionlint)', problems, [`${files.length} workflow file(s)`]);
}

export function runAll(opts: Options, log: (line: string) => void = console.log): Result[] {
	const pkg = readPackage(opts.dir);
	const results: Result[] = [];
	const report = (r: Result) => {
		results.push(r);
		log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`);
		for (const line of r.lines) log(`     ${line}`);
	};
	report(checkVersion(opts.dir, pkg, opts));
	report(checkLint(opts.dir));
	report(checkDependencies(pkg));
	report(checkLinks(pkg, opts));
	report(checkWorkflows(opts.dir));
	let tarball: Tarball | undefined;
	try {
		tarball = pack(opts.dir);
		log(`     npm pack: ${posix.basename(tarball.file)}`);
	} catch (error) {
		report(result('npm pack', [(error as Error).message]));
	}
	if (tarball) {
		report(checkContents(tarball.files));
		report(checkSize(tarball, opts.maxPackedBytes));
		report(checkN8nPaths(pkg, tarball.files));
		report(checkScanner(opts.dir, tarball.extractDir));
		rmSync(join(tarball.extractDir, '..'), { recursive: true, force: true });
	}
	return results;
}

export function parseArgs(argv: string[]): Options {
	const opts: Options = { dir: process.cwd(), release: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		if (arg === '--release') opts.release = true;
		else if (arg === '--tag') opts.tag = value();
		else if (arg === '--repo') opts.repo = value();
		else if (arg === '--dir') opts.dir = value();
		else if (arg === '--max-packed-bytes') opts.maxPackedBytes = Number(value());
		else throw new Error(`unknown argument ${arg}`);
	}
	return opts;
}

if (require.main === module) {
	const started = Date.now();
	const opts = parseArgs(process.argv.slice(2));
	console.log(`release:check ${opts.release ? '--release' : '(not a release: placeholders are notes)'} in ${opts.dir}`);
	const results = runAll(opts);
	const failed = results.filter((r) => !r.ok);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const verdict = failed.length ? `FAILED (${failed.map((r) => r.name).join('; ')})` : 'passed';
	console.log(`release:check ${verdict}: ${results.length - failed.length} of ${results.length} checks ok, ${seconds} s`);
	process.exit(failed.length ? 1 : 0);
}
