/** Fields and body parts the customer operations have in common. */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { emailAddress, textFrom, textUpTo } from '../validation';
import {
	customerIdField,
	notifyUrlField,
	redirectUrlField,
	returnUrlsFrom,
	storeIdField,
	type Show,
} from '../fields';

/** The ID of a customer created by Create Recurring or Create Tokenized. */
export function createdCustomerIdField(show: Show): INodeProperties {
	return customerIdField(
		show,
		'The ID Revenue Monster gave the customer when it was created (the "ID" in the output of Create Recurring Customer or Create Tokenized Customer)',
	);
}

/** The fields both kinds of customer start with: the store and the email address. */
export function newCustomerFields(show: Show): INodeProperties[] {
	return [
		storeIdField(show, 'the payments are made to'),
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			required: true,
			default: '',
			description: "The customer's email address",
			displayOptions: { show },
		},
	];
}

/** Where the customer's browser returns after binding a card, and where RM reports each payment. */
export function returnUrlFields(show: Show): INodeProperties[] {
	return [
		redirectUrlField(
			show,
			'https://shop.example.com/card-saved',
			'Where Revenue Monster sends the customer after they enter their card. The page is told the outcome, but that is not proof of anything: use the notify URL or Get Customer.',
		),
		notifyUrlField(show, 'Where Revenue Monster reports each successful payment'),
	];
}

/** The optional details both kinds of customer take, in the "Additional Fields" collection. */
export function customerDetailOptions(): INodeProperties[] {
	return [
		{
			displayName: 'Country Code',
			name: 'countryCode',
			type: 'string',
			default: '',
			placeholder: '60',
			description: 'Calling code of the phone number, digits only (60 for Malaysia)',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: "The customer's name",
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			placeholder: '123456789',
			description: 'Phone number without the country code',
		},
		{
			displayName: 'Product Description',
			name: 'productDescription',
			type: 'string',
			default: '',
			description: 'What the customer is paying for, as shown on the card binding page',
		},
		{
			displayName: 'Product Name',
			name: 'productName',
			type: 'string',
			default: '',
			description: 'Name of what the customer is paying for, as shown on the card binding page',
		},
	];
}

/** storeId, email, URLs and the optional details, checked, for either kind of customer. */
export function customerBody(
	context: IExecuteFunctions,
	itemIndex: number,
	additionalFields: IDataObject,
): IDataObject {
	const body: IDataObject = {
		storeId: textFrom(context, itemIndex, 'storeId', 'Store', { required: true }),
		email: emailAddress(context, itemIndex, 'Email', context.getNodeParameter('email', itemIndex)),
		...returnUrlsFrom(context, itemIndex),
	};
	const details: Array<[string, string]> = [
		['name', 'Name'],
		['countryCode', 'Country Code'],
		['phoneNumber', 'Phone Number'],
		['productName', 'Product Name'],
		['productDescription', 'Product Description'],
	];
	for (const [name, label] of details) {
		const text = textUpTo(context, itemIndex, label, additionalFields[name]);
		if (text !== '') body[name] = text;
	}
	return body;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ordinal(day: number): string {
	const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
	return `${day}${suffix}`;
}

/** RM's WEEKLY targets: "0" (Sunday) to "6" (Saturday), as the "Create Recurring Customer" page lists them. */
const WEEKLY_TARGETS: INodePropertyOptions[] = WEEKDAYS.map((name, day) => ({ name, value: String(day) }));

/** RM's MONTHLY targets: "1" to "28", and "-1" for the last day of the month. */
const MONTHLY_TARGETS: INodePropertyOptions[] = [
	...Array.from({ length: 28 }, (_, index) => ({ name: ordinal(index + 1), value: String(index + 1) })),
	{ name: 'Last Day of the Month', value: '-1' },
];

/**
 * The charge day (`recurringTarget`): a weekday for WEEKLY, a day of the month for MONTHLY, and no
 * field at all for DAILY, which takes none. Both pickers share the released parameter name.
 */
export function chargeDayFields(show: IDataObject): INodeProperties[] {
	return [
		{
			displayName: 'Charge Day',
			name: 'recurringTarget',
			type: 'options',
			options: WEEKLY_TARGETS,
			required: true,
			default: '1',
			description: 'The day of the week the card is charged',
			displayOptions: { show: { ...show, recurringInterval: ['WEEKLY'] } },
		},
		{
			displayName: 'Charge Day',
			name: 'recurringTarget',
			type: 'options',
			options: MONTHLY_TARGETS,
			required: true,
			default: '1',
			description:
				'The day of the month the card is charged. Months have at least 28 days; choose "Last Day of the Month" for the end of every month.',
			displayOptions: { show: { ...show, recurringInterval: ['MONTHLY'] } },
		},
	];
}
