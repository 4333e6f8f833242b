/**
 * Issues #22 and #23 (B2, B4): the Transaction Trigger against the real simulator over HTTP, with the
 * transactions list served newest first or oldest first (RM documents no order), for three shapes of
 * list, with 0 or 30 transactions arriving while the emitting poll reads its pages (the simulator's
 * cursor is an offset: an arrival at the head shifts rows onto the next page).
 *
 * Every cell: 130 declines made after activation (two pages' worth) must each be emitted exactly once,
 * and so must the 30 arrivals, over the emitting poll and the next. The counts are `doubled` (ids
 * emitted more than once) and `lost` (ids never emitted). Controls: the same cells against the code
 * before this change (README / the branch report) show where they fail; the one-off check below
 * shows the counting itself catches a double and a loss.
 */
import type { IDataObject } from 'n8n-workflow';

import { RevenueMonsterTransactionTrigger } from '../../nodes/RevenueMonster/RevenueMonsterTransactionTrigger.node';
import { configureTransactionsList, type TransactionsListOrder } from '../../simulator/transactions-list';
import type { Transaction } from '../../simulator/state';
import { seedPayment } from '../../support/seed';
import { PollHarness } from '../helpers/poll';
import { useSimulator } from '../helpers/suite';

const suite = useSimulator({ perTest: true });

const OLD_MS = Date.now() - 200 * 3_600_000;
const NEW_DECLINES = 130;
const ARRIVALS = 30;

function add(status: string, createdMs?: number): Transaction {
	const transaction = seedPayment(suite.simulator, {
		title: 'Subscription',
		recurring: true,
		type: 'RECURRING_PAYMENT',
		status,
		errorMessage: status === 'FAILED' ? '9010' : undefined,
	});
	if (createdMs !== undefined) transaction.createdAt = transaction.updatedAt = new Date(createdMs).toISOString();
	return transaction;
}

type Shape = 'first page one old burst' | 'first page spanning < 10 min' | 'many pages';

/** What is in the list before activation: all of it created long before the 72-hour window. */
function seedShape(shape: Shape): void {
	if (shape === 'first page one old burst') for (let i = 0; i < 150; i++) add('SUCCESS', OLD_MS);
	// 150 over 298 seconds: every page spans well under the 10-minute margin.
	if (shape === 'first page spanning < 10 min') for (let i = 0; i < 150; i++) add('SUCCESS', OLD_MS + i * 2_000);
	// More than the 100-page bound holds (10 000): 10 050, one a second.
	if (shape === 'many pages') for (let i = 0; i < 10_050; i++) add('SUCCESS', OLD_MS + i * 1_000);
}

function isWarning(item: IDataObject): boolean {
	return item.status === 'TRIGGER_WARNING';
}

export interface CellCounts {
	doubled: number;
	lost: number;
	warnings: number;
}

/** `doubled`: expected ids emitted more than once (or any id at all emitted twice); `lost`: never emitted. */
export function countCell(expected: string[], emitted: IDataObject[]): Omit<CellCounts, 'warnings'> {
	const times = new Map<string, number>();
	for (const item of emitted) {
		const id = String(item.transactionId);
		times.set(id, (times.get(id) ?? 0) + 1);
	}
	const doubled = [...times.values()].filter((count) => count > 1).length;
	const lost = expected.filter((id) => !times.has(id)).length;
	return { doubled, lost };
}

async function runCell(order: TransactionsListOrder, shape: Shape, arrivals: number): Promise<CellCounts> {
	let served = 0;
	let arriveAfterPage: number | undefined;
	const arrived: Transaction[] = [];
	configureTransactionsList(suite.simulator.state, {
		order,
		afterPage: () => {
			served++;
			if (served !== arriveAfterPage) return;
			for (let i = 0; i < arrivals; i++) arrived.push(add('FAILED'));
		},
	});
	seedShape(shape);
	const poller = new PollHarness(new RevenueMonsterTransactionTrigger(), { statuses: ['FAILED'] }, suite.credentials);
	const atActivation = await poller.activate();
	// Activation emits no transaction (at most the bound's warning).
	expect(atActivation.filter((item) => !isWarning(item))).toEqual([]);

	const declines = Array.from({ length: NEW_DECLINES }, () => add('FAILED'));
	arriveAfterPage = served + 1; // during the next poll, between its first and second page
	const emitted: IDataObject[] = [...atActivation];
	for (let poll = 0; poll < 3; poll++) emitted.push(...(await poller.poll()));
	const expected = [...declines, ...arrived].map((transaction) => transaction.transactionId);
	expect(arrived).toHaveLength(arrivals);
	const transactions = emitted.filter((item) => !isWarning(item));
	return { ...countCell(expected, transactions), warnings: emitted.length - transactions.length };
}

const report: Record<string, CellCounts> = {};
afterAll(() => {
	if (process.env.TRIGGER_MATRIX_REPORT) console.log(JSON.stringify(report, null, 1)); // eslint-disable-line no-console
});

