/**
 * The shape of one benchmark run: what run.ts measures and performance-doc.ts renders. Kept apart so
 * neither of those two imports the other.
 */
import type { InEngineResult, WithoutNetworkResult } from './alternatives';
import type { ConcurrencyResult, RateCapResult } from './concurrency';
import type { ConnectionReproduction, TlsCost } from './connections';
import type { RoundSummary } from './measure';
import type { MemoryResult } from './memory';
import type { ProfileShare, TokenResult } from './node-path';
import type { NotificationResult } from './notifications';
import type { RealN8nResult } from './real-n8n';

export interface Machine {
	cpu: string;
	cores: number;
	node: string;
	platform: string;
	loadAverageAtStart: number[];
	loadAverageAtEnd: number[];
}

/** The figures the issue asks for, each a median with its spread over the rounds. */
export interface Headline {
	/** CPU per item: this package ÷ a minimal custom node making the same signed call (goal ≤ 1.05) */
	packageOverMinimal: RoundSummary;
	/** CPU per item: this package ÷ n8n's HTTP Request node + a Code node signing, in a real n8n */
	packageOverHttpRequestCode?: RoundSummary;
	/** CPU per item: this package ÷ a custom node calling rm-api-sdk */
	packageOverSdk: RoundSummary;
	/** valid notifications per CPU second: trigger ÷ bare crypto.verify (goal ≥ 0.85) */
	verifyOverRaw: RoundSummary;
	/** CPU per item in a real n8n: credential read once per execution ÷ once per request */
	credentialOnceOverPerRequest?: RoundSummary;
	tokensPer1000Items: number;
	tokensPer1000ItemsConcurrency8: number;
	listRetainedHeapOverJson: number;
	bulkChargesSpeedupConcurrency8: number;
	rateCapMaxInAnySecondOverCap: number;
}

export interface BenchResult {
	command: string;
	startedAt: string;
	durationSeconds: number;
	machine: Machine;
	headline: Headline;
	inEngine: InEngineResult;
	/** package and minimal node in the same engine with n8n's HTTP answering at once (runs before this field existed lack it) */
	withoutNetwork?: WithoutNetworkResult;
	/** undefined when the real n8n part was skipped (--no-n8n), with the reason */
	realN8n?: RealN8nResult;
	realN8nSkipped?: string;
	/** the credential read measured again with n8n on Postgres (--postgres) */
	realN8nPostgres?: RealN8nResult;
	profile: ProfileShare[];
	connections: ConnectionReproduction;
	tls: TlsCost;
	tokens: TokenResult[];
	notifications: NotificationResult;
	memory: MemoryResult;
	concurrency: ConcurrencyResult;
	rateCap: RateCapResult;
}
