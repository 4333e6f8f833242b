import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { checkChargeOutcome } from '../charge-outcome';
import { invalidParameter, oneOfValues, textFrom, textUpTo } from '../validation';
import {
	additionalFieldsCollection,
	amountField,
	amountFrom,
	currencyField,
	currencyFrom,
	customerIdField,
	timeoutFrom,
	timeoutOptions,
} from '../fields';
import { alreadyChargedOutput, findRecentCharge, merchantKeyOf, oneAtATimePerCustomer } from './charge-guard';

const show = { resource: ['order'], operation: ['create'] };

/** RM has published the charge at three paths; the route picks one (revenue-monster-api.md §6). */
const ROUTES = {
	customerOrder: (customerId: string) => apiPath('/v3/customer', customerId, 'order'),
	recurringAdhocOrder: (customerId: string) => apiPath('/v3/recurring-payment', customerId, 'order'),
	recurringCharge: (customerId: string) => apiPath('/v3/recurring-payment', customerId, 'charge'),
};
type Route = keyof typeof ROUTES;

/** Options → Skip If Charged Within (Hours): the charge guard (./charge-guard.ts). */
const chargeGuardOption: INodeProperties = {
	displayName: 'Skip If Charged Within (Hours)',
	name: 'skipIfChargedWithinHours',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	placeholder: '480',
	description:
		'Makes a billing run safe to run again. Before charging, the customer’s orders are read from Revenue Monster; if one with status SUCCESS or IN_PROCESS, the same amount and the same currency was created within this many hours, nothing is charged and that order is output with alreadyCharged: true. Use a little less than the billing period: 480 (20 days) for monthly billing, 144 (6 days) for weekly. Empty or 0 = off. If the orders cannot be read, nothing is charged (error).',
};

/** The shared Options (Timeout) plus the guard, in the alphabetical order n8n's editor rules want. */
function optionsWithChargeGuard(): INodeProperties {
	const options = timeoutOptions(show);
	return {
		...options,
		options: [...(options.options as INodeProperties[]), chargeGuardOption].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** Hours of the guard's window, or undefined when the guard is off (empty or 0). */
function chargeGuardHoursFrom(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const hours = options.skipIfChargedWithinHours;
	if (hours === undefined || hours === null || hours === '' || hours === 0) return undefined;
	const value = Number(hours);
	if (!Number.isFinite(value) || value < 0) {
		throw invalidParameter(context, itemIndex, 'Skip If Charged Within (Hours)', hours, 'is not a number of hours');
	}
	return value === 0 ? undefined : value;
}

export const description: INodeProperties[] = [
	customerIdField(
		show,
		'The customer whose saved card is charged (a recurring or tokenized customer who has bound a card)',
	),
	currencyField(show, 'charge'),
	amountField(show, 'How much to take from the card'),
	{
		displayName: 'Route',
		name: 'route',
		type: 'options',
		options: [
			{
				name: 'Customer Order',
				value: 'customerOrder',
				description:
					"POST /v3/customer/{ID}/order, the path Revenue Monster's SDKs use. Works for both kinds of customer.",
			},
			{
				name: 'Recurring Adhoc Order',
				value: 'recurringAdhocOrder',
				description: 'POST /v3/recurring-payment/{ID}/order, from the 2022 API documentation',
			},
			{
				name: 'Recurring Charge',
				value: 'recurringCharge',
				description: 'POST /v3/recurring-payment/{ID}/charge, from the 2026 API documentation',
			},
		],
		default: 'customerOrder',
		description:
			'Which of the API paths Revenue Monster has published for this charge to use. Keep the default unless Revenue Monster tells you otherwise.',
		displayOptions: { show },
	},
	additionalFieldsCollection(show, [
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'Longer note about the charge, kept with the transaction',
		},
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: 'What the charge is for, up to 32 characters, shown on the transaction',
		},
	]),
	optionsWithChargeGuard(),
];

/**
 * Charges the saved card now. Paid only when the output's `paid` is true; a declined card is an
 * error naming the transaction and the reason; IN_PROCESS comes out with paid: false (check again
 * later with Transaction → Get). A charge whose answer is lost is never sent twice (transport).
 * With the guard on, a recent matching order in RM is output instead of charging again.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerId = textFrom(this, itemIndex, 'customerId', 'Customer ID', { required: true });
	const route = oneOfValues(this, itemIndex, 'Route', this.getNodeParameter('route', itemIndex, 'customerOrder'), [
		'customerOrder',
		'recurringAdhocOrder',
		'recurringCharge',
	] as Route[]);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		currency: currencyFrom(this, itemIndex),
		amount: amountFrom(this, itemIndex),
	};
	const title = textUpTo(this, itemIndex, 'Title', additionalFields.title, { max: 32 });
	if (title) body.title = title;
	const note = textUpTo(this, itemIndex, 'Description', additionalFields.description);
	if (note) body.description = note;
	const timeout = timeoutFrom(this, itemIndex);
	const guardHours = chargeGuardHoursFrom(this, itemIndex);

	const charge = async (): Promise<INodeExecutionData[]> => {
		const response = await revenueMonsterRequest.call(this, {
			method: 'POST',
			path: ROUTES[route](customerId),
			body,
			itemIndex,
			timeout,
		});
		return [{ json: checkChargeOutcome(this, itemIndex, response.item, response) }];
	};
	if (guardHours === undefined) return await charge();

	// One at a time per merchant and customer in this whole n8n process, across executions (charge-guard.ts).
	return await oneAtATimePerCustomer(await merchantKeyOf(this), customerId, async () => {
		const earlier = await findRecentCharge.call(this, {
			customerId,
			amount: body.amount as number,
			currency: body.currency as string,
			withinHours: guardHours,
			itemIndex,
		});
		if (earlier) return [{ json: alreadyChargedOutput(earlier) }];
		const [charged] = await charge();
		return [{ json: { ...charged.json, alreadyCharged: false } }];
	});
}
