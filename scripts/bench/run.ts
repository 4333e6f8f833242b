/**
 * `npm run bench`: how fast and how frugal the node is, as ratios measured in one run against the
 * simulator (running in its own process). Prints the ratios, writes the full figures as JSON under
 * .bench/ and the latest figures to docs/PERFORMANCE.md.
 *
 * Options: --quick (smaller samples, for trying the script out; figures not written to the docs).
 */
import { mkdirSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import { measureConcurrency, measureRateCap, type ConcurrencyResult, type RateCapResult } from './concurrency';
import { measureFloorRound, summarizeFloor, type FloorResult, type FloorRound } from './floor';
import { nowMs, round } from './measure';
import { measureListMemory, type MemoryResult } from './memory';
import { measureTokens, perItemMeter, profilePerItem, type PerItemResult, type ProfileShare, type TokenResult } from './node-path';
import { measureNotifications, type NotificationResult } from './notifications';
import { peerSdkMeter, type PeerResult } from './peer-sdk';
import { renderPerformanceDoc } from './performance-doc';
import { SimulatorProcess } from './simulator-process';

export interface Ratios {
	perItemOverFloor: number;
	/** the same, against a floor whose round trip opens a new connection (as n8n's HTTP helper does) */
	perItemOverFloorOnNewConnection: number;
	tokensPer1000Items: number;
	tokensPer1000ItemsConcurrency8: number;
	notificationsVerifiedPerSecond: number;
	listRetainedHeapOverJson: number;
	listPeakHeapMB: number;
	bulkChargesSpeedupConcurrency8: number;
	perItemOverPeerSdk: number;
	rateCapMaxInAnySecondOverCap: number;
}

export interface BenchResult {
	command: string;
	startedAt: string;
	durationSeconds: number;
	machine: { cpu: string; cores: number; node: string; platform: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
	ratios: Ratios;
	floor: FloorResult;
	perItem: PerItemResult;
	profile: ProfileShare[];
	tokens: TokenResult[];
	notifications: NotificationResult;
	memory: MemoryResult;
	concurrency: ConcurrencyResult;
	rateCap: RateCapResult;
	peer: PeerResult;
}

const ROOT = path.join(__dirname, '..', '..');
const LIST_SIZE = 10_000;
/** interleaved rounds of floor, node and peer; each figure is the median round */
const ROUNDS = 5;

function step(text: string): void {
	process.stdout.write(`  ${text}\n`);
}

async function main(): Promise<void> {
	const quick = process.argv.includes('--quick');
	const size = (full: number, small: number) => (quick ? small : full);
	const startedAt = new Date();
	const start = nowMs();
	const loadAverageAtStart = os.loadavg().map((load) => round(load, 2));
	process.stdout.write(`Revenue Monster node benchmark${quick ? ' (quick: figures not written to docs)' : ''}\n`);

	const simulator = await SimulatorProcess.start({ pageSize: 100, autoNotify: false });
	try {
		const transactionIds = await simulator.call<string[]>('seedTransactions', LIST_SIZE);

		// Floor, node and peer in interleaved rounds, so load on the machine weighs on all three alike.
		step('floor (RSA-2048 sign + loopback round trip), node per item (Transaction → Get in n8n\'s engine)');
		step(`and rm-api-sdk (same call, same simulator): ${ROUNDS} interleaved rounds`);
		const nodeMeter = await perItemMeter(simulator, transactionIds);
		const peerMeter = await peerSdkMeter(simulator, transactionIds);
		const floorRounds: FloorRound[] = [];
		// Round 0 warms up the JIT and the machine and is not counted.
		for (let round = 0; round <= ROUNDS; round++) {
			const floorRound = await measureFloorRound(simulator.url, size(600, 150));
			await nodeMeter.execution(size(400, 100), round > 0);
			await peerMeter.round(size(400, 100), round > 0);
			if (round > 0) floorRounds.push(floorRound);
		}
		const floor = summarizeFloor(floorRounds);
		const perItem = nodeMeter.result();
		const peer = await peerMeter.finish();
		step('profile of the per-item path');
		const profile = await profilePerItem(simulator, transactionIds, size(500, 100));
		step('token requests over 3 executions');
		const tokens = [await measureTokens(simulator, transactionIds, 1), await measureTokens(simulator, transactionIds, 8)];
		step('notifications verified per second (trigger/verify.ts)');
		const notifications = measureNotifications(size(500, 100), size(1500, 300));
		step(`memory for a ${LIST_SIZE.toLocaleString('en')}-item list (Transaction → Get Many, Return All)`);
		const memory = await measureListMemory(simulator, LIST_SIZE);
		step('bulk charges with 50 ms latency, concurrency 1 vs 8 (Order → Create)');
		const concurrency = await measureConcurrency(simulator, size(80, 16), 50);
		step('requests-per-second cap (20/s at concurrency 8)');
		const rateCap = await measureRateCap(simulator, size(40, 10), 20);

		const tokensAt = (concurrencyLevel: number) =>
			tokens.find((token) => token.concurrency === concurrencyLevel)?.tokensPer1000Items ?? NaN;
		const ratios: Ratios = {
			perItemOverFloor: round(perItem.perItemMs / floor.floorMs.mean, 2),
			perItemOverFloorOnNewConnection: round(
				perItem.perItemMs / (floor.signMs.mean + floor.freshConnectionRoundTripMs.mean),
				2,
			),
			tokensPer1000Items: tokensAt(1),
			tokensPer1000ItemsConcurrency8: tokensAt(8),
			notificationsVerifiedPerSecond: notifications.rates[0].perSecond,
			listRetainedHeapOverJson: round(memory.retainedHeapDeltaBytes / memory.jsonBytes, 2),
			listPeakHeapMB: round(memory.peakHeapDeltaBytes / 1024 / 1024, 1),
			bulkChargesSpeedupConcurrency8: concurrency.speedup,
			perItemOverPeerSdk: round(perItem.perItemMs / peer.perCallMs, 2),
			rateCapMaxInAnySecondOverCap: round(rateCap.maxInAnySecond / rateCap.capPerSecond, 2),
		};
		const result: BenchResult = {
			command: quick ? 'npm run bench -- --quick' : 'npm run bench',
			startedAt: startedAt.toISOString(),
			durationSeconds: round((nowMs() - start) / 1000, 1),
			machine: {
				cpu: os.cpus()[0]?.model ?? 'unknown',
				cores: os.cpus().length,
				node: process.version,
				platform: `${os.platform()} ${os.arch()}`,
				loadAverageAtStart,
				loadAverageAtEnd: os.loadavg().map((load) => round(load, 2)),
			},
			ratios,
			floor,
			perItem,
			profile,
			tokens,
			notifications,
			memory,
			concurrency,
			rateCap,
			peer,
		};

		const outputDir = path.join(ROOT, '.bench');
		mkdirSync(outputDir, { recursive: true });
		const json = JSON.stringify(result, null, 2);
		writeFileSync(path.join(outputDir, 'bench-latest.json'), json);
		writeFileSync(path.join(outputDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), json);
		if (!quick) writeFileSync(path.join(ROOT, 'docs', 'PERFORMANCE.md'), renderPerformanceDoc(result));

		printRatios(result);
		process.stdout.write(
			`\nFull figures: .bench/bench-latest.json${quick ? '' : '; docs/PERFORMANCE.md updated'}. Took ${result.durationSeconds} s.\n`,
		);
	} finally {
		await simulator.stop();
	}
}

function printRatios(result: BenchResult): void {
	const { ratios, floor, perItem, memory, concurrency, peer, rateCap } = result;
	const ms = (value: number) => `${round(value, 3)} ms`;
	const rows: Array<[string, string, string]> = [
		['Per item ÷ floor', `${ratios.perItemOverFloor}×`, `${ms(perItem.perItemMs)} per item vs floor ${ms(floor.floorMs.mean)} (sign ${ms(floor.signMs.mean)} + round trip ${ms(floor.roundTripMs.mean)})`],
		['Per item ÷ floor on a new connection', `${ratios.perItemOverFloorOnNewConnection}×`, `floor with a new TCP connection per call, as n8n's HTTP helper makes (round trip ${ms(floor.freshConnectionRoundTripMs.mean)})`],
		['Token requests per 1,000 items', `${ratios.tokensPer1000Items}`, `3 executions, one credential; at concurrency 8: ${ratios.tokensPer1000ItemsConcurrency8}`],
		['Notifications verified per second', `${ratios.notificationsVerifiedPerSecond}`, `forged: ${result.notifications.rates[1].perSecond}/s, stale: ${result.notifications.rates[2].perSecond}/s, bad accepted: ${result.notifications.rates[1].accepted + result.notifications.rates[2].accepted}`],
		['10,000-item list: retained heap ÷ JSON size', `${ratios.listRetainedHeapOverJson}×`, `peak heap +${ratios.listPeakHeapMB} MB, retained +${round(memory.retainedHeapDeltaBytes / 1048576, 1)} MB, JSON ${round(memory.jsonBytes / 1048576, 1)} MB, ${memory.elapsedMs} ms`],
		['Bulk charges, 50 ms latency: concurrency 8 speed-up', `${ratios.bulkChargesSpeedupConcurrency8}×`, concurrency.runs.map((run) => `c${run.concurrency}: ${run.totalMs} ms for ${run.items}, duplicates ${run.duplicateCharges}`).join('; ')],
		['Per item ÷ rm-api-sdk per call', `${ratios.perItemOverPeerSdk}×`, `SDK ${ms(peer.perCallMs)} per call (${peer.connectionsPerCall} connections/call vs node ${perItem.connectionsPerItem}); strict simulator told the SDK: ${peer.strictSimulatorAnswer}`],
		['Rate cap: busiest second ÷ cap', `${ratios.rateCapMaxInAnySecondOverCap}`, `${rateCap.maxInAnySecond} calls in the busiest second, cap ${rateCap.capPerSecond}/s, concurrency ${rateCap.concurrency}`],
	];
	const width = Math.max(...rows.map((row) => row[0].length));
	process.stdout.write('\n');
	for (const [name, value, detail] of rows) process.stdout.write(`${name.padEnd(width)}  ${value.padStart(8)}  ${detail}\n`);
	process.stdout.write(`\nWhere the per-item CPU time goes: ${result.profile.map((share) => `${share.area} ${share.percent}%`).join(', ')}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`benchmark failed: ${error.stack ?? error.message}\n`);
	process.exitCode = 1;
});
