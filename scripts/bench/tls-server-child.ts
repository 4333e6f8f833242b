/** A local HTTPS server in its own process (so its CPU time is not the client's): connections.ts. */
import { readFileSync } from 'fs';
import https from 'https';

const [keyFile, certFile] = process.argv.slice(2);
const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_request, response) => {
	response.setHeader('Content-Type', 'application/json');
	response.end('{"ok":true}');
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
	process.send?.({ port: (server.address() as { port: number }).port });
});
process.on('disconnect', () => process.exit(0));
