/**
 * Seeded random request/notification bodies for the differential test, and a loose serialiser that
 * writes them as a Go server may receive them (any key order, whitespace, \u escapes, other number
 * spellings), so both the package's canonical bytes and arbitrary incoming JSON get compared with Go.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: small, fast, reproducible from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const C0_CONTROLS = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).filter(
	(char) => char !== '\b' && char !== '\f',
);

/** Character pools; each generated string draws from a few of them. */
export const POOLS: Record<string, string[]> = {
	ascii: [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:;!?@#$%^*()[]{}=+~`|'],
	quoting: ['"', '\\', '/', "'"],
	html: ['<', '>', '&'],
	separators: ['\u2028', '\u2029', '\u0085', '\u00a0'],
	controls: [...C0_CONTROLS, '\u007f'],
	latin: [...'éñüßçÀÖøåæœ'],
	cjkMalayTamil: [...'咖啡店支付成功马来西亚ஆர்டர்'],
	emoji: ['😀', '🍜', '🇲🇾', '👍🏽', '👨‍👩‍👧', '🧾', '\u{1f600}', '\u{10ffff}', '\u{10000}'],
	fullwidthAndPrivate: [...'ＡＢＣａｂｃ１２３', '\ue000', '\uf8ff', '\ufeff', '\ufffd', '\uffff', '\uff5e'],
	loneSurrogates: ['\ud83c', '\udf5c', '\ud800', '\udfff', '\udbff'],
};

/** U+0008 and U+000C: the characters Go <= 1.21 and Go >= 1.22 write differently. */
export const BACKSPACE_FORMFEED = ['\b', '\f'];

const RM_KEYS = [
	'order', 'amount', 'title', 'detail', 'additionalData', 'currencyType', 'id', 'storeId', 'redirectUrl',
	'notifyUrl', 'layoutVersion', 'type', 'method', 'customer', 'userId', 'email', 'countryCode', 'phoneNumber',
	'eventType', 'data', 'transactionId', 'status', 'createdAt', 'extraInfo', 'items', 'reason',
];

export interface BodyOptions {
	/** add U+0008/U+000C to the pools */
	backspaceFormfeed?: boolean;
	/** add non-integer numbers and -0 */
	nonIntegers?: boolean;
}

export class BodyGenerator {
	private readonly random: () => number;
	private readonly pools: string[][];

	constructor(seed: number, private readonly options: BodyOptions = {}) {
		this.random = seededRandom(seed);
		this.pools = Object.values(POOLS);
		if (options.backspaceFormfeed) this.pools.push(BACKSPACE_FORMFEED);
	}

	int(below: number): number {
		return Math.floor(this.random() * below);
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}

	chance(probability: number): boolean {
		return this.random() < probability;
	}

	text(maxLength: number): string {
		const pools = [this.pick(this.pools), this.pick(this.pools), POOLS.ascii];
		let text = '';
		const length = this.int(maxLength + 1);
		for (let index = 0; index < length; index++) text += this.pick(this.pick(pools));
		return text;
	}

	key(): string {
		if (this.chance(0.4)) return this.pick(RM_KEYS);
		if (this.chance(0.1)) return this.pick(['', 'Ａ😀', '😀Ａ', 'a\ue000', 'a\u{1f600}', '\uff21', '\u{1f600}']);
		return this.text(8);
	}

	integer(): number {
		switch (this.int(6)) {
			case 0:
				return this.pick([0, 1, -1, 10, 1250, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 2 ** 31, 2 ** 32]);
			case 1:
				return this.int(100000);
			default: {
				// any magnitude up to 2^53, sign included
				const magnitude = Math.floor(this.random() * 2 ** (1 + this.int(53)));
				return this.chance(0.3) ? -magnitude : magnitude;
			}
		}
	}

	nonInteger(): number {
		switch (this.int(4)) {
			case 0:
				return this.pick([-0, 0.1, 12.5, 1e-6, 1e-7, 9.999e-7, 1e21, 1e20, 123456789012345680000, 5e-324, 1.7976931348623157e308]);
			case 1:
				return (this.random() - 0.5) * 10 ** (this.int(40) - 20);
			default: {
				// random bit patterns cover every exponent
				const bytes = new DataView(new ArrayBuffer(8));
				for (let index = 0; index < 8; index++) bytes.setUint8(index, this.int(256));
				const value = bytes.getFloat64(0);
				return Number.isFinite(value) ? value : 0.5;
			}
		}
	}

	value(depth: number): Json {
		const kinds = depth > 3 ? 6 : 9;
		switch (this.int(kinds)) {
			case 0:
				return null;
			case 1:
				return this.chance(0.5);
			case 2:
				return this.options.nonIntegers && this.chance(0.5) ? this.nonInteger() : this.integer();
			case 3:
			case 4:
			case 5:
				return this.text(this.chance(0.2) ? 80 : 24);
			case 6:
				return this.object(depth + 1);
			case 7:
				return Array.from({ length: this.int(5) }, () => (this.chance(0.6) ? this.object(depth + 1) : this.value(depth + 1)));
			default:
				return this.chance(0.5) ? {} : [];
		}
	}

	object(depth = 0): { [key: string]: Json } {
		const record: { [key: string]: Json } = {};
		const size = this.int(depth === 0 ? 9 : 6);
		for (let index = 0; index < size; index++) record[this.key()] = this.value(depth);
		return record;
	}

	/** JSON text of the value as a Go server may receive it: see the file comment. */
	loose(value: Json): string {
		const space = () => (this.chance(0.2) ? this.pick([' ', '\n', '\t', '\r\n  ']) : '');
		if (value === null || typeof value === 'boolean') return String(value);
		if (typeof value === 'number') return this.looseNumber(value);
		if (typeof value === 'string') return this.looseString(value);
		if (Array.isArray(value)) {
			return '[' + space() + value.map((element) => this.loose(element)).join(space() + ',' + space()) + space() + ']';
		}
		const keys = Object.keys(value);
		for (let index = keys.length - 1; index > 0; index--) {
			const other = this.int(index + 1);
			[keys[index], keys[other]] = [keys[other], keys[index]];
		}
		const members = keys.map((key) => this.looseString(key) + space() + ':' + space() + this.loose(value[key]));
		return '{' + space() + members.join(',' + space()) + space() + '}';
	}

	private looseNumber(value: number): string {
		if (Object.is(value, -0)) return '-0';
		if (Number.isInteger(value) && Math.abs(value) < 1e15 && this.chance(0.3)) {
			return this.pick([`${value}.0`, `${value}e0`, `${value * 10}E-1`, `${value}.000`]);
		}
		return this.chance(0.2) ? value.toExponential() : JSON.stringify(value);
	}

	private looseString(text: string): string {
		const hex = (unit: number) => {
			const digits = unit.toString(16).padStart(4, '0');
			return '\\u' + (this.chance(0.5) ? digits.toUpperCase() : digits);
		};
		let out = '"';
		// Code points, so a surrogate pair is written whole: raw, or as two escapes.
		for (const char of text) {
			const unit = char.charCodeAt(0);
			const lone = char.length === 1 && unit >= 0xd800 && unit <= 0xdfff;
			if (lone || unit < 0x20 || this.chance(0.1)) {
				out += [...Array(char.length).keys()].map((index) => hex(char.charCodeAt(index))).join('');
			} else if (char === '"' || char === '\\') {
				out += '\\' + char;
			} else if (char === '/' && this.chance(0.5)) {
				out += '\\/';
			} else {
				out += char;
			}
		}
		return out + '"';
	}
}
