/**
 * The floor for one Revenue Monster call: one RSA-2048 signature with the merchant key plus one
 * loopback HTTP round trip to the same simulator (GET /__sim/health over a kept-alive connection).
 * Also a round trip on a new connection (what n8n's HTTP helper makes for every request) and what a
 * key parse would cost if it were done per request.
 */
import http from 'http';

import { buildSignString, createNonce, parsePrivateKey, signText, unixTimestamp } from '../../nodes/RevenueMonster/transport/signature';
import { SIMULATOR_KEYS } from '../../test/simulator/keys';
import { nowMs, spread, type Spread } from './measure';

export interface FloorRound {
	iterations: number;
	/** sign + kept-alive round trip, per call */
	floorMs: Spread;
	signMs: Spread;
	roundTripMs: Spread;
	/** round trip opening a new TCP connection each time (what n8n's HTTP helper does) */
	freshConnectionRoundTripMs: Spread;
}

export interface FloorResult extends FloorRound {
	/** each round's mean floor; the figures above are those of the median round */
	roundsMeanFloorMs: number[];
	/** parsing the merchant PEM, as a per-request parse would */
	keyParseMs: Spread;
}

function get(url: string, agent: http.Agent | false): Promise<void> {
	return new Promise((resolve, reject) => {
		http
			.get(url, { agent }, (response) => {
				response.resume();
				response.on('end', resolve);
			})
			.on('error', reject);
	});
}

function signStringFor(url: string): string {
	return buildSignString({ method: 'get', nonceStr: createNonce(), requestUrl: url, timestamp: unixTimestamp() });
}

/** One round of `iterations` calls: sign, then GET /__sim/health on a kept-alive connection. */
export async function measureFloorRound(simulatorUrl: string, iterations: number): Promise<FloorRound> {
	const key = parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey);
	const healthUrl = `${simulatorUrl}/__sim/health`;
	const apiUrl = `${simulatorUrl}/v3/payment/transaction/1700000000000000007`;
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

	for (let index = 0; index < Math.min(300, iterations); index++) {
		signText(key, signStringFor(apiUrl));
		await get(healthUrl, agent);
	}

	const floor: number[] = [];
	const sign: number[] = [];
	const roundTrip: number[] = [];
	for (let index = 0; index < iterations; index++) {
		const text = signStringFor(apiUrl);
		const start = nowMs();
		signText(key, text);
		const signed = nowMs();
		await get(healthUrl, agent);
		const end = nowMs();
		floor.push(end - start);
		sign.push(signed - start);
		roundTrip.push(end - signed);
	}
	agent.destroy();

	const fresh: number[] = [];
	for (let index = 0; index < Math.ceil(iterations / 4); index++) {
		const start = nowMs();
		await get(healthUrl, false);
		fresh.push(nowMs() - start);
	}
	return {
		iterations,
		floorMs: spread(floor),
		signMs: spread(sign),
		roundTripMs: spread(roundTrip),
		freshConnectionRoundTripMs: spread(fresh),
	};
}

/** The rounds' median (by mean floor), plus what a key parse per request would cost. */
export function summarizeFloor(rounds: FloorRound[]): FloorResult {
	const byMean = [...rounds].sort((a, b) => a.floorMs.mean - b.floorMs.mean);
	const median = byMean[Math.floor(byMean.length / 2)];

	// A per-request parse would re-read the PEM each time: the cache is keyed by the text, so a
	// different (equivalent) text forces a real parse.
	const keyParse: number[] = [];
	for (let index = 0; index < 300; index++) {
		const text = `${SIMULATOR_KEYS.merchantPrivateKey}${' '.repeat(index + 1)}`;
		const start = nowMs();
		parsePrivateKey(text);
		keyParse.push(nowMs() - start);
	}
	return {
		...median,
		roundsMeanFloorMs: rounds.map((round) => Math.round(round.floorMs.mean * 1000) / 1000),
		keyParseMs: spread(keyParse),
	};
}
