/**
 * Differential test: this package's canonical JSON against Revenue Monster's Go canonicalisation
 * (go-canonical/main.go: the sequence of rm-go-sdk's signature.go, run by real Go with the mxj
 * library RM's SDK uses), on thousands of seeded random bodies and RM's published examples.
 *
 * Two views, byte for byte:
 * - server view: Go re-canonicalising the exact bytes the package sends must give the bytes it signed;
 * - notification view: for any JSON text RM may send (any key order, spacing, escapes), what Go signs
 *   must be one of canonicalJsonForms(JSON.parse(text)), the forms the trigger verifies against.
 * Go <= 1.21 writes U+0008/U+000C as \u0008/\u000c, Go >= 1.22 as \b/\f; the Go found here decides which
 * variant is checked, and bodies holding those characters are compared with that variant's form.
 *
 * Needs golang-go and golang-github-clbanning-mxj-dev (Debian; .ci/run installs them). Without them the
 * test says so and is skipped locally, and fails when CI is set. DIFFERENTIAL_SEED changes the bodies.
 */
import { readFileSync } from 'fs';
import path from 'path';

import { canonicalJson, canonicalJsonForms } from '../../nodes/RevenueMonster/transport/signature';
import { BodyGenerator, type BodyOptions, type Json } from './bodies';
import { GoCanonicaliser, goUnavailableReason, type GoResult } from './go-runner';

const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20261130);
const BODIES_PER_CLASS = 2000;

const CLASSES: Record<string, BodyOptions> = {
	'realistic (integers, any unicode incl. lone surrogates, nesting, null, booleans)': {},
	'with U+0008/U+000C': { backspaceFormfeed: true },
	'with non-integers and -0': { nonIntegers: true },
};

interface Case {
	label: string;
	/** the bytes Go receives */
	sent: Buffer;
	/** every form the package accepts for it; [0] is what the package sends */
	forms: string[];
}

interface Mismatch {
	label: string;
	sent: string;
	go: string;
	expected: string;
}

/** The old canonicaliser (UTF-16 key order, lone surrogates kept): the control the harness must catch. */
function utf16Canonical(value: Json): string {
	if (value === null || typeof value !== 'object') {
		return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
	}
	if (Array.isArray(value)) return '[' + value.map(utf16Canonical).join(',') + ']';
	return '{' + Object.keys(value).sort().map((k) => utf16Canonical(k) + ':' + utf16Canonical(value[k])).join(',') + '}';
}

const unavailable = goUnavailableReason();

