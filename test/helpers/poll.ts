/**
 * Runs a polling trigger the way n8n 2.41's main process does, with n8n-core's real PollContext
 * (credentials, httpRequestWithAuthentication, getWorkflowStaticData). The one part modelled here is
 * when the static data reaches the database, read from n8n 2.41.1's own code
 * (workflows/triggers/trigger-execution-context.factory.js, active-workflow-manager.js):
 *
 * - after activation (whose first poll runs at once) the static data is saved;
 * - a poll that emits saves it (`__emit` → saveStaticData);
 * - a poll that returns null saves nothing (without the opt-in durable cursors): its changes live
 *   only in the running process's Workflow object until the next save.
 *
 * `restart()` builds a fresh Workflow from what was saved, as n8n does after a restart.
 * `scripts/e2e.ts` checks the real thing in a real n8n.
 */
import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeType, WorkflowActivateMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalDataFor, CREDENTIAL_ID, TestNodeTypes, type InMemoryCredentialsHelper } from '../../support/n8n';

const TYPE_NAME = 'n8n-nodes-revenuemonster.revenueMonsterTransactionTrigger';

export class PollHarness {
	/** the static data as n8n's database holds it */
	saved: IDataObject = {};
	private workflow: Workflow;
	private readonly node: INode;

	constructor(
		private readonly nodeType: INodeType,
		parameters: IDataObject,
		private readonly credentialsHelper: InMemoryCredentialsHelper,
	) {
		this.node = {
			id: 'poller',
			name: 'Transaction Trigger',
			type: TYPE_NAME,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters } as INode['parameters'],
			credentials: { revenueMonsterApi: { id: CREDENTIAL_ID, name: 'Revenue Monster (simulator)' } },
		};
		this.workflow = this.build();
	}

	private build(): Workflow {
		return new Workflow({
			id: 'poll-workflow',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes({ [TYPE_NAME]: this.nodeType }),
			staticData: JSON.parse(JSON.stringify(this.saved)) as IDataObject,
		});
	}

	private async runPoll(
		mode: 'trigger' | 'manual',
		activation: WorkflowActivateMode,
	): Promise<INodeExecutionData[][] | null> {
		const context = new PollContext(
			this.workflow,
			this.node,
			additionalDataFor(this.credentialsHelper),
			mode,
			activation,
		);
		return await this.nodeType.poll!.call(context);
	}

	private save(): void {
		const { __dataChanged: _changed, ...data } = JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
		this.saved = data;
	}

	/** Publishing: the first poll runs at once, then the static data is saved. */
	async activate(): Promise<IDataObject[]> {
		const result = await this.runPoll('trigger', 'activate');
		this.save();
		return result?.[0].map((item) => item.json) ?? [];
	}

	/** A scheduled poll; saved only when it emits. */
	async poll(): Promise<IDataObject[]> {
		const result = await this.runPoll('trigger', 'activate');
		if (result === null) return [];
		this.save();
		return result[0].map((item) => item.json);
	}

	/** "Fetch Test Event" in the editor. */
	async fetchTestEvent(): Promise<IDataObject[]> {
		const result = await this.runPoll('manual', 'manual');
		return result?.[0].map((item) => item.json) ?? [];
	}

	/** n8n restarts: the running Workflow (and what only it held) is gone; the saved static data stays. */
	restart(): void {
		this.workflow = this.build();
	}
}