describe.each<TransactionsListOrder>(['newest-first', 'oldest-first'])('list %s', (order) => {
	describe.each<Shape>(['first page one old burst', 'first page spanning < 10 min', 'many pages'])('%s', (shape) => {
		it.each([0, ARRIVALS])(`%i arrivals during the poll: each decline emitted exactly once`, async (arrivals) => {
			const counts = await runCell(order, shape, arrivals);
			report[`${order} | ${shape} | ${arrivals}`] = counts;
			expect({ doubled: counts.doubled, lost: counts.lost }).toEqual({ doubled: 0, lost: 0 });
			// The bound is reached only with more than 10 000 rows to read, and then it says so.
			if (shape === 'many pages' && order === 'oldest-first') expect(counts.warnings).toBe(1);
			else expect(counts.warnings).toBe(0);
		}, 120_000);
	});
});

describe('control: the counting', () => {
	it('counts an id emitted twice as doubled and an expected id not emitted as lost', () => {
		const emitted = [{ transactionId: 'a' }, { transactionId: 'a' }, { transactionId: 'b' }];
		expect(countCell(['a', 'b', 'c'], emitted)).toEqual({ doubled: 1, lost: 1 });
	});
});

describe('the page bound (100 pages) and the saved cursors', () => {
	const pollCalls = () => suite.simulator.apiLog().filter((entry) => entry.path === '/v3/payment/transactions').length;

	it('newest first, a burst of 10 050 declines between two polls: a warning, then the 50 past the bound in the next poll', async () => {
		add('SUCCESS', OLD_MS);
		const poller = new PollHarness(new RevenueMonsterTransactionTrigger(), { statuses: ['FAILED'] }, suite.credentials);
		await poller.activate();
		const burst = Array.from({ length: 10_050 }, () => add('FAILED'));
		const emitted = [...(await poller.poll())];
		expect(emitted.filter(isWarning)).toEqual([
			expect.objectContaining({ status: 'TRIGGER_WARNING', warning: 'PAGE_BOUND_REACHED', pagesRead: 100 }),
		]);
		emitted.push(...(await poller.poll()));
		const transactions = emitted.filter((item) => !isWarning(item));
		expect(countCell(burst.map((transaction) => transaction.transactionId), transactions)).toEqual({ doubled: 0, lost: 0 });
	}, 120_000);

	it('oldest first, after the window start is saved: the list turning newest first is noticed and read from the top', async () => {
		configureTransactionsList(suite.simulator.state, { order: 'oldest-first' });
		seedShape('many pages');
		const poller = new PollHarness(new RevenueMonsterTransactionTrigger(), { statuses: ['FAILED'] }, suite.credentials);
		await poller.activate();
		await poller.poll(); // finishes the read past the bound, keeps the window's start
		const before = pollCalls();
		await poller.poll();
		expect(pollCalls() - before).toBe(1); // one page from the window's start, not 101 from the top

		configureTransactionsList(suite.simulator.state, { order: 'newest-first' });
		const declines = Array.from({ length: 5 }, () => add('FAILED'));
		const emitted = await poller.poll();
		expect(countCell(declines.map((transaction) => transaction.transactionId), emitted)).toEqual({ doubled: 0, lost: 0 });
	}, 120_000);

	it('oldest first, old rows dropped from the head (an offset cursor now points further on): checked, read from the top', async () => {
		configureTransactionsList(suite.simulator.state, { order: 'oldest-first' });
		for (let i = 0; i < 300; i++) add('SUCCESS', OLD_MS + i * 1_000);
		const poller = new PollHarness(new RevenueMonsterTransactionTrigger(), { statuses: ['FAILED'] }, suite.credentials);
		await poller.activate(); // three pages; keeps the third (offset 200) as the window's start
		const declines = Array.from({ length: 5 }, (_, n) => add('FAILED', Date.now() + n)); // distinct times: an order to see
		// The 103 oldest leave the list (a retention RM does not document; an offset cursor would not survive
		// it): offset 200 now starts at the 4th decline, inside the window.
		const oldest = [...suite.simulator.state.transactions].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
		const dropped = new Set(oldest.slice(0, 103));
		suite.simulator.state.transactions = suite.simulator.state.transactions.filter((transaction) => !dropped.has(transaction));
		// In this very poll: the page the saved cursor gives does not start before the window, so it reads from the top.
		const emitted = await poller.poll();
		expect(countCell(declines.map((transaction) => transaction.transactionId), emitted)).toEqual({ doubled: 0, lost: 0 });
	}, 120_000);

	it('oldest first, a saved cursor RM refuses: read from the top (the bound again, said so), nothing lost', async () => {
		configureTransactionsList(suite.simulator.state, { order: 'oldest-first' });
		seedShape('many pages');
		const poller = new PollHarness(new RevenueMonsterTransactionTrigger(), { statuses: ['FAILED'] }, suite.credentials);
		await poller.activate();
		await poller.poll();
		const declines = Array.from({ length: 5 }, () => add('FAILED'));
		suite.simulator.addFault({ kind: 'errorIn200', code: 'VALIDATION_ERROR', message: 'cursor is invalid', method: 'GET', path: '/v3/payment/transactions' });
		const emitted = await poller.poll();
		// From the top, 10 055 rows oldest first: the bound again, with its warning; the next poll goes on.
		expect(emitted.filter(isWarning)).toHaveLength(1);
		emitted.push(...(await poller.poll()));
		const transactions = emitted.filter((item) => !isWarning(item));
		expect(countCell(declines.map((transaction) => transaction.transactionId), transactions)).toEqual({ doubled: 0, lost: 0 });
	}, 120_000);
});
