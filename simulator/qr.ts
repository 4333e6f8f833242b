/**
 * A small QR code encoder for the simulator's QR answers, so a phone can scan the checkout URL (ISO/IEC
 * 18004): byte mode, error correction level M, versions 1–10 (up to 213 bytes), the mask with the lowest
 * penalty, format and version information. Only the simulator uses it; the package ships none of this.
 */
import { deflateSync } from 'zlib';

/** Error correction level M, versions 1–10: EC codewords per block, then (blocks, data codewords) groups. */
const LEVEL_M: Array<{ ecPerBlock: number; groups: Array<[number, number]> }> = [
	{ ecPerBlock: 10, groups: [[1, 16]] },
	{ ecPerBlock: 16, groups: [[1, 28]] },
	{ ecPerBlock: 26, groups: [[1, 44]] },
	{ ecPerBlock: 18, groups: [[2, 32]] },
	{ ecPerBlock: 24, groups: [[2, 43]] },
	{ ecPerBlock: 16, groups: [[4, 27]] },
	{ ecPerBlock: 18, groups: [[4, 31]] },
	{ ecPerBlock: 22, groups: [[2, 38], [2, 39]] },
	{ ecPerBlock: 22, groups: [[3, 36], [2, 37]] },
	{ ecPerBlock: 26, groups: [[4, 43], [1, 44]] },
];
const ALIGNMENT: number[][] = [
	[],
	[6, 18],
	[6, 22],
	[6, 26],
	[6, 30],
	[6, 34],
	[6, 22, 38],
	[6, 24, 42],
	[6, 26, 46],
	[6, 28, 50],
];
/** Format information bits of level M (the two bits 00). */
const LEVEL_M_BITS = 0b00;

