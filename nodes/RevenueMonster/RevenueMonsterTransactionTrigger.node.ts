import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	comparePoll,
	cutoffFor,
	DEFAULT_LOOK_BACK_HOURS,
	MAX_PAGES,
	newestMatching,
	readState,
	scanTransactions,
	type PollSettings,
	TRIGGER_WARNING,
} from './polling/transactions';

/** "Fetch Test Event" reads at most this many pages looking for an example. */
const TEST_EVENT_MAX_PAGES = 5;

const TRANSACTION_TYPES = [
	{ name: 'Bank Card', value: 'BANK_CARD' },
	{ name: 'Mini Program', value: 'MINI_PROGRAM' },
	{ name: 'Quick Pay', value: 'QUICK_PAY' },
	{ name: 'Recurring Payment', value: 'RECURRING_PAYMENT', description: 'Charges of saved cards (Order → Create, or RM’s schedule)' },
	{ name: 'Retail QR Pay', value: 'RETAIL_QRPAY' },
	{ name: 'Web Mobile Payment', value: 'WEB_MOBILE_PAYMENT' },
	{ name: 'Web Payment', value: 'WEB_PAYMENT', description: 'Hosted and direct checkout' },
];

function settingsFrom(context: IPollFunctions): PollSettings {
	const statuses = context.getNodeParameter('statuses', []) as string[];
	if (!Array.isArray(statuses) || statuses.length === 0) {
		throw new NodeOperationError(context.getNode(), 'Choose at least one status to watch for');
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const types = Array.isArray(options.types) ? (options.types as string[]) : [];
	const hours = Number(options.lookBackHours ?? DEFAULT_LOOK_BACK_HOURS);
	if (!Number.isFinite(hours) || hours <= 0) {
		throw new NodeOperationError(context.getNode(), `Look Back (Hours) must be a positive number, not ${String(options.lookBackHours)}`);
	}
	return { statuses, types, lookBackHours: hours };
}

export class RevenueMonsterTransactionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Revenue Monster Transaction Trigger',
		name: 'revenueMonsterTransactionTrigger',
		icon: { light: 'file:../../icons/revenueMonster.svg', dark: 'file:../../icons/revenueMonster.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["statuses"] || []).join(", ")}}',
		description:
			'Starts the workflow for payments that failed, were refunded or reversed: what Revenue Monster never notifies. Polls the transaction list.',
		defaults: { name: 'Revenue Monster Transaction Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		properties: [
			{
				displayName:
					'Revenue Monster only notifies successful payments. This trigger reads the transaction list on the schedule below and starts the workflow once for each transaction that is new, or whose status changed, into one of the chosen statuses. The first poll after publishing records what is there and starts nothing.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Failed', value: 'FAILED', description: 'A payment or card charge that was declined or did not complete' },
					{ name: 'Full Refunded', value: 'FULL_REFUNDED', description: 'Refunded in full (through the API or the portal)' },
					{ name: 'Partial Refunded', value: 'PARTIAL_REFUNDED', description: 'Part of the payment was refunded' },
					{ name: 'Reversed', value: 'REVERSED', description: 'Cancelled shortly after it was made' },
					{ name: 'Succeeded', value: 'SUCCESS', description: 'Paid (also notified to the Revenue Monster Trigger)' },
				],
				default: ['FAILED'],
				description: 'Which statuses start the workflow: a transaction that is new in, or changes into, one of them',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Look Back (Hours)',
						name: 'lookBackHours',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_LOOK_BACK_HOURS,
						description:
							'How far back status changes are watched: a payment created longer ago than this is not reported when it is refunded or its status changes. Every poll reads all transactions created in this window (one call per 100), so a shorter window costs fewer calls.',
					},
					{
						displayName: 'Transaction Types',
						name: 'types',
						type: 'multiOptions',
						options: TRANSACTION_TYPES,
						default: [],
						description: 'Only transactions of these types start the workflow; none chosen = every type',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = settingsFrom(this);
		const now = Date.now();

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": an example to map fields from; the poller's state is not touched.
			const scan = await scanTransactions.call(this, cutoffFor(undefined, now, settings.lookBackHours), TEST_EVENT_MAX_PAGES);
			const example = newestMatching(scan.transactions, settings);
			if (!example) {
				throw new NodeOperationError(
					this.getNode(),
					`No transaction with status ${settings.statuses.join(' or ')}${settings.types.length ? ` and type ${settings.types.join(' or ')}` : ''} in the last ${settings.lookBackHours} hours`,
					{ description: 'Make one in the sandbox (e.g. charge a card that is declined), or choose more statuses, then fetch again.' },
				);
			}
			return [this.helpers.returnJsonArray([example])];
		}

		const staticData = this.getWorkflowStaticData('node');
		const previous = readState(staticData.transactionPoll);
		const scan = await scanTransactions.call(this, cutoffFor(previous, now, settings.lookBackHours), MAX_PAGES, previous?.resume);
		const { emit, state } = comparePoll(previous, scan.transactions, settings, now, scan);
		if (scan.truncated) {
			// The bound (MAX_PAGES): loud, in the execution, and the next poll goes on from the cursor kept.
			const message = `Read ${scan.pages} pages (the most one poll reads) without covering the look-back window (list order: ${scan.order}). What was read is compared; the next poll continues from where this one stopped, so later transactions come late, not never.`;
			this.logger.warn(`Revenue Monster Transaction Trigger: ${message}`);
			emit.push({
				status: TRIGGER_WARNING,
				warning: 'PAGE_BOUND_REACHED',
				message,
				pagesRead: scan.pages,
				listOrder: scan.order,
				eventKey: `warning:PAGE_BOUND_REACHED:${now}`,
			});
		}
		// Assigned as a whole, so n8n marks the static data changed and saves it with the emission.
		staticData.transactionPoll = state as unknown as IDataObject;
		if (emit.length === 0) return null;
		return [this.helpers.returnJsonArray(emit)];
	}
}
