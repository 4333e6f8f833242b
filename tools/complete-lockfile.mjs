// Run after any dependency change: `node tools/complete-lockfile.mjs`.
//
// The npm registry these machines reach does not serve other platforms' optional native binaries of
// dev tools (e.g. unrs-resolver's @unrs/resolver-binding-*: 404), so npm leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds a plain entry for
// each optional dependency the lock lacks; npm ci accepts the lock and skips what it cannot fetch,
// as it does for any optional package. (An `overrides` field would also work, but n8n forbids it in
// community packages.)
import { readFileSync, writeFileSync } from 'fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
	for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
		const nested = `${path}/node_modules/${name}`;
		const hoisted = `node_modules/${name}`;
		if (lock.packages[nested] || lock.packages[hoisted]) continue;
		lock.packages[hoisted] = { version, dev: entry.dev, optional: true };
		added++;
	}
}
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} optional entr${added === 1 ? 'y' : 'ies'}`);
