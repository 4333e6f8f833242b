/**
 * The simulator's QR encoder, checked by decoding: the format bits against the standard's own table, the
 * version bits against its table, Reed–Solomon against a worked example and by syndromes, and a decoder
 * written here from the standard (format → unmask → read in placement order → de-interleave → syndromes
 * → byte mode) that must give back the checkout URL. A control shows a flipped module is caught.
 */
import { inflateSync } from 'zlib';

import {
	blocksOf,
	dataCapacity,
	dataPositions,
	encodeQr,
	formatBits,
	formatPositions,
	gfMultiply,
	gfPower,
	maskApplies,
	qrPngOf,
	reedSolomon,
	versionBits,
	type QrCode,
} from '../../simulator/qr';

// ISO/IEC 18004 table C.1 (level M rows) and table D.1 (versions 7–10), as published.
const FORMAT_M = [
	0b101010000010010, 0b101000100100101, 0b101111001111100, 0b101101101001011, 0b100010111111001,
	0b100000011001110, 0b100111110010111, 0b100101010100000,
];
const VERSION_INFO: Record<number, number> = { 7: 0x07c94, 8: 0x085bc, 9: 0x09a99, 10: 0x0a4d3 };

/** Syndromes of a block (data then EC): all zero for a valid Reed–Solomon codeword. */
function syndromesAreZero(codeword: number[], ecCount: number): boolean {
	for (let i = 0; i < ecCount; i++) {
		let value = 0;
		for (const byte of codeword) value = gfMultiply(value, gfPower(i)) ^ byte;
		if (value !== 0) return false;
	}
	return true;
}

const EC_PER_BLOCK = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26];

/** Decodes a level-M byte-mode code; throws on any inconsistency. */
function decode(code: QrCode): string {
	const { modules, size } = code;
	const version = (size - 17) / 4;
	const read = (positions: Array<[number, number]>) =>
		positions.reduce((bits, [row, column], i) => bits | ((modules[row][column] ? 1 : 0) << i), 0);
	const pairs = formatPositions(size);
	const first = read(pairs.map(([copy]) => copy[0]));
	const second = read(pairs.map(([, copy]) => copy[0]));
	if (first !== second) throw new Error('the two format copies differ');
	const mask = FORMAT_M.indexOf(first);
	if (mask < 0) throw new Error(`format bits ${first.toString(2)} are not level M`);
	if (!modules[size - 8][8]) throw new Error('no dark module');

	const bits = dataPositions(version).map(([row, column]) => (modules[row][column] !== maskApplies(mask, row, column) ? 1 : 0));
	const total = dataCapacity(version) + EC_PER_BLOCK[version - 1] * blocksOf(version, new Array(dataCapacity(version)).fill(0)).data.length;
	const codewords: number[] = [];
	for (let i = 0; i < total; i++) codewords.push(parseInt(bits.slice(i * 8, i * 8 + 8).join(''), 2));

	// De-interleave: block sizes from the layout, data first, then EC.
	const layout = blocksOf(version, new Array(dataCapacity(version)).fill(0)).data.map((block) => block.length);
	const dataBlocks = layout.map(() => [] as number[]);
	let index = 0;
	for (let i = 0; i < Math.max(...layout); i++) layout.forEach((length, b) => i < length && dataBlocks[b].push(codewords[index++]));
	const ec = EC_PER_BLOCK[version - 1];
	const ecBlocks = layout.map(() => [] as number[]);
	for (let i = 0; i < ec; i++) ecBlocks.forEach((block) => block.push(codewords[index++]));
	dataBlocks.forEach((block, b) => {
		if (!syndromesAreZero([...block, ...ecBlocks[b]], ec)) throw new Error(`block ${b} fails its Reed–Solomon check`);
	});

	const stream = dataBlocks.flat().flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >>> (7 - i)) & 1));
	const take = (start: number, length: number) => parseInt(stream.slice(start, start + length).join(''), 2);
	if (take(0, 4) !== 0b0100) throw new Error('not byte mode');
	const countBits = version <= 9 ? 8 : 16;
	const length = take(4, countBits);
	const bytes = Array.from({ length }, (_, i) => take(4 + countBits + i * 8, 8));
	return Buffer.from(bytes).toString('utf8');
}

