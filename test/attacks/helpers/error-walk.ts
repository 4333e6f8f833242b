/**
 * Looks for secrets in an error as it sits in memory, not only in what n8n serialises: every string
 * reachable from it (own properties, enumerable or not, symbols, `cause` chains, deeply) and its
 * util.inspect output with hidden properties.
 */
import { inspect } from 'util';

import type { ReliabilityLog, Secret } from '../../../support/reliability';

/** Every string reachable from the value: own properties (also non-enumerable and symbols), deeply. */
export function reachableText(root: unknown, limit = 200_000): string {
	const parts: string[] = [];
	const seen = new Set<unknown>();
	const queue: unknown[] = [root];
	while (queue.length && seen.size < limit) {
		const value = queue.shift();
		if (typeof value === 'string') {
			parts.push(value);
			continue;
		}
		if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') continue;
		if (value === null || value === undefined || typeof value === 'symbol') continue;
		if (seen.has(value)) continue;
		seen.add(value);
		if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
			parts.push(Buffer.from(value).toString('latin1'));
			continue;
		}
		if (typeof value === 'function') continue;
		if (value instanceof Map) {
			for (const [key, entry] of value) queue.push(key, entry);
		}
		if (value instanceof Set) for (const entry of value) queue.push(entry);
		const target = value as Record<string | symbol, unknown>;
		for (const key of [...Object.getOwnPropertyNames(target), ...Object.getOwnPropertySymbols(target)]) {
			if (typeof key === 'string') parts.push(key);
			const descriptor = Object.getOwnPropertyDescriptor(target, key);
			if (descriptor && 'value' in descriptor) queue.push(descriptor.value);
		}
	}
	return parts.join('\n');
}

/** Names of the secrets found in the error, walked and inspected. */
export function secretsIn(error: unknown, secrets: Secret[]): string[] {
	const text = `${reachableText(error)}\n${inspect(error, { showHidden: true, depth: 12 })}`;
	const found = secrets.filter((secret) => secret.fingerprints.some((print) => text.includes(print))).map((s) => s.name);
	// An Authorization header with any bearer value, whatever token it held.
	if (/Bearer [A-Za-z0-9._:-]{8,}/.test(text)) found.push('Authorization header');
	return [...new Set(found)];
}


/**
 * A control of the walk (an error known to hold the access token, walked the same way): recorded,
 * and it passes only when the walk finds the token and the Authorization header, so the secrets
 * tests are shown able to fail.
 */
export function recordWalkControl(log: ReliabilityLog, fault: string, expected: string, found: string[]): void {
	log.add({
		area: 'Attacks: money — secrets in thrown errors',
		fault,
		expected,
		observed: `found: ${found.join(', ') || 'nothing'}`,
		cases: 1,
		lost: 0,
		duplicateCharges: 0,
		secretsLeaked: found.length,
		pass: found.includes('access token') && found.includes('Authorization header'),
		control: true,
	});
	expect(found).toEqual(expect.arrayContaining(['access token', 'Authorization header']));
}
