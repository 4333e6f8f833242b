/**
 * Cross-process payment keys (queue mode), against a model of what n8n 2.41 does with a webhook's
 * static data: each request loads the whole of it from the database, the webhook function runs, and
 * n8n saves the whole of it afterwards when it changed (last writer wins). The model is checked against
 * the real cluster by `npm run test:queue`.
 */
import type { IDataObject } from 'n8n-workflow';

import { RESTORE_WITHIN_MS, SharedPaymentKeys, type KeyShareStore } from '../../nodes/RevenueMonster/trigger/shared-claims';

const SCOPE = 'workflow1:trigger';

/** The `workflow_entity.staticData` of one workflow: the node's part only. */
class Database {
	saved: IDataObject = {};
	load(): IDataObject {
		return JSON.parse(JSON.stringify(this.saved)) as IDataObject;
	}
	save(loaded: string, data: IDataObject): void {
		// n8n saves only when the function changed the static data.
		if (JSON.stringify(data) !== loaded) this.saved = JSON.parse(JSON.stringify(data)) as IDataObject;
	}
}

/** One webhook process: its own memory; a request = load, decide, (commit), save later. */
class WebhookProcess {
	readonly store: KeyShareStore = new Map();
	clock = 1_000_000;
	constructor(
		private readonly db: Database,
		private readonly share: boolean,
	) {}

	/** Loads the static data and decides; returns `save` (n8n saves after the run is queued) and whether a run starts. */
	receive(key: string): { runs: boolean; save: () => void } {
		const data = this.db.load();
		const loaded = JSON.stringify(data);
		const shared = new SharedPaymentKeys(data, SCOPE, { store: this.store, nowMs: () => this.clock });
		if (this.share) shared.exchange();
		const stored = Array.isArray(data.acceptedPayments) ? (data.acceptedPayments as string[]) : [];
		// The trigger's own check: committed here (process memory) or saved by anyone.
		const seen = stored.includes(key) || (this.share ? shared.has(key) : this.local.has(key));
		if (!seen) {
			data.acceptedPayments = [...stored, key];
			this.local.add(key);
			shared.committed(key);
		}
		return { runs: !seen, save: () => this.db.save(loaded, data) };
	}

	private readonly local = new Set<string>();
}

function overwriteScenario(share: boolean): number {
	const db = new Database();
	const a = new WebhookProcess(db, share);
	const b = new WebhookProcess(db, share);
	let runs = 0;
	// P1 on A and P2 on B at the same time: both load the empty static data.
	const p1 = a.receive('P1');
	const p2 = b.receive('P2');
	runs += Number(p1.runs);
	p1.save(); // [P1]
	p2.save(); // [P2]: B's save overwrites P1
	// A handles something else next (a third payment), then RM resends P1 and it lands on B.
	const p3 = a.receive('P3');
	p3.save();
	const copy = b.receive('P1');
	runs += Number(copy.runs);
	copy.save();
	return runs;
}

describe('shared payment keys across webhook processes', () => {
	it('a key dropped by another process overwriting the static data is put back by the next save of a process that saw it', () => {
		expect(overwriteScenario(true)).toBe(1);
	});

	it('control: without the exchange the overwritten key is lost and the resent copy runs again', () => {
		expect(overwriteScenario(false)).toBe(2);
	});

	it('a process keeps keys it loaded, and restores them after a third process overwrote them', () => {
		const db = new Database();
		const [a, b, c] = [new WebhookProcess(db, true), new WebhookProcess(db, true), new WebhookProcess(db, true)];
		a.receive('P1').save(); // [P1]
		const stale = c.receive('P9'); // C loads [P1]…
		b.receive('P2').save(); // B loads [P1], learns it, saves [P1, P2]
		db.saved = { acceptedPayments: ['P0'] }; // …an unrelated overwrite drops both
		stale.save(); // C saves [P1, P9] (it never saw P2)
		b.receive('P5').save(); // B puts P2 back
		expect(db.saved.acceptedPayments).toEqual(expect.arrayContaining(['P1', 'P2', 'P9', 'P5']));
	});

	it('changes nothing (so n8n saves nothing) when the static data already holds every key', () => {
		const db = new Database();
		const a = new WebhookProcess(db, true);
		a.receive('P1').save();
		const data = db.load();
		const shared = new SharedPaymentKeys(data, SCOPE, { store: a.store, nowMs: () => a.clock });
		expect(shared.exchange()).toBe(0);
		expect(data).toEqual(db.saved);
	});

	it('does not put back a key older than the restore window (it aged out of the capped list on purpose)', () => {
		const db = new Database();
		const a = new WebhookProcess(db, true);
		a.receive('OLD').save();
		db.saved = { acceptedPayments: ['NEWER'] };
		a.clock += RESTORE_WITHIN_MS + 1;
		const data = db.load();
		expect(new SharedPaymentKeys(data, SCOPE, { store: a.store, nowMs: () => a.clock }).exchange()).toBe(0);
		expect(data.acceptedPayments).toEqual(['NEWER']);
	});
});
