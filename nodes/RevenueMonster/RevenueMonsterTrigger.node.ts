import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { checkVerificationIsPossible } from './trigger/activation';
import { PAYMENT_WEB_ONLINE, RECURRING_PAYMENT } from './trigger/notification';
import { DEFAULT_TOLERANCE_SECONDS } from './trigger/options';
import { receiveNotification } from './trigger/receive';

export class RevenueMonsterTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Revenue Monster Trigger',
		name: 'revenueMonsterTrigger',
		icon: { light: 'file:../../icons/revenueMonster.svg', dark: 'file:../../icons/revenueMonster.dark.svg' },
		group: ['trigger'],
		version: 1,
		// Words, not RM's codes, on the canvas.
		subtitle:
			'={{ ($parameter["events"] || []).map(event => ({ PAYMENT_WEB_ONLINE: "Online payments", RECURRING_PAYMENT: "Recurring charges" })[event] || event).join(" + ") }}',
		description: 'Starts the workflow once for each successful Revenue Monster payment, after checking it is genuine',
		eventTriggerDescription: 'Waiting for Revenue Monster to notify a successful payment',
		activationMessage:
			'Successful Revenue Monster payments whose notify URL is this trigger’s Production URL now start this workflow.',
		defaults: { name: 'Revenue Monster Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'revenueMonsterApi', required: true }],
		// RM calls the notify URL with POST; its docs label the recurring callback GET, so both are
		// accepted. Same URL: the panel shows it once. When a run starts n8n answers by itself, after
		// the execution is registered: `noData` makes that a 200 with an empty body (without it n8n
		// 2.41 sends the text "firstEntryJson"). Every other answer is written by the node.
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'notify' },
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'notify',
				ndvHideUrl: true,
			},
		],
		triggerPanel: {
			header: 'Receive Revenue Monster payment notifications',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click <b>Execute step</b> (<b>Test this trigger</b> on the canvas), then make a sandbox payment whose notify URL is this node's <b>Test URL</b>. The run shows up in the editor; the Test URL only listens until that first notification.<br /><br /><b>For real payments</b>, use the <b>Production URL</b> as the notify URL and publish the workflow. Each successful payment then starts one execution, listed in the executions list.",
				active:
					"Revenue Monster payments whose notify URL is this node's <b>Production URL</b> start this workflow: one execution per successful payment, listed in the executions list.<br /><br />To see a run in the editor, click <b>Execute step</b> (<b>Test this trigger</b> on the canvas) and pay with the <b>Test URL</b> as the notify URL.",
			},
			activationHint:
				"Publish the workflow so the Production URL receives Revenue Monster's notifications at any time, not just while the editor is listening (Execute step).",
		},
		properties: [
			{
				displayName:
					"Revenue Monster calls the <b>Notify URL</b> you give when you create a checkout or a recurring or tokenized customer (Revenue Monster node). Which of this node's Webhook URLs (above) to give: <b>Test URL</b> while you build: it receives one notification after you click <b>Execute step</b>, and the run shows here. <b>Production URL</b> for real use: it works whenever the workflow is published. Revenue Monster must be able to reach this n8n on the internet.",
				name: 'notifyUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Online Payment Succeeded',
						value: PAYMENT_WEB_ONLINE,
						description: 'A customer paid a hosted or direct checkout (PAYMENT_WEB_ONLINE)',
					},
					{
						name: 'Recurring Charge Succeeded',
						value: RECURRING_PAYMENT,
						description: "Revenue Monster charged a recurring customer's saved card (RECURRING_PAYMENT)",
					},
				],
				default: [PAYMENT_WEB_ONLINE, RECURRING_PAYMENT],
				description:
					'Which successful payments start the workflow. Revenue Monster only notifies successes: poll for failures, refunds and expiries.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				// The protective options are shown with their values from the start, so a user sees what
				// guards them. A collection keeps only the values it holds; the reading side treats a
				// missing one as its default (on), so saved workflows with `options: {}` keep all four on.
				default: {
					verifySignature: true,
					confirmWithApi: true,
					toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
					ignoreDuplicates: true,
				},
				options: [
					{
						displayName: 'Confirm With API',
						name: 'confirmWithApi',
						type: 'boolean',
						default: true,
						description:
							"Whether to look the payment up in Revenue Monster's API before starting the workflow, and start it only if the transaction's status is SUCCESS for the notified amount. The confirmed transaction is added to the output as 'transaction'.",
					},
					{
						displayName: 'Ignore Duplicates',
						name: 'ignoreDuplicates',
						type: 'boolean',
						default: true,
						description:
							'Whether a notification for a payment already received (same transaction or order, same status) is answered without starting the workflow again. Revenue Monster resends notifications until it gets an answer.',
					},
					{
						displayName: 'Time Window (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							"How far the notification's signed time (X-Timestamp) may be from this server's clock. Older notifications are refused, so a captured one cannot be replayed later.",
					},
					{
						displayName: 'Verify Signature',
						name: 'verifySignature',
						type: 'boolean',
						default: true,
						description:
							"Whether to refuse (HTTP 401) any notification not signed with Revenue Monster's server key. Needs the Server Public Key in the credential. Turn off only for testing: without it, anyone who knows the URL can send notifications.",
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Nothing is registered at Revenue Monster (the notify URL is given per checkout or customer).
			// "Does not exist" makes n8n call create(), which checks that verification can work.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await checkVerificationIsPossible.call(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveNotification.call(this);
	}
}
