/**
 * n8n's request helper and connections, with a reproducer and what it costs.
 *
 * Reproducer: a bare custom node sends N GETs through `this.helpers.httpRequest` (n8n-core's
 * WorkflowExecute, support/n8n.ts) to a local server that counts the TCP connections it accepts
 * and the `Connection` header of each request; once as is, and once asking for keep-alive through
 * the only knob a node has (`agentOptions: { keepAlive: true }`). n8n 2.41 builds a new HTTP agent for
 * every request (@n8n/backend-network: setAxiosAgents → buildNodeAgents), so neither can reuse a
 * connection.
 *
 * Cost over HTTPS: a local TLS server (its own process, a throwaway self-signed RSA-2048 certificate)
 * is called with a new agent per request (what n8n does) and with one kept-alive agent (what reuse
 * would give); the difference in this process's CPU time is the client's handshake work. Against RM
 * the wall-clock cost adds the round trips of the TCP and TLS handshakes (see the docs).
 */
import { execFileSync, fork } from 'child_process';
import { mkdirSync } from 'fs';
import http from 'http';
import https from 'https';
import path from 'path';

import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { InMemoryCredentialsHelper, runNode } from '../../support/n8n';
import { cpuTimed, summarize, type RoundSummary } from './measure';
import { tsNodeChildOptions } from './simulator-process';

/** A bare node: one GET per item through n8n's request helper, optionally with agentOptions. */
class PlainGetNode implements INodeType {
	description = {
		displayName: 'Plain GET',
		name: 'plainGet',
		group: ['transform'],
		version: 1,
		description: 'benchmark node',
		defaults: { name: 'Plain GET' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Keep Alive', name: 'keepAlive', type: 'boolean', default: false },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const keepAlive = this.getNodeParameter('keepAlive', 0) as boolean;
		const output: INodeExecutionData[] = [];
		for (let index = 0; index < this.getInputData().length; index++) {
			await this.helpers.httpRequest({ method: 'GET', url, json: true, ...(keepAlive ? { agentOptions: { keepAlive: true } } : {}) });
			output.push({ json: { index }, pairedItem: { item: index } });
		}
		return [output];
	}
}

export interface ConnectionReproduction {
	requests: number;
	/** as n8n sends them */
	connections: number;
	connectionHeaders: Record<string, number>;
	/** with agentOptions: { keepAlive: true } from the node */
	keepAliveAskedConnections: number;
	keepAliveAskedHeaders: Record<string, number>;
}

async function countConnections(requests: number, keepAlive: boolean): Promise<{ connections: number; headers: Record<string, number> }> {
	let connections = 0;
	const headers: Record<string, number> = {};
	const server = http.createServer((request, response) => {
		const value = String(request.headers.connection ?? '(none)');
		headers[value] = (headers[value] ?? 0) + 1;
		response.setHeader('Content-Type', 'application/json');
		response.end('{"ok":true}');
	});
	server.on('connection', () => connections++);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	try {
		const result = await runNode({
			nodeType: new PlainGetNode(),
			typeName: 'bench.plainGet',
			parameters: { url: `http://127.0.0.1:${port}/`, keepAlive },
			items: Array.from({ length: requests }, () => ({})),
			credentialsHelper: new InMemoryCredentialsHelper(),
		});
		if (result.error) throw new Error(`plain GET run failed: ${result.error.message}`);
	} finally {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
	return { connections, headers };
}

export async function reproduceConnectionPerRequest(requests = 200): Promise<ConnectionReproduction> {
	const plain = await countConnections(requests, false);
	const asked = await countConnections(requests, true);
	return {
		requests,
		connections: plain.connections,
		connectionHeaders: plain.headers,
		keepAliveAskedConnections: asked.connections,
		keepAliveAskedHeaders: asked.headers,
	};
}

export interface TlsCost {
	requests: number;
	/** client CPU ms per request, new TLS connection each time (what n8n's helper does) */
	newConnectionCpuMs: RoundSummary;
	/** client CPU ms per request on one kept-alive TLS connection */
	keptAliveCpuMs: RoundSummary;
	/** the difference, per round: the client's handshake work */
	handshakeCpuMs: RoundSummary;
	/** loopback wall ms per request, for reference */
	newConnectionWallMs: RoundSummary;
	keptAliveWallMs: RoundSummary;
}

function get(url: string, agent: https.Agent): Promise<void> {
	return new Promise((resolve, reject) => {
		https
			.get(url, { agent, rejectUnauthorized: false }, (response) => {
				response.resume();
				response.on('end', resolve);
			})
			.on('error', reject);
	});
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl), under .bench/tls/. */
function throwawayCertificate(dir: string): { key: string; cert: string } {
	mkdirSync(dir, { recursive: true });
	const keyFile = path.join(dir, 'key.pem');
	const certFile = path.join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'],
		{ stdio: 'ignore' },
	);
	return { key: keyFile, cert: certFile };
}

export async function measureTlsCost(scratch: string, requests: number, rounds: number): Promise<TlsCost> {
	const files = throwawayCertificate(path.join(scratch, 'tls'));
	const child = fork(path.join(__dirname, 'tls-server-child.ts'), [files.key, files.cert], { ...tsNodeChildOptions(), stdio: 'inherit' });
	try {
		const port = await new Promise<number>((resolve, reject) => {
			child.once('message', (message) => resolve((message as { port: number }).port));
			child.once('exit', (code) => reject(new Error(`TLS server exited (${code})`)));
		});
		const url = `https://127.0.0.1:${port}/`;
		const fresh = async () => {
			for (let index = 0; index < requests; index++) {
				// As n8n does: a new agent (no keep-alive) for every request.
				const agent = new https.Agent();
				await get(url, agent);
				agent.destroy();
			}
		};
		const kept = async () => {
			const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
			for (let index = 0; index < requests; index++) await get(url, agent);
			agent.destroy();
		};
		await fresh();
		await kept();
		const freshCpu: number[] = [];
		const keptCpu: number[] = [];
		const freshWall: number[] = [];
		const keptWall: number[] = [];
		for (let index = 0; index < rounds; index++) {
			const a = await cpuTimed(fresh);
			const b = await cpuTimed(kept);
			freshCpu.push(a.cpuMs / requests);
			keptCpu.push(b.cpuMs / requests);
			freshWall.push(a.wallMs / requests);
			keptWall.push(b.wallMs / requests);
		}
		return {
			requests,
			newConnectionCpuMs: summarize(freshCpu),
			keptAliveCpuMs: summarize(keptCpu),
			handshakeCpuMs: summarize(freshCpu.map((value, index) => value - keptCpu[index])),
			newConnectionWallMs: summarize(freshWall),
			keptAliveWallMs: summarize(keptWall),
		};
	} finally {
		if (child.exitCode === null) child.kill();
	}
}