describe('QR encoder of the simulator', () => {
	it('writes the format bits of the standard for every mask (level M)', () => {
		expect(Array.from({ length: 8 }, (_, mask) => formatBits(mask))).toEqual(FORMAT_M);
	});

	it('writes the version bits of the standard (versions 7–10)', () => {
		for (const version of [7, 8, 9, 10]) expect(versionBits(version)).toBe(VERSION_INFO[version]);
	});

	it('computes Reed–Solomon as the worked example of 1-M "HELLO WORLD"', () => {
		const data = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17];
		expect(reedSolomon(data, 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
	});

	it.each([
		'http://127.0.0.1:4010/sim/checkout/1700000000000000028',
		'x',
		'https://sb-open.revenuemonster.my/checkout/' + 'a'.repeat(150),
		'https://shop.example.com/pay?order=ORD261130133236022-0&name=Aisyah%20Rahman&note=caf%C3%A9-' + 'b'.repeat(110),
	])('encodes %s so that it decodes back', (text) => {
		const code = encodeQr(text);
		expect(decode(code)).toBe(text);
	});

	it('uses the smallest version, up to 10', () => {
		expect(encodeQr('http://127.0.0.1:4010/sim/checkout/1700000000000000028').version).toBe(4);
		expect(encodeQr('a'.repeat(213)).version).toBe(10);
		expect(() => encodeQr('a'.repeat(214))).toThrow(/do not fit/);
	});

	it('has the three finder patterns and alternating timing patterns', () => {
		const { modules, size } = encodeQr('http://127.0.0.1:4010/sim/checkout/1700000000000000028');
		const finderRow = [true, true, true, true, true, true, true];
		for (const [row, column] of [
			[0, 0],
			[0, size - 7],
			[size - 7, 0],
		]) {
			expect(modules[row].slice(column, column + 7)).toEqual(finderRow);
			expect(modules[row + 1].slice(column, column + 7)).toEqual([true, false, false, false, false, false, true]);
			expect(modules[row + 3].slice(column, column + 7)).toEqual([true, false, true, true, true, false, true]);
		}
		for (let i = 8; i < size - 8; i++) {
			expect(modules[6][i]).toBe(i % 2 === 0);
			expect(modules[i][6]).toBe(i % 2 === 0);
		}
	});

	it('control: one flipped data module is caught by the decoder', () => {
		const code = encodeQr('http://127.0.0.1:4010/sim/checkout/1700000000000000028');
		const [row, column] = dataPositions(code.version)[20];
		code.modules[row][column] = !code.modules[row][column];
		expect(() => decode(code)).toThrow(/Reed–Solomon/);
	});

	it('renders a PNG whose pixels are the modules, with a 4-module quiet zone', () => {
		const text = 'http://127.0.0.1:4010/sim/checkout/1700000000000000028';
		const code = encodeQr(text);
		const png = qrPngOf(text);
		const width = png.readUInt32BE(16);
		expect(width).toBe((code.size + 8) * 8);
		// One IDAT chunk right after IHDR: filter byte + one grey byte per pixel, per row.
		const idatLength = png.readUInt32BE(33);
		const raw = inflateSync(png.subarray(41, 41 + idatLength));
		const pixel = (x: number, y: number) => raw[y * (width + 1) + 1 + x];
		for (let row = 0; row < code.size; row++) {
			for (let column = 0; column < code.size; column++) {
				expect(pixel((column + 4) * 8 + 4, (row + 4) * 8 + 4) === 0).toBe(code.modules[row][column]);
			}
		}
		expect(pixel(3, 3)).toBe(255);
	});
});
