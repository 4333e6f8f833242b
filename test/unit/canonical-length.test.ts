/**
 * Length limits count characters as RM's Go server does (code points / Go runes), not UTF-16 units.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { characterCount, textUpTo } from '../../nodes/RevenueMonster/actions/validation';

const node: INode = {
	id: '1',
	name: 'Revenue Monster',
	type: 'n8n-nodes-revenuemonster.revenueMonster',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const context = { getNode: () => node } as unknown as IExecuteFunctions;

describe('characterCount (Go runes)', () => {
	it('counts an emoji once, a flag twice (two code points) and a lone surrogate once', () => {
		expect(characterCount('Nasi lemak 🍜')).toBe(12);
		expect('Nasi lemak 🍜'.length).toBe(13); // control: UTF-16 units
		expect(characterCount('🇲🇾')).toBe(2);
		expect(characterCount('Nasi lemak 🍜'.slice(0, 12))).toBe(12); // 11 letters and U+FFFD
		expect(characterCount('咖啡')).toBe(2);
	});
});

describe('textUpTo with a maximum', () => {
	it('accepts 32 emoji for a 32-character title (64 UTF-16 units)', () => {
		const title = '🍜'.repeat(32);
		expect(textUpTo(context, 0, 'Title', title, { max: 32 })).toBe(title);
	});

	it('accepts 31 letters and one emoji (33 UTF-16 units, 32 characters)', () => {
		const title = 'x'.repeat(31) + '😀';
		expect(textUpTo(context, 0, 'Title', title, { max: 32 })).toBe(title);
	});

	it('refuses 33 emoji, naming the field, the item, the value and the count in characters', () => {
		const title = '🍜'.repeat(33);
		expect(() => textUpTo(context, 2, 'Title', title, { max: 32 })).toThrow(
			`Invalid Title in item 2: "${title}" is 33 characters long; Revenue Monster accepts at most 32`,
		);
	});

	it('control: refuses 33 ASCII letters', () => {
		expect(() => textUpTo(context, 0, 'Title', 'T'.repeat(33), { max: 32 })).toThrow(/is 33 characters long/);
	});
});
