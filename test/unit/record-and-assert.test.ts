/** The fault suites' one "record and assert" step (test/helpers/suite.ts) fails when it should, and records what it saw. */
import { ReliabilityLog } from '../../support/reliability';
import { recordAndAssert } from '../helpers/suite';

const row = { area: 'Unit', fault: 'a case', expected: 'nothing wrong', observed: 'as seen', cases: 1, lost: 0, duplicateCharges: 0, secretsLeaked: 0 };

it('records a passing row when every check holds', () => {
	const log = new ReliabilityLog('unit');
	recordAndAssert(log, row, { 'it worked': true });
	expect(log.rows).toEqual([{ ...row, pass: true }]);
});

it('control: a failed check fails the test, naming the check, and is recorded as failed', () => {
	const log = new ReliabilityLog('unit');
	expect(() => recordAndAssert(log, row, { 'it worked': false, 'it was fast': true })).toThrow(/it worked/);
	expect(log.rows[0].pass).toBe(false);
});

it.each([
	['a lost item', { lost: 1 }, /no item lost/],
	['a duplicate charge', { duplicateCharges: 1 }, /no duplicate charge/],
	['a leaked secret', { secretsLeaked: 1 }, /no secret leaked/],
])('control: %s fails the row without any check of its own', (_what, bad, named) => {
	expect(() => recordAndAssert(new ReliabilityLog('unit'), { ...row, ...bad })).toThrow(named);
});
