/**
 * What every fault case measures, the same way: items in and out (lost must be 0), charges the
 * simulator recorded per item (duplicates must be 0), secrets found in what n8n keeps and shows
 * (must be 0). Each suite writes its rows to `.bench/faults/<suite>.json`; the table in
 * docs/RELIABILITY.md is rendered from those files by scripts/bench/reliability-report.ts.
 */
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';

import type { NodeRunResult } from './n8n';
import type { RevenueMonsterSimulator } from '../simulator/server';

export interface FaultRow {
	/** group in the table, e.g. "Notifications", "Transport", "Input", "Credentials" */
	area: string;
	fault: string;
	expected: string;
	observed: string;
	/** generated cases or input items */
	cases: number;
	/** bad notifications the verification path accepted (notification and attack rows only) */
	accepted?: number;
	/** genuine notifications refused around the attempts (attack rows only; must be 0) */
	genuineRejected?: number;
	lost: number;
	duplicateCharges: number;
	secretsLeaked: number;
	/** the expectation held (the test asserts the same) */
	pass: boolean;
	/** money attacks: requests the node sent for the money-moving call, over all cases of the row */
	tries?: number;
	/** a control run (a configuration built to fail): shown, but left out of the totals */
	control?: boolean;
}

const RESULTS_DIR = path.join(__dirname, '..', '.bench', 'faults');

/** Collects a suite's rows; call save() in afterAll. */
export class ReliabilityLog {
	readonly rows: FaultRow[] = [];

	constructor(private readonly suite: string) {}

	add(row: FaultRow): FaultRow {
		this.rows.push(row);
		return row;
	}