if (unavailable) {
	const message = `Differential test against RM's Go canonicalisation NOT RUN: ${unavailable}.`;
	if (process.env.CI) {
		describe('canonical JSON against RM Go (differential)', () => {
			it('has Go and mxj available (required in CI)', () => {
				throw new Error(message);
			});
		});
	} else {
		process.stderr.write(`\n*** ${message} ***\n\n`);
		describe('canonical JSON against RM Go (differential)', () => {
			it.skip(`NOT RUN: ${unavailable}`, () => undefined);
		});
	}
} else {
	describe('canonical JSON against RM Go (differential)', () => {
		let go: GoCanonicaliser;
		let goVersion = '';
		/** true when this Go writes U+0008/U+000C as \b/\f (Go >= 1.22), the form the package sends */
		let goWritesShortEscapes = false;

		/** The form this Go should produce, from the forms the package knows. */
		const formForThisGo = (forms: string[]) => (goWritesShortEscapes ? forms[0] : forms[forms.length - 1]);

		function compare(cases: Case[]): { mismatches: Mismatch[]; results: GoResult[] } {
			const { results } = go.run(cases.map((c) => c.sent));
			const mismatches: Mismatch[] = [];
			cases.forEach((c, index) => {
				const result = results[index];
				const expected = formForThisGo(c.forms);
				if (!result.ok || !result.bytes.equals(Buffer.from(expected, 'utf8'))) {
					mismatches.push({
						label: c.label,
						sent: c.sent.toString('utf8'),
						go: result.ok ? result.bytes.toString('utf8') : result.error,
						expected,
					});
				}
			});
			return { mismatches, results };
		}

		const describeMismatches = (mismatches: Mismatch[]) =>
			mismatches.slice(0, 3).map((m) => JSON.stringify(m, null, 1)).join('\n');

		beforeAll(() => {
			go = GoCanonicaliser.build();
			const probe = go.run([Buffer.from('{"s":"\\b"}')]);
			goVersion = probe.goVersion;
			const answer = probe.results[0];
			goWritesShortEscapes = answer.ok && answer.bytes.toString('utf8') === '{"s":"\\b"}';
			process.stdout.write(
				`differential: ${goVersion}, ${goWritesShortEscapes ? 'Go >= 1.22 (\\b/\\f)' : 'Go <= 1.21 (\\u0008/\\u000c)'} variant, seed ${SEED}\n`,
			);
		}, 180_000);

		afterAll(() => go?.dispose());

		describe.each(Object.entries(CLASSES))('%s', (name, options) => {
			const seed = SEED + Object.keys(CLASSES).indexOf(name);

			it(`server view: Go re-canonicalising the sent bytes gives the signed bytes (${BODIES_PER_CLASS} bodies)`, () => {
				const generator = new BodyGenerator(seed, options);
				const cases: Case[] = [];
				for (let index = 0; index < BODIES_PER_CLASS; index++) {
					const body = generator.object();
					const forms = canonicalJsonForms(body);
					const sent = canonicalJson(body);
					expect(forms[0]).toBe(sent);
					cases.push({ label: `${name} #${index}`, sent: Buffer.from(sent, 'utf8'), forms });
				}
				const { mismatches } = compare(cases);
				const refusedByThisGo = cases.filter((c) => formForThisGo(c.forms) !== c.forms[0]).length;
				process.stdout.write(
					`differential server view, ${name}: ${cases.length} bodies, ${mismatches.length} mismatches; ` +
						`${refusedByThisGo} hold U+0008/U+000C and are signed in the other variant's form by this Go\n`,
				);
				expect(describeMismatches(mismatches)).toBe('');
				if (!options.backspaceFormfeed) expect(refusedByThisGo).toBe(0);
			}, 120_000);

			it(`notification view: what Go signs for any JSON text is a form the package verifies (${BODIES_PER_CLASS} texts)`, () => {
				const generator = new BodyGenerator(seed + 1000, options);
				const cases: Case[] = [];
				for (let index = 0; index < BODIES_PER_CLASS; index++) {
					const sent = Buffer.from(generator.loose(generator.object()), 'utf8');
					// As the trigger reads a body: UTF-8 text, then JSON.parse.
					const parsed = JSON.parse(sent.toString('utf8')) as Json;
					cases.push({ label: `${name} loose #${index}`, sent, forms: canonicalJsonForms(parsed) });
				}
				const { mismatches } = compare(cases);
				process.stdout.write(
					`differential notification view, ${name}: ${cases.length} texts, ${mismatches.length} mismatches\n`,
				);
				expect(describeMismatches(mismatches)).toBe('');
			}, 120_000);
		});

		it("RM's published examples: Go gives the canonical JSON the package sends", () => {
			const vectors = JSON.parse(
				readFileSync(path.join(__dirname, '..', 'fixtures', 'rm-signature-vectors.json'), 'utf8'),
			);
			const v2Data = /^data=([^&]+)&/.exec(vectors.vector2_invalid_signature_debug.expected_sign_string)![1];
			const v2Canonical = Buffer.from(v2Data, 'base64').toString('utf8');
			const bodies = [vectors.vector1_tool_signature_generate.body, JSON.parse(v2Canonical), vectors.vector3_callback_body_b64.body];
			const cases = bodies.map((body, index) => ({
				label: `vector ${index + 1}`,
				sent: Buffer.from(canonicalJson(body), 'utf8'),
				forms: canonicalJsonForms(body),
			}));
			expect(compare(cases).mismatches).toEqual([]);
			expect(cases[0].forms[0]).toBe(vectors.vector1_tool_signature_generate.expected_canonical_json);
			expect(cases[1].forms[0]).toBe(v2Canonical);
			expect(Buffer.from(cases[2].forms[0]).toString('base64')).toBe(vectors.vector3_callback_body_b64.expected_data);
		});

		it('controls: the harness catches the old UTF-16 order and kept lone surrogates', () => {
			const issueTitle = { order: { amount: 1250, title: 'Nasi lemak 🍜'.slice(0, 12) } };
			const keyOrder = { 'Ａ': 1, '😀': 2 };
			const generator = new BodyGenerator(SEED, {});
			const random = Array.from({ length: BODIES_PER_CLASS }, () => generator.object());
			const cases = [issueTitle, keyOrder, ...random].map((body, index) => ({
				label: `old canonicaliser #${index}`,
				sent: Buffer.from(utf16Canonical(body as Json), 'utf8'),
				forms: [utf16Canonical(body as Json)],
			}));
			const { mismatches } = compare(cases);
			process.stdout.write(`differential control: old canonicaliser, ${mismatches.length} of ${cases.length} bodies mismatch\n`);
			const caught = new Set(mismatches.map((m) => m.label));
			expect(caught.has('old canonicaliser #0')).toBe(true);
			expect(caught.has('old canonicaliser #1')).toBe(true);
			expect(mismatches.length).toBeGreaterThan(10);
			// and the fixed canonicaliser agrees on those two minimal examples
			expect(canonicalJson(issueTitle)).toBe('{"order":{"amount":1250,"title":"Nasi lemak \ufffd"}}');
			expect(canonicalJson(keyOrder)).toBe('{"Ａ":1,"😀":2}');
			expect(
				compare([issueTitle, keyOrder].map((body, index) => ({ label: `fixed #${index}`, sent: Buffer.from(canonicalJson(body)), forms: [canonicalJson(body)] })))
					.mismatches,
			).toEqual([]);
		}, 120_000);
	});
}
