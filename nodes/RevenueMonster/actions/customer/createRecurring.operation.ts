import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { oneOfValues, recurringTargetFor, wholeNumberAtLeast } from '../validation';
import { chargeDayFields, customerBody, customerDetailOptions, newCustomerFields, returnUrlFields } from './shared';
import { additionalFieldsCollection, amountField, amountFrom, currencyField, currencyFrom } from '../fields';

const show = { resource: ['customer'], operation: ['createRecurring'] };

export const description: INodeProperties[] = [
	...newCustomerFields(show),
	currencyField(show, 'recurring charge'),
	amountField(show, 'What Revenue Monster charges the card each time'),
	{
		displayName: 'Interval',
		name: 'recurringInterval',
		type: 'options',
		options: [
			{ name: 'Daily', value: 'DAILY', description: 'Charge every day (no charge day)' },
			{ name: 'Monthly', value: 'MONTHLY', description: 'Charge once a month, on the charge day below' },
			{ name: 'Weekly', value: 'WEEKLY', description: 'Charge once a week, on the charge day below' },
		],
		default: 'MONTHLY',
		description: 'How often Revenue Monster charges the card',
		displayOptions: { show },
	},
	...chargeDayFields(show),
	...returnUrlFields(show),
	additionalFieldsCollection(show, [
		...customerDetailOptions(),
		{
			displayName: 'Number of Charges',
			name: 'recurringRepetition',
			type: 'number',
			default: 12,
			typeOptions: { minValue: 1 },
			description:
				"How many times Revenue Monster charges the card in total. Leave out to use Revenue Monster's default.",
		},
	]),
];

/**
 * Creates the customer and their schedule. Nothing is charged yet: the output's paymentUrl is where
 * the customer enters their card; charges start once it is bound.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const interval = oneOfValues(this, itemIndex, 'Interval', this.getNodeParameter('recurringInterval', itemIndex), [
		'DAILY',
		'WEEKLY',
		'MONTHLY',
	] as const);
	const body: IDataObject = {
		...customerBody(this, itemIndex, additionalFields),
		currency: currencyFrom(this, itemIndex),
		amount: amountFrom(this, itemIndex),
		recurringInterval: interval,
	};
	// "Create Recurring Customer": recurringTarget is optional and has no meaning for DAILY.
	const target = recurringTargetFor(
		this,
		itemIndex,
		'Charge Day',
		interval === 'DAILY' ? undefined : this.getNodeParameter('recurringTarget', itemIndex, ''),
		interval,
	);
	if (target !== undefined) body.recurringTarget = target;
	if (additionalFields.recurringRepetition !== undefined) {
		body.recurringRepetition = wholeNumberAtLeast(
			this,
			itemIndex,
			'Number of Charges',
			additionalFields.recurringRepetition,
			1,
		);
	}
	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/recurring-payment',
		body,
		itemIndex,
	});
	return [{ json: response.item as IDataObject }];
}
