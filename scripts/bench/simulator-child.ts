/**
 * The simulator in a process of its own, as Revenue Monster is on another machine: the benchmark's
 * timings and memory figures then hold only the node's work, not the simulator's. Driven over IPC
 * by simulator-process.ts; seeds state directly (customers, 10,000 transactions).
 */
import type { Server } from 'http';

import { seedBoundCustomer } from '../../support/reliability';
import { startSimulator, type RevenueMonsterSimulator, type SimulatorOptions } from '../../simulator/server';

let simulator: RevenueMonsterSimulator | undefined;
/** TCP connections the simulator accepted: shows whether a client reuses connections */
let connections = 0;

const commands: Record<string, (sim: RevenueMonsterSimulator, args: never) => unknown> = {
	seedTransactions: (sim, count: number) => {
		for (let index = 0; index < count; index++) {
			sim.state.addTransaction({
				orderId: sim.state.nextId(),
				title: `Bench order ${index}`,
				detail: 'Benchmark transaction',
				amount: 1000 + (index % 500),
				currency: 'MYR',
				type: 'WEB_PAYMENT',
				method: 'FPX',
				source: 'WEB_PAYMENT',
				storeId: sim.state.stores[0].id,
				status: 'SUCCESS',
			});
		}
		return sim.state.transactions.map((transaction) => transaction.transactionId).slice(-count);
	},
	seedCustomers: (sim, count: number) => Array.from({ length: count }, () => seedBoundCustomer(sim)),
	setOptions: (sim, options: Partial<RevenueMonsterSimulator['options']>) => Object.assign(sim.options, options),
	stats: (sim) => ({ ...sim.stats, charges: sim.state.customerOrders.length, connections }),
	chargesPerCustomer: (sim, ids: string[]) =>
		ids.map((id) => sim.state.customerOrders.filter((order) => order.customerId === id).length),
	/** arrival times (ms) of the API calls whose path contains the text */
	arrivals: (sim, text: string) => sim.log.filter((entry) => entry.path.includes(text)).map((entry) => Date.parse(entry.at)),
	clearLog: (sim) => {
		sim.log.length = 0;
		return true;
	},
};

process.on('message', (message: { id: number; command: string; args?: unknown }) => {
	void (async () => {
		try {
			let result: unknown;
			if (message.command === 'start') {
				simulator = await startSimulator(message.args as SimulatorOptions);
				(simulator as unknown as { server: Server }).server.on('connection', () => connections++);
				result = { url: simulator.url };
			} else if (message.command === 'stop') {
				await simulator?.stop();
				result = true;
			} else {
				if (!simulator) throw new Error('simulator not started');
				const command = commands[message.command];
				if (!command) throw new Error(`unknown command ${message.command}`);
				result = command(simulator, message.args as never);
			}
			process.send?.({ id: message.id, result });
			if (message.command === 'stop') process.disconnect();
		} catch (error) {
			process.send?.({ id: message.id, error: (error as Error).message });
		}
	})();
});
