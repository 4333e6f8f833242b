/** The simulator's fixed demo credentials and key pairs (simulator-only; see keys/README.md). */
import { readFileSync } from 'fs';
import path from 'path';

const read = (name: string) => readFileSync(path.join(__dirname, 'keys', name), 'utf8');

export const SIMULATOR_KEYS = {
	clientId: 'sim-client-1548316308',
	clientSecret: 'sim-secret-do-not-use-in-production',
	merchantPrivateKey: read('merchant-private.pem'),
	merchantPublicKey: read('merchant-public.pem'),
	serverPrivateKey: read('server-private.pem'),
	serverPublicKey: read('server-public.pem'),
};
