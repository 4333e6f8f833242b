/**
 * `npm run simulator [-- --port 4010]`: the local Revenue Monster on 127.0.0.1, until Ctrl-C.
 * Prints the credential values to paste into n8n (environment "custom").
 */
import { startSimulator } from './server';

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
	const simulator = await startSimulator({
		port: Number(argument('port') ?? process.env.RM_SIMULATOR_PORT ?? 4010),
		latencyMs: Number(argument('latency') ?? 0),
	});
	console.log(`Revenue Monster simulator listening on ${simulator.url}`);
	console.log(`Credential (environment "custom"): API and OAuth base URL ${simulator.url}`);
	console.log(`Client ID ${simulator.options.clientId}; full credential values: GET ${simulator.url}/__sim/config`);
	const stop = () => {
		void simulator.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
