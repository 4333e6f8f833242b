import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import {
	emailAddress,
	invalidParameter,
	oneOfValues,
	textFrom,
	textUpTo,
} from '../validation';
import { PAYMENT_METHODS } from './shared';
import {
	additionalFieldsCollection,
	amountField,
	amountFrom,
	currencyField,
	currencyFrom,
	notifyUrlField,
	orderIdField,
	redirectUrlField,
	returnUrlsFrom,
	storeIdField,
} from '../fields';

const show = { resource: ['checkout'], operation: ['create'] };

/**
 * The 2022 "Web/Mobile Payment" page lists v1 to v3; v4 is in RM's current "Online Payment" page
 * (docs v2, Hosted Payment Checkout: layoutVersion ENUM("v1", "v2", "v3", "v4")) and RM's WooCommerce
 * plugin sends it. v3 is in every version of the docs, so it stays the default.
 */
const LAYOUT_VERSIONS = ['v1', 'v2', 'v3', 'v4'] as const;
const DEFAULT_LAYOUT_VERSION = 'v3';

/**
 * New on every run and item, so re-running a step never repeats one (RM: ORDER_ID_DUPLICATE), and at most
 * 24 characters up to item 99 999: "ORD" + time to the millisecond (15) + "-" + the item index.
 */
export const ORDER_ID_EXPRESSION = "={{ 'ORD' + $now.toFormat('yyMMddHHmmssSSS') + '-' + $itemIndex }}";

export const description: INodeProperties[] = [
	storeIdField(show, 'the payment goes to'),
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{
				name: 'Mobile Payment',
				value: 'MOBILE_PAYMENT',
				description: 'The customer pays inside your mobile app',
			},
			{
				name: 'Web Payment',
				value: 'WEB_PAYMENT',
				description: 'The customer pays in a web browser, on a computer or a phone',
			},
		],
		default: 'WEB_PAYMENT',
		description: 'Where the customer opens the payment page',
		displayOptions: { show },
	},
	{
		...orderIdField(
			show,
			'Your own reference for this payment, at most 24 characters. It must be new for every checkout, also when a step is re-run: Revenue Monster refuses one it has seen before. The default makes one from the time and the item (ORD250130091502123-0). Transaction → Get by Order ID finds the payment with it.',
		),
		default: ORDER_ID_EXPRESSION,
	},
	{
		displayName: 'Order Title',
		name: 'orderTitle',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Invoice 0001',
		description: 'What the customer is paying for, shown on the payment page; at most 32 characters',
		displayOptions: { show },
	},
	currencyField(show, 'payment'),
	amountField(show, 'How much the customer pays'),
	redirectUrlField(
		show,
		'https://shop.example.com/thank-you',
		'Where Revenue Monster sends the customer after paying, failing or cancelling. The page is told the status, but that is not proof of payment: use the notify URL or Transaction → Get by Order ID.',
	),
	notifyUrlField(show, 'Where Revenue Monster reports the payment once it succeeds'),
	additionalFieldsCollection(show, [
		{
			displayName: 'Customer Country Code',
			name: 'customerCountryCode',
			type: 'string',
			default: '',
			placeholder: '60',
			description: "Calling code of the customer's phone number, digits only (60 for Malaysia)",
		},
		{
			displayName: 'Customer Email',
			name: 'customerEmail',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: "The customer's email address, filled in on the payment page",
		},
		{
			displayName: 'Customer Phone Number',
			name: 'customerPhoneNumber',
			type: 'string',
			default: '',
			placeholder: '123456789',
			description: 'Phone number without the country code',
		},
		{
			displayName: 'Customer User ID',
			name: 'customerUserId',
			type: 'string',
			default: '',
			placeholder: 'customer-42',
			description:
				'Your own ID for the customer. Needed when card saving (tokenization) is on for your account: the cards they save are listed under this ID (Card Token → Get Many).',
		},
		{
			displayName: 'Layout Version',
			name: 'layoutVersion',
			type: 'options',
			options: [
				{ name: 'V1', value: 'v1' },
				{ name: 'V2', value: 'v2' },
				{ name: 'V3', value: 'v3' },
				{ name: 'V4', value: 'v4' },
			],
			default: DEFAULT_LAYOUT_VERSION,
			description:
				"Design of Revenue Monster's payment page. Without this field v3 is used. V4 is listed by Revenue Monster's current Online Payment documentation (the 2022 pages list v1 to v3).",
		},
		{
			displayName: 'Open One Method Directly',
			name: 'individualMethod',
			type: 'options',
			options: [{ name: 'No (Show Every Method)', value: '' }, ...PAYMENT_METHODS],
			default: '',
			description:
				"Make the output URL open this method's payment at once instead of the page listing every method (Revenue Monster's \"Individual Payment Checkout\": the checkout URL with &method= appended). The page's own URL stays in checkoutUrl.",
		},
		{
			displayName: 'Order Additional Data',
			name: 'orderAdditionalData',
			type: 'string',
			default: '',
			description:
				'Your own data kept with the payment and returned in the transaction, at most 128 characters (for example an internal reference)',
		},
		{
			displayName: 'Order Detail',
			name: 'orderDetail',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'Longer description of the order, at most 600 characters',
		},
		{
			displayName: 'Payment Methods',
			name: 'methods',
			type: 'multiOptions',
			options: PAYMENT_METHODS,
			default: [],
			description:
				'Which ways to pay the page offers. Leave empty to offer every method active on your Revenue Monster account; a method that is not active makes Revenue Monster refuse the checkout.',
		},
	]),
];

