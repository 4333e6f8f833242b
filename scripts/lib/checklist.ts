/** What a script checked, printed as it goes: `ok`, `FAIL` or `SKIPPED`, with a summary at the end. */
export class Checklist {
	private passed = 0;
	readonly failures: string[] = [];
	readonly skipped: string[] = [];
	private readonly started = Date.now();

	section(title: string): void {
		console.log(`\n== ${title} (${this.elapsed()})`);
	}

	/** Records one check; returns whether it held. */
	check(what: string, holds: boolean, detail?: unknown): boolean {
		if (holds) {
			this.passed++;
			console.log(`  ok    ${what}`);
		} else {
			this.failures.push(what);
			console.log(`  FAIL  ${what}${detail === undefined ? '' : `\n        got: ${describe(detail)}`}`);
		}
		return holds;
	}

	/** A check the rest of the run depends on: stops the run when it does not hold. */
	require(what: string, holds: boolean, detail?: unknown): void {
		if (!this.check(what, holds, detail)) throw new Error(`cannot go on: ${what}`);
	}

	skip(what: string, reason: string): void {
		this.skipped.push(`${what} (${reason})`);
		console.log(`  SKIPPED  ${what}: ${reason}`);
	}

	note(text: string): void {
		console.log(`        ${text}`);
	}

	elapsed(): string {
		return `${Math.round((Date.now() - this.started) / 1000)} s`;
	}

	/** Prints the summary; true when nothing failed. */
	summary(): boolean {
		console.log(
			`\n== Summary after ${this.elapsed()}: ${this.passed} checks passed, ${this.failures.length} failed, ${this.skipped.length} skipped`,
		);
		for (const failure of this.failures) console.log(`  FAIL     ${failure}`);
		for (const skipped of this.skipped) console.log(`  SKIPPED  ${skipped}`);
		return this.failures.length === 0;
	}
}

function describe(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