	save(): void {
		mkdirSync(RESULTS_DIR, { recursive: true });
		writeFileSync(
			path.join(RESULTS_DIR, `${this.suite}.json`),
			JSON.stringify({ suite: this.suite, node: process.version, finishedAt: new Date().toISOString(), rows: this.rows }, null, 2),
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Items

export interface ItemAccount {
	in: number;
	succeeded: number[];
	failed: number[];
	/** input items with no output item at all, on either output */
	lost: number[];
}

/** Which input items came out, on the main output or the error output (by pairedItem). */
export function accountItems(inputCount: number, result: NodeRunResult): ItemAccount {
	const indexOf = (item: { pairedItem?: unknown }) => {
		const paired = item.pairedItem as { item?: number } | number | undefined;
		return typeof paired === 'number' ? paired : (paired?.item ?? -1);
	};
	const succeeded = (result.outputs[0] ?? []).map(indexOf);
	const failed = (result.outputs[1] ?? []).map(indexOf);
	const seen = new Set([...succeeded, ...failed]);
	const lost: number[] = [];
	for (let index = 0; index < inputCount; index++) if (!seen.has(index)) lost.push(index);
	return { in: inputCount, succeeded, failed, lost };
}

// ---------------------------------------------------------------------------------------------
// Charges

/** A bound card customer in the simulator's state, ready to be charged. */
export function seedBoundCustomer(simulator: RevenueMonsterSimulator, id = simulator.state.nextId()): string {
	const now = simulator.state.now();
	simulator.state.customers.set(id, {
		id,
		kind: 'tokenized',
		isActive: true,
		bound: true,
		storeId: simulator.state.stores[0].id,
		email: `customer-${id}@example.com`,
		name: 'Fault Suite Customer',
		countryCode: '60',
		phoneNumber: '0123456789',
		productName: 'Subscription',
		productDescription: 'fault suite',
		redirectUrl: 'https://merchant.example/return',
		notifyUrl: '',
		paymentUrl: '',
		label: '411111******1111',
		createdAt: now,
		updatedAt: now,
	});
	return id;
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** Remembers every access token the simulator issues, so a test can look for them in outputs. */
export function recordIssuedTokens(simulator: RevenueMonsterSimulator): Set<string> {
	const issued = new Set<string>();
	const tokens = simulator.tokens;
	const set = tokens.set.bind(tokens);
	tokens.set = (token, record) => {
		issued.add(token);
		return set(token, record);
	};
	return issued;
}

export interface Secret {
	name: string;
	/** any of these substrings found means the secret leaked */
	fingerprints: string[];
}

/** A private or public key is found by any 24-character run of its base64 body. */
export function keySecret(name: string, keyText: string): Secret {
	const body = keyText
		.replace(/\\n/g, '\n')
		.replace(/-----[A-Z ]+-----/g, '')
		.replace(/[^A-Za-z0-9+/=]/g, '');
	const fingerprints: string[] = [];
	for (let start = 0; start + 24 <= body.length; start += 24) fingerprints.push(body.slice(start, start + 24));
	return { name, fingerprints };
}

export function textSecret(name: string, value: string): Secret {
	return { name, fingerprints: [value] };
}

export function credentialSecrets(data: { clientId?: unknown; clientSecret?: unknown; privateKey?: unknown }): Secret[] {
	const secrets: Secret[] = [];
	if (typeof data.clientSecret === 'string' && data.clientSecret) {
		secrets.push(textSecret('client secret', data.clientSecret));
		secrets.push(
			textSecret('Basic authorization', Buffer.from(`${String(data.clientId)}:${data.clientSecret}`).toString('base64')),
		);
	}
	if (typeof data.privateKey === 'string' && data.privateKey.length > 40) {
		secrets.push(keySecret('private key', data.privateKey));
	}
	return secrets;
}

export function tokenSecrets(tokens: Iterable<string>): Secret[] {
	return [...tokens].map((token) => textSecret('access token', token));
}

/**
 * Everything n8n keeps or shows from a run: the execution data as n8n persists it (JSON, errors
 * through their toJSON), the error that stopped the node with its message and description, and any
 * console output captured during the run.
 */
export function observableText(result: NodeRunResult | undefined, consoleOutput: string[] = []): string {
	const parts: string[] = [...consoleOutput];
	if (result) {
		parts.push(JSON.stringify(result.run));
		if (result.error) {
			parts.push(result.error.message, String(result.error.description ?? ''), JSON.stringify(result.error.context ?? {}));
		}
		for (const output of result.outputs) {
			for (const item of output ?? []) {
				parts.push(JSON.stringify(item.json));
				if (item.error) parts.push(item.error.message, String(item.error.description ?? ''));
			}
		}
	}
	return parts.join('\n');
}

/** Names of the secrets found in the text (each counted once). */
export function leakedSecrets(text: string, secrets: Secret[]): string[] {
	return secrets.filter((secret) => secret.fingerprints.some((fingerprint) => text.includes(fingerprint))).map((s) => s.name);
}

/**
 * Captures what is logged while `run` runs: console calls and anything written to stdout/stderr
 * (n8n's logger writes there). n8n, the node and the trigger must not log secrets either.
 */
export async function withConsoleCaptured<T>(run: () => Promise<T>): Promise<{ value: T; output: string[] }> {
	const output: string[] = [];
	const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const originals = methods.map((method) => console[method]);
	for (const method of methods) {
		console[method] = (...args: unknown[]) => {
			output.push(args.map((arg) => (typeof arg === 'string' ? arg : safeStringify(arg))).join(' '));
		};
	}
	const streams = [process.stdout, process.stderr];
	const writes = streams.map((stream) => stream.write);
	for (const stream of streams) {
		stream.write = ((chunk: unknown, ...rest: unknown[]) => {
			output.push(String(chunk));
			const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
			callback?.();
			return true;
		}) as typeof stream.write;
	}
	try {
		return { value: await run(), output };
	} finally {
		methods.forEach((method, index) => (console[method] = originals[index]));
		streams.forEach((stream, index) => (stream.write = writes[index]));
	}
}

function safeStringify(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}
