// scripts/release/check.ts: each check passes on a small good package (a temp dir) and fails on a bad one.
import { spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

import {
	checkContents,
	checkDependencies,
	checkLint,
	checkLinks,
	checkN8nPaths,
	checkScanner,
	checkSize,
	checkVersion,
	checkWorkflows,
	MAX_PACKED_BYTES,
	pack,
	parseArgs,
	readPackage,
} from '../../scripts/release/check';

const ROOT = join(__dirname, '..', '..');
const PUBLISH_YML = join(ROOT, '.github', 'workflows', 'publish.yml');
const SLOW = 180_000;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function write(dir: string, file: string, text: string) {
	mkdirSync(dirname(join(dir, file)), { recursive: true });
	writeFileSync(join(dir, file), text);
}

const goodPackage = () => ({
	name: 'n8n-nodes-fixture',
	version: '1.2.3',
	description: 'A fixture community node package for the release check tests.',
	keywords: ['n8n-community-node-package'],
	license: 'MIT',
	author: { name: 'Fixture', email: 'fixture@acme.test' },
	files: ['dist'],
	scripts: { lint: 'node -e "process.exit(0)"' },
	n8n: {
		n8nNodesApiVersion: 1,
		nodes: ['dist/nodes/Fix/Fix.node.js'],
		credentials: ['dist/credentials/FixApi.credentials.js'],
	},
	peerDependencies: { 'n8n-workflow': '*' },
	repository: { type: 'git', url: 'git+https://github.com/acme/n8n-nodes-fixture.git' },
	bugs: { url: 'https://github.com/acme/n8n-nodes-fixture/issues' },
	homepage: 'https://github.com/acme/n8n-nodes-fixture#readme',
});

/** A small package that passes every check; `change` edits its package.json first. */
function fixture(change: (pkg: Record<string, any>) => void = () => {}): string {
	const dir = mkdtempSync(join(tmpdir(), 'rm-release-fixture-'));
	dirs.push(dir);
	const pkg = goodPackage();
	change(pkg);
	write(dir, 'package.json', JSON.stringify(pkg, null, 2) + '\n');
	write(dir, 'CHANGELOG.md', '# Changelog\n\n## 1.2.3 — 2026-12-01\n\n- First release.\n');
	write(dir, 'README.md', '# fixture\n');
	write(dir, 'LICENSE', 'MIT\n');
	write(dir, 'dist/nodes/Fix/Fix.node.js', "'use strict';\nexports.Fix = class Fix {};\n");
	write(dir, 'dist/nodes/Fix/fix.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
	write(dir, 'dist/credentials/FixApi.credentials.js', "'use strict';\nexports.FixApi = class FixApi {};\n");
	write(dir, 'nodes/Fix/Fix.node.ts', 'export class Fix {}\n');
	write(dir, 'test/fix.test.ts', "it('is not shipped', () => {});\n");
	mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
	copyFileSync(PUBLISH_YML, join(dir, '.github', 'workflows', 'publish.yml'));
	copyFileSync(join(ROOT, '.github', 'yamllint.yml'), join(dir, '.github', 'yamllint.yml'));
	return dir;
}

const problems = (r: { lines: string[] }) => r.lines.join('\n');

describe('version and changelog', () => {
	it('passes when CHANGELOG.md has a heading for the version and the tag matches', () => {
		const dir = fixture();
		expect(checkVersion(dir, readPackage(dir), { release: true, tag: 'v1.2.3' }).ok).toBe(true);
	});
	it('fails when CHANGELOG.md has no heading for the version', () => {
		const dir = fixture((p) => (p.version = '1.2.4'));
		const r = checkVersion(dir, readPackage(dir), { release: false });
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('no "## 1.2.4" heading');
	});
	it('fails when the tag is not v<version>', () => {
		const dir = fixture();
		const r = checkVersion(dir, readPackage(dir), { release: true, tag: 'v1.2.30' });
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('tag "v1.2.30" does not equal v1.2.3');
	});
	it('notes an "unreleased" heading, and blocks on it only with --release', () => {
		const dir = fixture();
		write(dir, 'CHANGELOG.md', '# Changelog\n\n## 1.2.3 — unreleased\n');
		const ci = checkVersion(dir, readPackage(dir), { release: false });
		expect(ci.ok).toBe(true);
		expect(problems(ci)).toContain('note: CHANGELOG.md says "## 1.2.3 — unreleased"');
		const release = checkVersion(dir, readPackage(dir), { release: true });
		expect(release.ok).toBe(false);
		expect(problems(release)).toContain('release blocked');
	});
	it('fails without CHANGELOG.md, and on a version that is not x.y.z', () => {
		const dir = fixture((p) => (p.version = 'latest'));
		rmSync(join(dir, 'CHANGELOG.md'));
		const r = checkVersion(dir, readPackage(dir), { release: false });
		expect(problems(r)).toContain('is not x.y.z');
		expect(problems(r)).toContain('CHANGELOG.md is missing');
	});
});

describe('lint', () => {
	it('passes when npm run lint exits 0, fails when it does not', () => {
		expect(checkLint(fixture()).ok).toBe(true);
		const r = checkLint(fixture((p) => (p.scripts.lint = 'node -e "console.error(\'2 problems\'); process.exit(1)"')));
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('2 problems');
	});
});

describe('dependencies', () => {
	it('passes with no runtime dependency and n8n-workflow "*" as the only peer', () => {
		expect(checkDependencies(goodPackage()).ok).toBe(true);
	});
	it('fails on runtime, optional or bundled dependencies, and on other peers', () => {
		for (const change of [
			(p: any) => (p.dependencies = { axios: '^1.0.0' }),
			(p: any) => (p.optionalDependencies = { fsevents: '*' }),
			(p: any) => (p.bundleDependencies = ['lodash']),
			(p: any) => (p.peerDependencies = { 'n8n-workflow': '^1.0.0' }),
			(p: any) => (p.peerDependencies = { 'n8n-workflow': '*', 'n8n-core': '*' }),
		]) {
			const pkg: any = goodPackage();
			change(pkg);
			expect(checkDependencies(pkg).ok).toBe(false);
		}
	});
});

describe('repository, bugs, homepage', () => {
	const placeholders = (p: any) => {
		p.repository.url = 'git+https://github.com/OWNER/n8n-nodes-fixture.git';
		p.bugs.url = 'https://github.com/OWNER/n8n-nodes-fixture/issues';
		delete p.homepage;
	};
	it('passes when set, and --repo matches repository.url', () => {
		expect(checkLinks(goodPackage(), { release: true, repo: 'acme/n8n-nodes-fixture' }).ok).toBe(true);
	});
	it('notes placeholders without --release, and blocks the release with it', () => {
		const pkg: any = goodPackage();
		placeholders(pkg);
		const ci = checkLinks(pkg, { release: false });
		expect(ci.ok).toBe(true);
		expect(problems(ci)).toContain('note: placeholder or missing: repository.url, bugs.url, homepage');
		const release = checkLinks(pkg, { release: true });
		expect(release.ok).toBe(false);
		expect(problems(release)).toContain('release blocked: set repository/bugs/homepage');
	});
	it('fails when repository.url is not the repository the workflow runs in', () => {
		const r = checkLinks(goodPackage(), { release: true, repo: 'someone-else/n8n-nodes-fixture' });
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('is not https://github.com/someone-else/n8n-nodes-fixture');
	});
});

describe('tarball: contents, size, n8n block paths', () => {
	it('passes on the packed good fixture, which leaves out sources and tests', () => {
		const dir = fixture();
		const tarball = pack(dir);
		dirs.push(dirname(tarball.file));
		expect(tarball.files).toEqual([
			'LICENSE',
			'README.md',
			'dist/credentials/FixApi.credentials.js',
			'dist/nodes/Fix/Fix.node.js',
			'dist/nodes/Fix/fix.svg',
			'package.json',
		]);
		expect(checkContents(tarball.files).ok).toBe(true);
		expect(checkSize(tarball).ok).toBe(true);
		expect(problems(checkSize(tarball))).toContain('limit 256.0 KiB');
		expect(checkN8nPaths(readPackage(dir), tarball.files).ok).toBe(true);
	});
	it('fails when the tarball holds tests, TypeScript sources, stray maps or files outside dist', () => {
		const dir = fixture((p) => p.files.push('test', 'nodes'));
		write(dir, 'dist/test/unit/x.test.js', '');
		write(dir, 'dist/nodes/Fix/helper.spec.js', '');
		write(dir, 'dist/nodes/Fix/Fix.node.ts', '');
		write(dir, 'dist/nodes/Fix/gone.js.map', '{}');
		const tarball = pack(dir);
		dirs.push(dirname(tarball.file));
		const r = checkContents(tarball.files);
		expect(r.ok).toBe(false);
		for (const bad of [
			'test/fix.test.ts: outside dist/',
			'nodes/Fix/Fix.node.ts: outside dist/',
			'dist/test/unit/x.test.js: dev-only folder',
			'dist/nodes/Fix/helper.spec.js: a test',
			'dist/nodes/Fix/Fix.node.ts: not a file n8n loads',
			'dist/nodes/Fix/gone.js.map: a map without its .js',
		]) {
			expect(problems(r)).toContain(bad);
		}
		expect(checkContents(['dist/a.js', 'dist/a.js.map', 'dist/a.d.ts', 'package.json']).ok).toBe(true);
	});
	it('fails when the tarball is over the size limit', () => {
		const dir = fixture();
		const tarball = pack(dir);
		dirs.push(dirname(tarball.file));
		const r = checkSize(tarball, 100);
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('tarball too big');
		expect(MAX_PACKED_BYTES).toBe(256 * 1024);
	});
	it('fails when an n8n block path is not in the tarball', () => {
		const dir = fixture((p) => p.n8n.nodes.push('dist/nodes/Fix/Missing.node.js'));
		const tarball = pack(dir);
		dirs.push(dirname(tarball.file));
		const r = checkN8nPaths(readPackage(dir), tarball.files);
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('dist/nodes/Fix/Missing.node.js (package.json n8n block) is not in the tarball');
		expect(checkN8nPaths({ n8n: { n8nNodesApiVersion: 1, nodes: [] } }, tarball.files).ok).toBe(false);
	});
});

describe("n8n's scanner", () => {
	it(
		'passes on the good fixture and fails on code n8n forbids (console, process, setTimeout)',
		() => {
			const dir = fixture();
			const tarball = pack(dir);
			dirs.push(dirname(tarball.file));
			expect(checkScanner(dir, tarball.extractDir)).toMatchObject({ ok: true });
			write(tarball.extractDir, 'dist/nodes/Fix/Fix.node.js', "console.log(process.env.X); setTimeout(() => {}, 1);\n");
			const r = checkScanner(dir, tarball.extractDir);
			expect(r.ok).toBe(false);
			expect(problems(r)).toContain('tarball: ESLint violations found');
			expect(problems(r)).toContain("Use of restricted global 'process'");
		},
		SLOW,
	);
	it(
		'fails on the source leg too (a package.json without an author)',
		() => {
			const dir = fixture((p) => delete p.author);
			const r = checkScanner(dir, join(dir, 'dist'));
			expect(r.ok).toBe(false);
			expect(problems(r)).toContain('source: ESLint violations found');
		},
		SLOW,
	);
});

describe('workflow lint', () => {
	const variant = (edit: (text: string) => string) => {
		const dir = fixture();
		const file = join(dir, '.github', 'workflows', 'publish.yml');
		writeFileSync(file, edit(readFileSync(file, 'utf8')));
		return checkWorkflows(dir);
	};
	it('passes on the repository own publish.yml', () => {
		expect(checkWorkflows(fixture())).toMatchObject({ ok: true });
	}, SLOW);
	it('fails when publish.yml lacks provenance, id-token, or runs on more than a version tag', () => {
		expect(problems(variant((t) => t.replace(' --provenance', '')))).toContain('lacks npm publish --provenance');
		expect(problems(variant((t) => t.replace('id-token: write', 'id-token: none')))).toContain('id-token: write');
		expect(problems(variant((t) => t.replace('on:\n', 'on:\n  pull_request:\n')))).toContain('version tag only');
		expect(problems(variant((t) => t.replace('--tag "$GITHUB_REF_NAME"', '')))).toContain('release:check -- --release --tag');
	}, SLOW);
	it('fails on what yamllint finds (a duplicated key)', () => {
		const r = variant((t) => t.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    runs-on: ubuntu-22.04\n'));
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('yamllint exited');
		expect(problems(r)).toContain('key-duplicates');
	}, SLOW);
	it('fails on what actionlint finds (an unknown context property, an unknown action input)', () => {
		const r = variant((t) =>
			t.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n        with:\n          depth: 1\n      - run: echo "${{ github.no_such_thing }}"\n'),
		);
		expect(r.ok).toBe(false);
		expect(problems(r)).toContain('actionlint: failed');
		expect(problems(r)).toContain('input "depth" is not defined in action "actions/checkout@v4"');
		expect(problems(r)).toContain('property "no_such_thing" is not defined');
	}, SLOW);
	it('fails when publish.yml is missing', () => {
		const dir = fixture();
		rmSync(join(dir, '.github'), { recursive: true });
		expect(problems(checkWorkflows(dir))).toContain('publish.yml is missing');
	});
});

describe('the command', () => {
	const cli = (dir: string, args: string[]) =>
		spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(ROOT, 'scripts/release/check.ts'), '--dir', dir, ...args], {
			encoding: 'utf8',
		});
	it('exits 0 on a good package with --release, 1 with placeholders, and says why', () => {
		const good = cli(fixture(), ['--release', '--tag', 'v1.2.3', '--repo', 'acme/n8n-nodes-fixture']);
		expect(good.stdout).toContain('release:check passed: 9 of 9 checks ok');
		expect(good.status).toBe(0);
		const placeholders = fixture((p) => (p.homepage = 'https://github.com/OWNER/n8n-nodes-fixture#readme'));
		const blocked = cli(placeholders, ['--release']);
		expect(blocked.stdout).toContain('release blocked: set repository/bugs/homepage in package.json (placeholder or missing: homepage)');
		expect(blocked.stdout).toContain('release:check FAILED (repository, bugs, homepage)');
		expect(blocked.status).toBe(1);
	}, 2 * SLOW);
	it('rejects unknown arguments', () => {
		expect(() => parseArgs(['--relase'])).toThrow('unknown argument --relase');
		expect(parseArgs(['--release', '--tag', 'v1.0.0'])).toMatchObject({ release: true, tag: 'v1.0.0' });
	});
});
