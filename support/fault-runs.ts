/**
 * Runs the real Revenue Monster node inside n8n's engine against the simulator for one fault case,
 * with "On Error → Continue (using error output)", and measures it the suite's way.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { RevenueMonster } from '../nodes/RevenueMonster/RevenueMonster.node';
import { CREDENTIAL_ID, runNode, type InMemoryCredentialsHelper, type NodeRunResult } from './n8n';
import type { RevenueMonsterSimulator } from '../simulator/server';
import {
	accountItems,
	credentialSecrets,
	leakedSecrets,
	observableText,
	seedBoundCustomer,
	tokenSecrets,
	withConsoleCaptured,
	type FaultRow,
	type ItemAccount,
	type Secret,
} from './reliability';

export interface CaseRun {
	result: NodeRunResult;
	items: ItemAccount;
	/** names of secrets found in outputs, errors, execution data or console output */
	leaked: string[];
	/** every output item on the error output, by input index */
	errors: Map<number, { message: string; description: string; code?: string }>;
	tokensIssued: number;
}

export interface RunCaseOptions {
	simulator: RevenueMonsterSimulator;
	credentials: InMemoryCredentialsHelper;
	/** every token issued so far (recordIssuedTokens) */
	issuedTokens: Set<string>;
	parameters: IDataObject;
	items: IDataObject[];
	nodeType?: INodeType;
	typeName?: string;
	extraSecrets?: Secret[];
}

export async function runCase(options: RunCaseOptions): Promise<CaseRun> {
	const tokensBefore = options.simulator.stats.tokensIssued;
	const { value: result, output } = await withConsoleCaptured(() =>
		runNode({
			nodeType: options.nodeType ?? new RevenueMonster(),
			typeName: options.typeName,
			parameters: options.parameters,
			items: options.items,
			credentialsHelper: options.credentials,
			onError: 'continueErrorOutput',
		}),
	);
	const stored = options.credentials.stored.get(CREDENTIAL_ID)?.data ?? {};
	const secrets = [...credentialSecrets(stored), ...tokenSecrets(options.issuedTokens), ...(options.extraSecrets ?? [])];
	const errors = new Map<number, { message: string; description: string; code?: string }>();
	for (const item of result.outputs[1] ?? []) {
		const index = (item.pairedItem as { item: number }).item;
		// The router's error item (actions/router.ts, errorItem): `error` is the message, ending in RM's code in
		// brackets for an RM error; `message` is the description (the hint).
		const message = String(item.json.error ?? '');
		errors.set(index, {
			message,
			description: String(item.json.message ?? ''),
			code: /\[([^\]\s]+)\]$/.exec(message)?.[1],
		});
	}
	return {
		result,
		items: accountItems(options.items.length, result),
		leaked: leakedSecrets(observableText(result, output), secrets),
		errors,
		tokensIssued: options.simulator.stats.tokensIssued - tokensBefore,
	};
}

/** `order.create` parameters reading the customer and amount from each item. */
export function chargeParameters(requestOptions: IDataObject = {}): IDataObject {
	return {
		resource: 'order',
		operation: 'create',
		customerId: '={{ $json.customerId }}',
		currency: 'MYR',
		amount: '={{ $json.amount }}',
		route: 'customerOrder',
		additionalFields: {},
		requestOptions,
	};
}

/** `transaction.refund` parameters: a partial refund of each item's transactionId; `overrides` e.g. the amount. */
export function refundParameters(reason: string, overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'transaction',
		operation: 'refund',
		transactionId: '={{ $json.transactionId }}',
		refundType: 'PARTIAL',
		currency: 'MYR',
		amount: 100,
		reason,
		...overrides,
	};
}

/** One freshly bound customer per item, so charges can be counted per item. */
export function chargeItems(simulator: RevenueMonsterSimulator, count: number, amount: unknown = 1000): IDataObject[] {
	return Array.from({ length: count }, () => ({ customerId: seedBoundCustomer(simulator), amount }) as IDataObject);
}

export function chargePath(customerId: string): string {
	return `/v3/customer/${customerId}/order`;
}

/** Charges recorded for each item's customer, and the POSTs that reached the simulator for it. */
export function chargeCounts(simulator: RevenueMonsterSimulator, items: IDataObject[]) {
	return items.map((item) => {
		const customerId = String(item.customerId);
		return {
			charges: simulator.state.customerOrders.filter((order) => order.customerId === customerId).length,
			posts: simulator.log.filter((entry) => entry.method === 'POST' && entry.path === chargePath(customerId)).length,
		};
	});
}

/** The columns every fault row fills the same way: cases, items lost, extra charges, secrets leaked. */
export function measured(
	outcome: CaseRun,
	counts: Array<{ charges: number }> = [],
): Pick<FaultRow, 'cases' | 'lost' | 'duplicateCharges' | 'secretsLeaked'> {
	return {
		cases: outcome.items.in,
		lost: outcome.items.lost.length,
		duplicateCharges: duplicatesAmong(counts),
		secretsLeaked: outcome.leaked.length,
	};
}

export function duplicatesAmong(counts: Array<{ charges: number }>): number {
	return counts.reduce((extra, count) => extra + Math.max(0, count.charges - 1), 0);
}
