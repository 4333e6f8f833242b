import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { apiPath } from '../../transport/url';
import { checkChargeOutcome } from '../charge-outcome';
import { oneOfValues, ringgitCurrency, textUpTo } from '../validation';
import { amountField, amountFrom, currencyField, timeoutFrom, timeoutOptions } from '../fields';

const show = { resource: ['order'], operation: ['create'] };

/** RM has published the charge at three paths; the route picks one (revenue-monster-api.md §6). */
const ROUTES = {
	customerOrder: (customerId: string) => apiPath('/v3/customer', customerId, 'order'),
	recurringAdhocOrder: (customerId: string) => apiPath('/v3/recurring-payment', customerId, 'order'),
	recurringCharge: (customerId: string) => apiPath('/v3/recurring-payment', customerId, 'charge'),
};
type Route = keyof typeof ROUTES;

export const description: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1671703158559365205',
		description: 'The customer whose saved card is charged (a recurring or tokenized customer who has bound a card)',
		displayOptions: { show },
	},
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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
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
		],
	},
	timeoutOptions(show),
];

/**
 * Charges the saved card now. Paid only when the output's `paid` is true; a declined card is an
 * error naming the transaction and the reason; IN_PROCESS comes out with paid: false (check again
 * later with Transaction → Get). A charge whose answer is lost is never sent twice (transport).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const customerId = textUpTo(this, itemIndex, 'Customer ID', this.getNodeParameter('customerId', itemIndex), {
		required: true,
	});
	const route = oneOfValues(this, itemIndex, 'Route', this.getNodeParameter('route', itemIndex, 'customerOrder'), [
		'customerOrder',
		'recurringAdhocOrder',
		'recurringCharge',
	] as Route[]);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		currency: ringgitCurrency(this, itemIndex, 'Currency', this.getNodeParameter('currency', itemIndex)),
		amount: amountFrom(this, itemIndex),
	};
	const title = textUpTo(this, itemIndex, 'Title', additionalFields.title, { max: 32 });
	if (title) body.title = title;
	const note = textUpTo(this, itemIndex, 'Description', additionalFields.description);
	if (note) body.description = note;
	const timeout = timeoutFrom(this, itemIndex);

	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: ROUTES[route](customerId),
		body,
		itemIndex,
		timeout,
	});
	return [{ json: checkChargeOutcome(this, itemIndex, response.item, response) }];
}