/** The optional customer details, as RM's `customer` object; undefined when none is given. */
function customerOf(context: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject | undefined {
	const customer: IDataObject = {};
	const userId = textUpTo(context, itemIndex, 'Customer User ID', fields.customerUserId);
	if (userId) customer.userId = userId;
	if (textUpTo(context, itemIndex, 'Customer Email', fields.customerEmail)) {
		customer.email = emailAddress(context, itemIndex, 'Customer Email', fields.customerEmail);
	}
	const countryCode = textUpTo(context, itemIndex, 'Customer Country Code', fields.customerCountryCode);
	if (countryCode) customer.countryCode = countryCode;
	const phoneNumber = textUpTo(context, itemIndex, 'Customer Phone Number', fields.customerPhoneNumber);
	if (phoneNumber) customer.phoneNumber = phoneNumber;
	return Object.keys(customer).length ? customer : undefined;
}

function methodsOf(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : String(value).split(',');
	const methods = list.map((method) => String(method).trim()).filter((method) => method !== '');
	// Expressions can put anything here; RM only knows region-suffixed names such as TNG_MY.
	const wrong = methods.find((method) => !/^[A-Z0-9]+_[A-Z]{2}$/.test(method));
	if (wrong !== undefined) {
		throw invalidParameter(
			context,
			itemIndex,
			'Payment Methods',
			value,
			`contains ${JSON.stringify(wrong)}, which is not a method name with its region, such as TNG_MY`,
		);
	}
	return methods;
}

/** The method the URL opens directly, if any; it must be one the checkout offers. */
function individualMethodOf(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	offered: string[],
): string | undefined {
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	const method = String(value).trim();
	if (!/^[A-Z0-9]+_[A-Z]{2}$/.test(method)) {
		throw invalidParameter(context, itemIndex, 'Open One Method Directly', value, 'is not a method name with its region, such as TNG_MY');
	}
	if (offered.length > 0 && !offered.includes(method)) {
		throw invalidParameter(
			context,
			itemIndex,
			'Open One Method Directly',
			value,
			'is not one of the Payment Methods this checkout offers',
		);
	}
	return method;
}

/**
 * "Individual Payment Checkout" (2022 "Web/Mobile Payment" page, Advance Options): the checkout URL
 * with `&method=TNG_MY` appended opens that method directly.
 */
function withMethod(url: string, method: string): string {
	const separator = url.includes('?') ? '&' : '?';
	return `${url}${separator}method=${encodeURIComponent(method)}`;
}

/**
 * Opens a hosted payment page for one order. Nothing is charged yet: send the customer to the
 * output's `url`; the payment is confirmed by the notify URL or Transaction → Get by Order ID.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const order: IDataObject = {
		id: textFrom(this, itemIndex, 'orderId', 'Order ID', { required: true, max: 24 }),
		title: textFrom(this, itemIndex, 'orderTitle', 'Order Title', { required: true, max: 32 }),
		currencyType: currencyFrom(this, itemIndex),
		amount: amountFrom(this, itemIndex),
	};
	const detail = textUpTo(this, itemIndex, 'Order Detail', fields.orderDetail, { max: 600 });
	if (detail) order.detail = detail;
	const additionalData = textUpTo(this, itemIndex, 'Order Additional Data', fields.orderAdditionalData, { max: 128 });
	if (additionalData) order.additionalData = additionalData;

	const body: IDataObject = {
		storeId: textFrom(this, itemIndex, 'storeId', 'Store', { required: true }),
		type: oneOfValues(this, itemIndex, 'Type', this.getNodeParameter('type', itemIndex), [
			'WEB_PAYMENT',
			'MOBILE_PAYMENT',
		] as const),
		...returnUrlsFrom(this, itemIndex),
		layoutVersion: oneOfValues(
			this,
			itemIndex,
			'Layout Version',
			fields.layoutVersion ?? DEFAULT_LAYOUT_VERSION,
			LAYOUT_VERSIONS,
		),
		method: methodsOf(this, itemIndex, fields.methods),
		order,
	};
	const customer = customerOf(this, itemIndex, fields);
	if (customer) body.customer = customer;

	const individualMethod = individualMethodOf(this, itemIndex, fields.individualMethod, body.method as string[]);

	const response = await revenueMonsterRequest.call(this, {
		method: 'POST',
		path: '/v3/payment/online',
		body,
		itemIndex,
	});
	const item = (response.item ?? {}) as IDataObject;
	if (!individualMethod || typeof item.url !== 'string' || item.url === '') return [{ json: item }];
	return [{ json: { ...item, url: withMethod(item.url, individualMethod), checkoutUrl: item.url } }];
}
