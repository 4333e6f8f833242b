/**
 * Renders docs/RELIABILITY.md from the fault suite's own results. By default it first runs the
 * suites (`jest test/faults test/attacks`), which write one JSON per test file under .bench/faults/; with
 * --from-results it renders the JSON already there. Exits non-zero when the suite failed.
 *
 *   npx ts-node --transpile-only scripts/bench/reliability-report.ts
 */
import { spawnSync } from 'child_process';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';

import type { FaultRow } from '../../support/reliability';

const ROOT = path.join(__dirname, '..', '..');
const RESULTS = path.join(ROOT, '.bench', 'faults');
const SUITES = ['notifications', 'attacks', 'transport', 'inputs', 'rate-cap', 'money-attacks', 'money-attack-controls', 'money-secrets'];

interface SuiteResult {
	suite: string;
	node: string;
	finishedAt: string;
	rows: FaultRow[];
}

function runSuite(): number {
	const jest = path.join(ROOT, 'node_modules', '.bin', 'jest');
	const result = spawnSync(jest, ['test/faults', 'test/attacks'], { cwd: ROOT, stdio: 'inherit' });
	return result.status ?? 1;
}

function readResults(): SuiteResult[] {
	const files = readdirSync(RESULTS).filter((file) => file.endsWith('.json'));
	return SUITES.flatMap((suite) =>
		files.includes(`${suite}.json`)
			? [JSON.parse(readFileSync(path.join(RESULTS, `${suite}.json`), 'utf8')) as SuiteResult]
			: [],
	);
}

/** A table cell: pipes escaped, and the simulator's long ids shortened so the page reads the same run to run. */
const cell = (text: string | number) =>
	String(text)
		.replace(/\|/g, '\\|')
		.replace(/\n/g, ' ')
		.replace(/\b\d{15,}\b/g, '‹id›');