export interface QrCode {
	version: number;
	size: number;
	mask: number;
	/** modules[row][column], true = dark */
	modules: boolean[][];
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
const EXP = new Array<number>(512);
const LOG = new Array<number>(256);
{
	let value = 1;
	for (let i = 0; i < 255; i++) {
		EXP[i] = value;
		LOG[value] = i;
		value <<= 1;
		if (value & 0x100) value ^= 0x11d;
	}
	for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}
export function gfMultiply(a: number, b: number): number {
	return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}
export const gfPower = (exponent: number): number => EXP[exponent % 255];

/** Reed–Solomon EC codewords: the remainder of data·x^n divided by the generator ∏(x − α^i), i < n. */
export function reedSolomon(data: number[], ecCount: number): number[] {
	let generator = [1];
	for (let i = 0; i < ecCount; i++) {
		const next = new Array<number>(generator.length + 1).fill(0);
		generator.forEach((coefficient, j) => {
			next[j] ^= coefficient;
			next[j + 1] ^= gfMultiply(coefficient, gfPower(i));
		});
		generator = next;
	}
	const remainder = new Array<number>(ecCount).fill(0);
	for (const byte of data) {
		const factor = byte ^ remainder.shift()!;
		remainder.push(0);
		for (let j = 0; j < ecCount; j++) remainder[j] ^= gfMultiply(generator[j + 1], factor);
	}
	return remainder;
}

/** BCH remainder of `value` (already shifted) by `generator` of degree `degree`. */
function bchRemainder(value: number, generator: number, degree: number): number {
	let remainder = value;
	for (let bit = 31 - Math.clz32(remainder); bit >= degree; bit = 31 - Math.clz32(remainder)) {
		remainder ^= generator << (bit - degree);
		if (remainder === 0) break;
	}
	return remainder;
}

/** The 15 format bits for level M and a mask, masked with 101010000010010 as the standard says. */
export function formatBits(mask: number): number {
	const data = (LEVEL_M_BITS << 3) | mask;
	return ((data << 10) | bchRemainder(data << 10, 0x537, 10)) ^ 0x5412;
}

/** The 18 version bits (versions 7 and up). */
export function versionBits(version: number): number {
	return (version << 12) | bchRemainder(version << 12, 0x1f25, 12);
}

const MASKS: Array<(row: number, column: number) => boolean> = [
	(r, c) => (r + c) % 2 === 0,
	(r) => r % 2 === 0,
	(_r, c) => c % 3 === 0,
	(r, c) => (r + c) % 3 === 0,
	(r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
	(r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
	(r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
	(r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];
export const maskApplies = (mask: number, row: number, column: number): boolean => MASKS[mask](row, column);

export function dataCapacity(version: number): number {
	return LEVEL_M[version - 1].groups.reduce((sum, [blocks, size]) => sum + blocks * size, 0);
}

/** The bit stream: mode 0100 (byte), the length, the bytes, terminator and padding, in codewords. */
function dataCodewords(bytes: Buffer, version: number): number[] {
	const bits: number[] = [];
	const put = (value: number, length: number) => {
		for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
	};
	put(0b0100, 4);
	put(bytes.length, version <= 9 ? 8 : 16);
	for (const byte of bytes) put(byte, 8);
	const capacityBits = dataCapacity(version) * 8;
	put(0, Math.min(4, capacityBits - bits.length));
	while (bits.length % 8 !== 0) bits.push(0);
	const codewords: number[] = [];
	for (let i = 0; i < bits.length; i += 8) codewords.push(parseInt(bits.slice(i, i + 8).join(''), 2));
	for (let pad = 0xec; codewords.length < dataCapacity(version); pad ^= 0xec ^ 0x11) codewords.push(pad);
	return codewords;
}

/** Data and EC codewords of each block, interleaved as they are placed. */
export function blocksOf(version: number, data: number[]): { data: number[][]; ec: number[][] } {
	const { ecPerBlock, groups } = LEVEL_M[version - 1];
	const blocks: number[][] = [];
	let offset = 0;
	for (const [count, size] of groups) {
		for (let i = 0; i < count; i++) {
			blocks.push(data.slice(offset, offset + size));
			offset += size;
		}
	}
	return { data: blocks, ec: blocks.map((block) => reedSolomon(block, ecPerBlock)) };
}

function interleave(blocks: number[][]): number[] {
	const out: number[] = [];
	const longest = Math.max(...blocks.map((block) => block.length));
	for (let i = 0; i < longest; i++) for (const block of blocks) if (i < block.length) out.push(block[i]);
	return out;
}

/** Alignment pattern centres: every pair of the version's positions except the three finder corners. */
function alignmentCentres(version: number): Array<[number, number]> {
	const positions = ALIGNMENT[version - 1];
	const last = positions.length - 1;
	const centres: Array<[number, number]> = [];
	positions.forEach((row, i) =>
		positions.forEach((column, j) => {
			const corner = (i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0);
			if (!corner) centres.push([row, column]);
		}),
	);
	return centres;
}

/** The modules that are not data: finders, separators, timing, alignment, format and version areas. */
export function functionModules(version: number): boolean[][] {
	const size = version * 4 + 17;
	const taken = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
	const mark = (row: number, column: number) => {
		if (row >= 0 && row < size && column >= 0 && column < size) taken[row][column] = true;
	};
	for (const [row, column] of [
		[0, 0],
		[0, size - 7],
		[size - 7, 0],
	]) {
		for (let r = -1; r <= 7; r++) for (let c = -1; c <= 7; c++) mark(row + r, column + c);
	}
	for (let i = 0; i < size; i++) {
		mark(6, i);
		mark(i, 6);
	}
	for (const [row, column] of alignmentCentres(version)) {
		for (let r = -2; r <= 2; r++) for (let c = -2; c <= 2; c++) mark(row + r, column + c);
	}
	for (let i = 0; i < 9; i++) {
		mark(8, i);
		mark(i, 8);
	}
	for (let i = 0; i < 8; i++) {
		mark(8, size - 1 - i);
		mark(size - 1 - i, 8);
	}
	if (version >= 7) {
		for (let i = 0; i < 18; i++) {
			mark(size - 11 + (i % 3), Math.floor(i / 3));
			mark(Math.floor(i / 3), size - 11 + (i % 3));
		}
	}
	return taken;
}

/** Data module positions in placement order: two columns at a time from the right, up then down. */
export function dataPositions(version: number): Array<[number, number]> {
	const size = version * 4 + 17;
	const taken = functionModules(version);
	const positions: Array<[number, number]> = [];
	for (let right = size - 1; right >= 1; right -= 2) {
		if (right === 6) right = 5; // the vertical timing pattern
		const upward = ((right + 1) & 2) === 0;
		for (let step = 0; step < size; step++) {
			const row = upward ? size - 1 - step : step;
			for (const column of [right, right - 1]) if (!taken[row][column]) positions.push([row, column]);
		}
	}
	return positions;
}

/** Where the two copies of the 15 format bits go (bit i of each copy), as [row, column]. */
export function formatPositions(size: number): Array<[Array<[number, number]>, Array<[number, number]>]> {
	const pairs: Array<[Array<[number, number]>, Array<[number, number]>]> = [];
	for (let i = 0; i < 15; i++) {
		const first: [number, number] = i < 6 ? [i, 8] : i < 8 ? [i + 1, 8] : i === 8 ? [8, 7] : [8, 14 - i];
		const second: [number, number] = i < 8 ? [8, size - 1 - i] : [size - 15 + i, 8];
		pairs.push([[first], [second]]);
	}
	return pairs;
}

function drawFunctionPatterns(modules: boolean[][], version: number): void {
	const size = modules.length;
	const finder = (row: number, column: number) => {
		for (let r = 0; r < 7; r++) {
			for (let c = 0; c < 7; c++) {
				const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
				modules[row + r][column + c] = ring !== 2;
			}
		}
	};
	finder(0, 0);
	finder(0, size - 7);
	finder(size - 7, 0);
	for (let i = 8; i < size - 8; i++) {
		modules[6][i] = i % 2 === 0;
		modules[i][6] = i % 2 === 0;
	}
	for (const [row, column] of alignmentCentres(version)) {
		for (let r = -2; r <= 2; r++) {
			for (let c = -2; c <= 2; c++) modules[row + r][column + c] = Math.max(Math.abs(r), Math.abs(c)) !== 1;
		}
	}
	modules[size - 8][8] = true; // the dark module
	if (version >= 7) {
		const bits = versionBits(version);
		for (let i = 0; i < 18; i++) {
			const dark = ((bits >>> i) & 1) === 1;
			modules[size - 11 + (i % 3)][Math.floor(i / 3)] = dark;
			modules[Math.floor(i / 3)][size - 11 + (i % 3)] = dark;
		}
	}
}

function drawFormat(modules: boolean[][], mask: number): void {
	const bits = formatBits(mask);
	formatPositions(modules.length).forEach(([first, second], i) => {
		const dark = ((bits >>> i) & 1) === 1;
		for (const [row, column] of [...first, ...second]) modules[row][column] = dark;
	});
}

/** The standard's penalty (N1–N4): runs, 2×2 blocks, finder-like patterns, dark/light balance. */
function penalty(modules: boolean[][]): number {
	const size = modules.length;
	let score = 0;
	const lines: boolean[][] = [];
	for (let i = 0; i < size; i++) {
		lines.push(modules[i]);
		lines.push(modules.map((row) => row[i]));
	}
	const finderLike = [true, false, true, true, true, false, true];
	for (const line of lines) {
		let run = 1;
		for (let i = 1; i <= size; i++) {
			if (i < size && line[i] === line[i - 1]) run++;
			else {
				if (run >= 5) score += run - 2;
				run = 1;
			}
		}
		for (let i = 0; i + 7 <= size; i++) {
			if (!finderLike.every((dark, j) => line[i + j] === dark)) continue;
			const lightBefore = i >= 4 && [1, 2, 3, 4].every((j) => !line[i - j]);
			const lightAfter = i + 11 <= size && [0, 1, 2, 3].every((j) => !line[i + 7 + j]);
			if (lightBefore || lightAfter) score += 40;
		}
	}
	for (let r = 0; r + 1 < size; r++) {
		for (let c = 0; c + 1 < size; c++) {
			const colour = modules[r][c];
			if (modules[r][c + 1] === colour && modules[r + 1][c] === colour && modules[r + 1][c + 1] === colour) score += 3;
		}
	}
	const dark = modules.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
	score += Math.floor(Math.abs((dark * 20) / (size * size) - 10)) * 10;
	return score;
}

/** The QR code of `text` (UTF-8, byte mode, level M), in the smallest version it fits. */
export function encodeQr(text: string): QrCode {
	const bytes = Buffer.from(text, 'utf8');
	let version = 1;
	const fits = (v: number) => 4 + (v <= 9 ? 8 : 16) + bytes.length * 8 <= dataCapacity(v) * 8;
	while (version <= LEVEL_M.length && !fits(version)) version++;
	if (version > LEVEL_M.length) throw new Error(`QR: ${bytes.length} bytes do not fit version 10 (213 at most)`);

	const blocks = blocksOf(version, dataCodewords(bytes, version));
	const codewords = [...interleave(blocks.data), ...interleave(blocks.ec)];
	const size = version * 4 + 17;
	const positions = dataPositions(version);

	let best: QrCode | undefined;
	let bestScore = Infinity;
	for (let mask = 0; mask < 8; mask++) {
		const modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
		drawFunctionPatterns(modules, version);
		positions.forEach(([row, column], i) => {
			// Bits past the codewords are the remainder bits: 0 before masking.
			const bit = i < codewords.length * 8 ? (codewords[i >>> 3] >>> (7 - (i & 7))) & 1 : 0;
			modules[row][column] = (bit === 1) !== maskApplies(mask, row, column);
		});
		drawFormat(modules, mask);
		const score = penalty(modules);
		if (score < bestScore) {
			bestScore = score;
			best = { version, size, mask, modules };
		}
	}
	return best!;
}

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/** A greyscale PNG of the code: `scale` pixels per module and the standard 4-module quiet zone. */
export function qrPng(code: QrCode, scale = 8): Buffer {
	const quiet = 4;
	const pixels = (code.size + quiet * 2) * scale;
	const header = Buffer.alloc(13);
	header.writeUInt32BE(pixels, 0);
	header.writeUInt32BE(pixels, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	const rows = Buffer.alloc(pixels * (pixels + 1), 255);
	for (let y = 0; y < pixels; y++) {
		rows[y * (pixels + 1)] = 0; // filter: none
		const row = Math.floor(y / scale) - quiet;
		for (let x = 0; x < pixels; x++) {
			const column = Math.floor(x / scale) - quiet;
			const dark = row >= 0 && row < code.size && column >= 0 && column < code.size && code.modules[row][column];
			if (dark) rows[y * (pixels + 1) + 1 + x] = 0;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** The PNG Revenue Monster's QR answers carry, for this text (a checkout URL). */
export function qrPngOf(text: string): Buffer {
	return qrPng(encodeQr(text));
}
