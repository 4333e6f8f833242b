/**
 * `npm run bench`: what the node costs, as ratios against the real alternatives, measured in one run
 * in CPU time, in interleaved rounds (median and min–max over the rounds). Starts everything it needs:
 * the simulator (its own process), a local TLS server, and the pinned real n8n. Prints the ratios,
 * writes the full figures as JSON under .bench/ and regenerates docs/PERFORMANCE.md.
 *
 * Options: --quick (smaller samples, figures not written to the docs); --no-n8n (skip the real n8n);
 * --postgres (also measure the credential read in an n8n on a throwaway Postgres cluster);
 * --render-only (measure nothing: regenerate docs/PERFORMANCE.md from .bench/bench-latest.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { stopAll, stopAllOnExit } from '../lib/processes';
import { measureInEngine, measureWithoutNetwork } from './alternatives';
import { measureConcurrency, measureRateCap } from './concurrency';
import { measureTlsCost, reproduceConnectionPerRequest } from './connections';
import { nowMs, round, showSummary } from './measure';
import { measureListMemory } from './memory';
import { measureTokens, profilePerItem } from './node-path';
import { measureNotifications } from './notifications';
import { renderPerformanceDoc } from './performance-doc';
import { startPostgres, type Postgres } from './postgres';
import { buildAndPack, measureRealN8n, type RealN8nResult } from './real-n8n';
import { SimulatorProcess } from './simulator-process';
import type { BenchResult, Headline } from './types';

const ROOT = path.join(__dirname, '..', '..');
const OUTPUT_DIR = path.join(ROOT, '.bench');
const LIST_SIZE = 10_000;

function step(text: string): void {
	process.stdout.write(`  ${text}\n`);
}

const load = () => os.loadavg().map((value) => round(value, 2));

async function main(): Promise<void> {
	if (process.argv.includes('--render-only')) {
		const latest = JSON.parse(readFileSync(path.join(OUTPUT_DIR, 'bench-latest.json'), 'utf8')) as BenchResult;
		writeFileSync(path.join(ROOT, 'docs', 'PERFORMANCE.md'), renderPerformanceDoc(latest));
		process.stdout.write(`docs/PERFORMANCE.md regenerated from the run of ${latest.startedAt} (${latest.command})\n`);
		return;
	}
	const quick = process.argv.includes('--quick');
	const withN8n = !process.argv.includes('--no-n8n');
	const withPostgres = withN8n && process.argv.includes('--postgres');
	const size = (full: number, small: number) => (quick ? small : full);
	const rounds = size(7, 3);
	const startedAt = new Date();
	const start = nowMs();
	const loadAverageAtStart = load();
	process.stdout.write(
		`Revenue Monster node benchmark${quick ? ' (quick: figures not written to docs)' : ''}; load average ${loadAverageAtStart.join(', ')} on ${os.cpus().length} cores\n`,
	);
	let postgres: Postgres | undefined;
	stopAllOnExit(() => postgres?.stop());

	const simulator = await SimulatorProcess.start({ pageSize: 100, autoNotify: false });
	try {
		const transactionIds = await simulator.call<string[]>('seedTransactions', LIST_SIZE);

		step(`CPU per item inside n8n's engine: this package, a minimal custom node, rm-api-sdk in a node (${rounds} interleaved rounds)`);
		const inEngine = await measureInEngine(simulator, transactionIds, size(300, 100), rounds);
		step(`the same, package and minimal node, without the network (n8n's HTTP answering at once; ${size(9, 3)} rounds)`);
		const withoutNetwork = await measureWithoutNetwork(simulator, transactionIds, size(300, 100), size(9, 3));

		let realN8n: RealN8nResult | undefined;
		let tarball: string | undefined;
		let realN8nSkipped: string | undefined;
		if (withN8n) {
			step('a real n8n: this package vs HTTP Request + Code node, credential read per request vs once');
			tarball = await buildAndPack(OUTPUT_DIR, (line) => step(`  ${line}`));
			realN8n = await measureRealN8n({
				tarball,
				simulator,
				transactionIds,
				scratch: path.join(OUTPUT_DIR, 'n8n'),
				largeItems: size(200, 60),
				smallItems: size(20, 10),
				rounds: size(5, 2),
				say: (line) => step(`  ${line}`),
			});
		} else {
			realN8nSkipped = 'skipped (--no-n8n)';
		}
		let realN8nPostgres: RealN8nResult | undefined;
		if (withPostgres) {
			step('the credential read again, in an n8n on Postgres');
			postgres = await startPostgres();
			try {
				realN8nPostgres = await measureRealN8n({
					simulator,
					transactionIds,
					scratch: path.join(OUTPUT_DIR, 'n8n-postgres'),
					largeItems: size(200, 60),
					smallItems: size(20, 10),
					rounds: size(5, 2),
					say: (line) => step(`  ${line}`),
					postgres,
					tarball,
					variants: ['probePerRequest', 'probeOnce'],
				});
			} finally {
				await postgres.stop();
				postgres = undefined;
			}
		}

		step('profile of the per-item path');
		const profile = await profilePerItem(simulator, transactionIds, size(400, 100));
		step('notifications: the trigger\'s verification vs bare crypto.verify');
		const notifications = measureNotifications(size(300, 100), size(1500, 300), rounds);
		step("connections: n8n's request helper (reproducer) and the cost of a TLS handshake per request");
		const connections = await reproduceConnectionPerRequest(200);
		const tls = await measureTlsCost(OUTPUT_DIR, size(150, 40), size(5, 2));
		step('token requests over 3 executions');
		const tokens = [await measureTokens(simulator, transactionIds, 1), await measureTokens(simulator, transactionIds, 8)];
		step(`memory for a ${LIST_SIZE.toLocaleString('en')}-item list (Transaction → Get Many, Return All)`);
		const memory = await measureListMemory(simulator, LIST_SIZE);
		step('bulk charges with 50 ms latency, concurrency 1 vs 8 (Order → Create)');
		const concurrency = await measureConcurrency(simulator, size(80, 16), 50);
		step('requests-per-second cap (20/s at concurrency 8)');
		const rateCap = await measureRateCap(simulator, size(40, 10), 20);

		const tokensAt = (level: number) => tokens.find((token) => token.concurrency === level)?.tokensPer1000Items ?? NaN;
		const headline: Headline = {
			packageOverMinimal: inEngine.packageOverMinimal,
			packageOverHttpRequestCode: realN8n?.packageOverHttpRequestCode,
			packageOverSdk: inEngine.packageOverSdk,
			verifyOverRaw: notifications.verifyPath.triggerOverRaw,
			credentialOnceOverPerRequest: realN8n?.credentialOnceOverPerRequest,
			tokensPer1000Items: tokensAt(1),
			tokensPer1000ItemsConcurrency8: tokensAt(8),
			listRetainedHeapOverJson: round(memory.retainedHeapDeltaBytes / memory.jsonBytes, 2),
			bulkChargesSpeedupConcurrency8: concurrency.speedup,
			rateCapMaxInAnySecondOverCap: round(rateCap.maxInAnySecond / rateCap.capPerSecond, 2),
		};
		const result: BenchResult = {
			command: ['npm run bench', ...(quick || !withN8n || withPostgres ? ['--'] : []), ...(quick ? ['--quick'] : []), ...(withN8n ? [] : ['--no-n8n']), ...(withPostgres ? ['--postgres'] : [])].join(' '),
			startedAt: startedAt.toISOString(),
			durationSeconds: round((nowMs() - start) / 1000, 1),
			machine: {
				cpu: os.cpus()[0]?.model ?? 'unknown',
				cores: os.cpus().length,
				node: process.version,
				platform: `${os.platform()} ${os.arch()}`,
				loadAverageAtStart,
				loadAverageAtEnd: load(),
			},
			headline,
			inEngine,
			withoutNetwork,
			realN8n,
			realN8nSkipped,
			realN8nPostgres,
			profile,
			connections,
			tls,
			tokens,
			notifications,
			memory,
			concurrency,
			rateCap,
		};

		mkdirSync(OUTPUT_DIR, { recursive: true });
		const json = JSON.stringify(result, null, 2);
		writeFileSync(path.join(OUTPUT_DIR, 'bench-latest.json'), json);
		writeFileSync(path.join(OUTPUT_DIR, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), json);
		const writeDocs = !quick;
		if (writeDocs) writeFileSync(path.join(ROOT, 'docs', 'PERFORMANCE.md'), renderPerformanceDoc(result));

		printHeadline(result);
		process.stdout.write(
			`\nFull figures: .bench/bench-latest.json${writeDocs ? '; docs/PERFORMANCE.md regenerated' : ''}. Took ${result.durationSeconds} s.\n`,
		);
	} finally {
		await simulator.stop();
		await stopAll();
	}
}

function printHeadline(result: BenchResult): void {
	const { headline, inEngine, realN8n, notifications, connections, tls, machine } = result;
	const ms = (value: number) => `${value} ms`;
	const rows: Array<[string, string, string]> = [
		[
			'Package ÷ minimal custom node (CPU/item)',
			showSummary(headline.packageOverMinimal),
			`goal ≤ 1.05; ${ms(inEngine.variants.package.cpuMsPerItem.median)} vs ${ms(inEngine.variants.minimal.cpuMsPerItem.median)} per item, n8n-core engine`,
		],
		[
			'Package ÷ HTTP Request + Code (CPU/item)',
			headline.packageOverHttpRequestCode ? showSummary(headline.packageOverHttpRequestCode) : 'skipped',
			realN8n
				? `real n8n ${realN8n.n8nVersion}: ${ms(realN8n.variants.package?.cpuMsPerItem.median ?? NaN)} vs ${ms(realN8n.variants.httpCode?.cpuMsPerItem.median ?? NaN)} per item`
				: (result.realN8nSkipped ?? ''),
		],
		[
			'Package ÷ rm-api-sdk in a node (CPU/item)',
			showSummary(headline.packageOverSdk),
			`${ms(inEngine.variants.sdk.cpuMsPerItem.median)} per item for the SDK`,
		],
		[
			'Verify ÷ raw crypto.verify (rate)',
			showSummary(headline.verifyOverRaw),
			`goal ≥ 0.85; ${notifications.verifyPath.triggerPerCpuSecond.median}/s vs ${notifications.verifyPath.rawVerifyPerCpuSecond.median}/s per CPU second`,
		],
		[
			'Credential read once ÷ per request',
			headline.credentialOnceOverPerRequest ? showSummary(headline.credentialOnceOverPerRequest) : 'skipped',
			realN8n ? `probe node in a real n8n (${realN8n.database})` : '',
		],
		...(result.realN8nPostgres?.credentialOnceOverPerRequest
			? [['  … on Postgres', showSummary(result.realN8nPostgres.credentialOnceOverPerRequest), result.realN8nPostgres.database] as [string, string, string]]
			: []),
		[
			"Connections per request (n8n's helper)",
			`${connections.connections}/${connections.requests}`,
			`Connection: ${Object.keys(connections.connectionHeaders).join(', ')}; asking keepAlive: ${connections.keepAliveAskedConnections}/${connections.requests}`,
		],
		['TLS handshake, client CPU per request', ms(tls.handshakeCpuMs.median), `new connection ${ms(tls.newConnectionCpuMs.median)} vs kept alive ${ms(tls.keptAliveCpuMs.median)}`],
		['Token requests per 1,000 items', String(headline.tokensPer1000Items), `at concurrency 8: ${headline.tokensPer1000ItemsConcurrency8}`],
		['10,000-item list: retained heap ÷ JSON', `${headline.listRetainedHeapOverJson}×`, ''],
		['Bulk charges, 50 ms latency: c8 speed-up', `${headline.bulkChargesSpeedupConcurrency8}×`, ''],
		['Rate cap: busiest second ÷ cap', String(headline.rateCapMaxInAnySecondOverCap), ''],
	];
	const width = Math.max(...rows.map((row) => row[0].length));
	const valueWidth = Math.max(...rows.map((row) => row[1].length));
	process.stdout.write(`\nMedian (min–max) over the rounds; load average ${machine.loadAverageAtStart.join(', ')} at the start, ${machine.loadAverageAtEnd.join(', ')} at the end.\n`);
	for (const [name, value, detail] of rows) process.stdout.write(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${detail}\n`);
	process.stdout.write(`\nWhere the per-item CPU time goes: ${result.profile.map((share) => `${share.area} ${share.percent}%`).join(', ')}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`benchmark failed: ${error.stack ?? error.message}\n`);
	process.exitCode = 1;
});