export function renderReliabilityDoc(results: SuiteResult[]): string {
	const allRows = results.flatMap((result) => result.rows);
	// Control rows (configurations built to fail) are shown in their area but left out of the totals.
	const rows = allRows.filter((row) => !row.control);
	const moneyAttackRows = rows.filter((row) => row.tries !== undefined);
	// The control run (signature check off) is not a product setting: it is left out of the totals.
	const notificationRows = rows.filter((row) => row.area.startsWith('Notifications') && row.fault === 'All bad notifications');
	const badNotifications = notificationRows.reduce((sum, row) => sum + row.cases, 0);
	const acceptedBad = notificationRows.reduce((sum, row) => sum + (row.accepted ?? 0), 0);
	// Control rows (a protection turned off on purpose) must find faults: they are left out of every total.
	const productRows = rows.filter((row) => !/control/i.test(row.area));
	const sum = (pick: (row: FaultRow) => number) => productRows.reduce((total, row) => total + pick(row), 0);
	// Attack rows: the product's settings; the controls (protection turned off) are left out of the totals.
	const attackRows = rows.filter((row) => row.area.startsWith('Attacks') && !row.area.includes('controls'));
	const attackSum = (pick: (row: FaultRow) => number) => attackRows.reduce((total, row) => total + pick(row), 0);
	const failing = rows.filter((row) => !row.pass);
	const missing = SUITES.filter((suite) => !results.some((result) => result.suite === suite));

	const lines: string[] = [
		'# Reliability',
		'',
		'What the node and the trigger do when things go wrong, checked by the fault suite (`test/faults/*.test.ts`, part of',
		'`npm test`) against the simulator\'s fault injection, with the real node inside n8n-core\'s engine and real HTTP.',
		'This page is generated from the suite\'s own results (`.bench/faults/*.json`) by:',
		'',
		'```',
		'npx ts-node --transpile-only scripts/bench/reliability-report.ts',
		'```',
		'',
		`Latest run: ${results.map((result) => `${result.suite} ${result.finishedAt}`).join(', ')} (Node ${results[0]?.node ?? '?'}).`,
		'',
		'## Totals',
		'',
		'| | count |',
		'|---|---|',
		`| bad notifications sent (${notificationRows.length} trigger configurations) | ${badNotifications} |`,
		`| **bad notifications accepted** | **${acceptedBad}** |`,
		`| attacks on the trigger tried (${attackRows.length} class × setting rows, test/attacks) | ${attackSum((row) => row.cases)} |`,
		`| **attacks accepted** (a run from a forged or altered notification) | **${attackSum((row) => row.accepted ?? 0)}** |`,
		`| **genuine notifications rejected** around the attacks | **${attackSum((row) => row.genuineRejected ?? 0)}** |`,
		`| **duplicate charges** | **${sum((row) => row.duplicateCharges)}** |`,
		...(moneyAttackRows.length
			? [
					`| money attacks: operation × fault cases (${moneyAttackRows.length} fault classes) | ${moneyAttackRows.reduce((total, row) => total + row.cases, 0)} |`,
					`| money attacks: tries (requests sent for the money-moving call) | ${moneyAttackRows.reduce((total, row) => total + (row.tries ?? 0), 0)} |`,
					`| **money attacks: charges sent twice** (reached RM more than once) | **${moneyAttackRows.reduce((total, row) => total + row.duplicateCharges, 0)}** |`,
				]
			: []),
		`| **items lost** (no output on either the main or the error output) | **${sum((row) => row.lost)}** |`,
		`| **secrets found** in outputs, errors, execution data, answers or logs | **${sum((row) => row.secretsLeaked)}** |`,
		`| cases whose expectation did not hold | ${failing.length} |`,
		...(missing.length ? [`| suites with no results yet (pending) | ${missing.join(', ')} |`] : []),
		'',
		'How each figure is taken: items are counted by `pairedItem` on both outputs ("On Error → Continue (using error',
		'output)"); charges are counted in the simulator\'s records per customer (each test item charges its own customer);',
		'secrets are the credential\'s client secret, its Basic header, any 24-character run of the private key as pasted,',
		'and every access token the simulator issued, searched for in the execution data as n8n stores it (errors through',
		'their `toJSON`), the output items, the trigger\'s HTTP answers and static data, and everything written to the console,',
		'stdout or stderr during the run.',
		'',
	];

	const areas = [...new Set(allRows.map((row) => row.area))];
	for (const area of areas) {
		const inArea = allRows.filter((row) => row.area === area);
		const notifications = area.startsWith('Notifications');
		const attacks = area.startsWith('Attacks');
		if (inArea.some((row) => row.tries !== undefined)) {
			lines.push(`## ${area}`, '');
			lines.push('| fault | operations | expected | observed | tries | charges sent twice | secrets | holds |');
			lines.push('|---|---|---|---|---|---|---|---|');
			for (const row of inArea) {
				lines.push(
					`| ${cell(row.fault)} | ${row.cases} | ${cell(row.expected)} | ${cell(row.observed)} | ${row.tries ?? '—'} | ${row.duplicateCharges} | ${row.secretsLeaked} | ${row.pass ? 'yes' : '**no**'} |`,
				);
			}
			lines.push('');
			continue;
		}
		lines.push(`## ${area}`, '');
		if (attacks) {
			lines.push('| attack class | tries | expected | observed | accepted-bad | genuine rejected | charges sent twice | secrets found | holds |');
			lines.push('|---|---|---|---|---|---|---|---|---|');
		} else {
			lines.push(
				notifications
					? '| fault | cases | expected | observed | accepted | secrets | holds |'
					: '| fault | items | expected | observed | lost | duplicate charges | secrets | holds |',
			);
			lines.push(notifications ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|---|---|---|---|');
		}
		for (const row of inArea) {
			const holds = row.pass ? 'yes' : '**no**';
			if (attacks) {
				lines.push(
					`| ${cell(row.fault)} | ${row.cases} | ${cell(row.expected)} | ${cell(row.observed)} | ${row.accepted ?? '—'} | ${row.genuineRejected ?? '—'} | ${row.duplicateCharges} | ${row.secretsLeaked} | ${holds} |`,
				);
				continue;
			}
			lines.push(
				notifications
					? `| ${cell(row.fault)} | ${row.cases} | ${cell(row.expected)} | ${cell(row.observed)} | ${row.accepted ?? '—'} | ${row.secretsLeaked} | ${holds} |`
					: `| ${cell(row.fault)} | ${row.cases} | ${cell(row.expected)} | ${cell(row.observed)} | ${row.lost} | ${row.duplicateCharges} | ${row.secretsLeaked} | ${holds} |`,
			);
		}
		lines.push('');
	}

	lines.push(
		'## Notes',
		'',
		'- Attacks (test/attacks, issue 9): each attempt is made from the genuine notification of its own fresh payment,',
		'  recorded by the simulator and never notified otherwise, so neither confirmation nor de-duplication hides a bypass.',
		'  "Accepted-bad" is a run from an attempt that changed what RM signed, or a run whose data is not what RM signed',
		'  (or, for a query-string hint, not RM\'s record); the same content in another encoding may run. "Genuine rejected"',
		'  counts genuine notifications of fresh payments sent before and after the attempts. "Charges sent twice" on',
		'  trigger rows counts payments that started more than one run. Any 5xx answer also fails a row. Each class has a',
		'  control row (the protection turned off) that must find accepted-bad runs, so the measurement can fail.',
		'- Notifications: each bad notification is made from the genuine notification of its own payment, never delivered',
		'  itself, so a duplicate check cannot hide what the signature check lets through; the control row (signature check',
		'  turned off) shows the same notifications getting through, so the suite can fail. Bodies flipped into invalid JSON are refused by n8n\'s body',
		'  parser (422) before the trigger runs; the rest reach the trigger. "Replays" are the same request again, RM\'s resend',
		'  (same payment, new nonce and signature) and the same request to a trigger restarted with only its saved static data, after those were answered (n8n 2.41 saves static data from an answer without a run, not from a run: see docs/SCALING.md).',
		'- Timeouts: `Order → Create` and `Transaction → Refund` are run as they are, with Options → Timeout set to 1 s;',
		'  the simulator acts, then answers later. The dropped-connection case uses `Order → Create` too.',
		'- Money attacks (`test/attacks/money*.test.ts`): a proxy between the node and the simulator answers by itself',
		'  (RM refused: nothing reaches RM) or lets RM act and then answers a 5xx, a token error, a 429 or cuts the',
		'  connection, for Order → Create on its three routes, Refund, Reverse and Checkout → Pay (card). "Tries" counts',
		'  every request sent for the money-moving call; "charges sent twice" counts requests that reached RM beyond the',
		'  first (each could move the money again). Control rows (in their own area, out of the totals) run the same attacks',
		'  on the transport as it was before issue 9, or run the node again after its error as "Retry On Fail" would, and',
		'  must fail the same check. The secrets rows walk the thrown error object itself (not only what n8n stores).',
		'- Backoff delays are shortened in the suite (`retryPolicy.baseDelayMs = 1`); the rules (what is retried, how often)',
		'  are the production ones.',
		'',
	);
	return lines.join('\n');
}

function main(): void {
	const status = process.argv.includes('--from-results') ? 0 : runSuite();
	const results = readResults();
	writeFileSync(path.join(ROOT, 'docs', 'RELIABILITY.md'), renderReliabilityDoc(results));
	process.stdout.write(`docs/RELIABILITY.md written from ${results.length} suite result file(s).\n`);
	process.exitCode = status;
}

main();
