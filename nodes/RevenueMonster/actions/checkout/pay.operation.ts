import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { revenueMonsterRequest } from '../../transport/request';
import { checkChargeOutcome } from '../charge-outcome';
import { checkoutIdField } from '../fields';
import { oneOfValues, textFrom, textUpTo } from '../validation';
import {
	CARD_COUNTRY_CODE,
	cardFields,
	readCard,
	scrubCardFromError,
	withoutCardSecrets,
	type CardDetails,
} from './card';
import { PAYMENT_METHODS } from './shared';

const show = { resource: ['checkout'], operation: ['pay'] };

const MODES = [
	'url',
	'qrcode',
	'duitnowQrcode',
	'miniProgram',
	'fpx',
	'gobiz',
	'gobizCard',
	'gobizToken',
] as const;
type Mode = (typeof MODES)[number];

/** FPX and GoBiz have modes of their own (they need a bank or card). */
const SINGLE_METHODS = PAYMENT_METHODS.filter((method) => method.value !== 'FPX_MY' && method.value !== 'GOBIZ_MY');

const MINI_PROGRAM_METHODS = [
	{ name: 'Alipay (China)', value: 'ALIPAY_CN' },
	{ name: 'WeChat Pay (China)', value: 'WECHATPAY_CN' },
	{ name: 'WeChat Pay (Malaysia)', value: 'WECHATPAY_MY' },
];

/** The one method the "Online Payment" page allows for a DuitNow QR code. */
const DUITNOW_METHOD = 'MAYBANK_MY';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const description: INodeProperties[] = [
	checkoutIdField(show),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Card Details (GoBiz)',
				value: 'gobizCard',
				description: 'Send the card number, expiry and CVC; the output URL is where the customer confirms the payment (3-D Secure). Nothing is paid until they do. Only for merchants allowed to handle card numbers (PCI DSS).',
			},
			{
				name: 'Card Payment Page (GoBiz)',
				value: 'gobiz',
				description: 'Get a link to a page where the customer enters their card',
			},
			{
				name: 'DuitNow QR Code',
				value: 'duitnowQrcode',
				description: 'Get a DuitNow QR code that any Malaysian banking or e-wallet app can pay; the image comes out as a PNG file',
			},
			{
				name: 'FPX Online Banking',
				value: 'fpx',
				description: "Get a link straight to the chosen bank's online banking login",
			},
			{
				name: 'Mini Program',
				value: 'miniProgram',
				description: 'Get the data an Alipay or WeChat mini program needs to pay',
			},
			{
				name: 'Payment Link',
				value: 'url',
				description: 'Get a link that opens the chosen e-wallet or method directly',
			},
			{
				name: 'QR Code',
				value: 'qrcode',
				description: 'Get a QR code the customer scans with the chosen e-wallet; the image comes out as a PNG file',
			},
			{
				name: 'Saved Card (GoBiz)',
				value: 'gobizToken',
				description: 'Charge a card the customer saved in an earlier checkout, at once; the card stays saved unless you choose otherwise',
			},
		],
		default: 'url',
		description: 'How the customer pays this checkout',
		displayOptions: { show },
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: SINGLE_METHODS,
		default: 'TNG_MY',
		description: 'The e-wallet or payment method to open',
		displayOptions: { show: { ...show, mode: ['url', 'qrcode'] } },
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: MINI_PROGRAM_METHODS,
		default: 'ALIPAY_CN',
		description: 'The app whose mini program takes the payment',
		displayOptions: { show: { ...show, mode: ['miniProgram'] } },
	},
	{
		displayName: 'WeChat Open ID',
		name: 'wechatUserId',
		type: 'string',
		default: '',
		description: "The customer's WeChat Open ID; required by WeChat mini programs, not used for Alipay",
		displayOptions: { show: { ...show, mode: ['miniProgram'] } },
	},
	{
		displayName: 'Bank Name or ID',
		name: 'bankCode',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getFpxBanks' },
		required: true,
		default: '',
		description:
			'The customer’s bank. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...show, mode: ['fpx'] } },
	},
	...cardFields(show),
	{
		displayName: 'Saved Card Token',
		name: 'cardToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'The token of a card the customer saved (Card Token → Get Many lists them). The checkout must have been created with the same Customer User ID.',
		displayOptions: { show: { ...show, mode: ['gobizToken'] } },
	},
	{
		displayName: 'Keep Saved Card',
		name: 'keepSavedCard',
		type: 'boolean',
		default: true,
		description:
			'Whether the card stays saved after this payment. Revenue Monster deletes a saved card paid with this off, so the next payment with the same token fails: turn it off only to pay once and forget the card.',
		displayOptions: { show: { ...show, mode: ['gobizToken'] } },
	},
	{
		displayName: 'Put QR Image in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'qrCode',
		description: 'Name of the binary field the QR code PNG is put in, to attach to an email or save as a file',
		displayOptions: { show: { ...show, mode: ['qrcode', 'duitnowQrcode'] } },
	},
];

/** What one payment sends, and what its answer needs: the card to mask in it, the field for a QR image. */
interface PayRequest {
	body: IDataObject;
	/** Card Details mode: the number and CVC that went out, masked in whatever comes back */
	card?: CardDetails;
	/** QR modes: the binary field the image goes in */
	qrField?: string;
}

/**
 * Reads the fields `mode` uses, and only those, into its request body (revenue-monster-api.md §6,
 * direct checkout). Each mode's body is built in its own case, from what that case read.
 */
function payRequestFor(context: IExecuteFunctions, itemIndex: number, mode: Mode, checkoutId: string): PayRequest {
	const method = () => textFrom(context, itemIndex, 'method', 'Method', { required: true });
	const qrField = () =>
		textUpTo(context, itemIndex, 'Put QR Image in Field', context.getNodeParameter('binaryPropertyName', itemIndex, 'qrCode'), {
			required: true,
		});
	switch (mode) {
		case 'url':
			return { body: { checkoutId, type: 'URL', method: method() } };
		case 'qrcode':
			return { body: { checkoutId, type: 'QRCODE', method: method() }, qrField: qrField() };
		case 'duitnowQrcode':
			// "Online Payment" page, Mode: DuitNow QR: method is required and only MAYBANK_MY.
			return { body: { checkoutId, type: 'DUITNOW_QRCODE', method: DUITNOW_METHOD }, qrField: qrField() };
		case 'miniProgram': {
			const body: IDataObject = { checkoutId, type: 'MINI_PROGRAM', method: method() };
			const userId = textFrom(context, itemIndex, 'wechatUserId', 'WeChat Open ID');
			if (userId) body.userId = userId;
			return { body };
		}
		case 'fpx': {
			const bankCode = textFrom(context, itemIndex, 'bankCode', 'Bank', { required: true });
			return { body: { checkoutId, type: 'URL', method: 'FPX_MY', fpx: { bankCode } } };
		}
		case 'gobiz':
			return { body: { checkoutId, type: 'URL', method: 'GOBIZ_MY', gobiz: { type: 'UNIVERSAL_PAYMENT' } } };
		case 'gobizCard': {
			const card = readCard(context, itemIndex);
			const body = {
				checkoutId,
				type: 'URL',
				method: 'GOBIZ_MY',
				gobiz: { type: 'UNIVERSAL_PAYMENT' },
				card: {
					isToken: false,
					isSave: card.save,
					name: card.name,
					no: card.number,
					cvc: card.cvc,
					month: card.month,
					year: card.year,
					countryCode: CARD_COUNTRY_CODE,
				},
			};
			return { body, card };
		}
		case 'gobizToken': {
			const token = textFrom(context, itemIndex, 'cardToken', 'Saved Card Token', { required: true });
			const keep = context.getNodeParameter('keepSavedCard', itemIndex, true) !== false;
			// "GoBiz w/ Token": isSave "Save the token after made transaction else will delete".
			const card = { isToken: true, isSave: keep, no: token };
			return { body: { checkoutId, type: 'URL', method: 'GOBIZ_MY', gobiz: { type: 'DIRECT_PAYMENT' }, card } };
		}
	}
}

/** The QR image RM sends as base64 (sometimes as a data: URL), as n8n binary data in `field`. */
async function qrImage(
	context: IExecuteFunctions,
	item: IDataObject,
	checkoutId: string,
	field: string,
): Promise<IBinaryKeyData | undefined> {
	const base64 = String((item.qrcode as IDataObject | undefined)?.base64Image ?? '').replace(/^data:[^,]*,/, '');
	if (!base64) return undefined;
	const bytes = Buffer.from(base64, 'base64');
	// RM sends PNG; name the file after what actually came.
	const isPng = bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
	const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
	const [extension, mimeType] = isPng
		? ['png', 'image/png']
		: isJpeg
			? ['jpg', 'image/jpeg']
			: ['bin', 'application/octet-stream'];
	const file = await context.helpers.prepareBinaryData(bytes, `checkout-${checkoutId}-qr.${extension}`, mimeType);
	return { [field]: file };
}

/** The status a card payment has while the customer has not confirmed it (not one of RM's). */
const PENDING = 'PENDING';

/**
 * What a card or saved-card payment answers. A transaction is paid, pending or (error) declined. A URL
 * with no transaction ("GoBiz w/ Card": `{type: "URL", url}`) means the customer must still confirm
 * the payment there (3-D Secure): nothing is paid yet. Neither is an answer the node cannot read.
 */
function cardPaymentResult(
	context: IExecuteFunctions,
	itemIndex: number,
	answer: IDataObject,
	checkoutId: string,
): IDataObject {
	const item = (answer.item ?? {}) as IDataObject;
	const transaction = item.transaction;
	if (!transaction && typeof item.url === 'string' && item.url !== '') {
		return { ...item, checkoutId, paid: false, status: PENDING };
	}
	const outcome = checkChargeOutcome(
		context,
		itemIndex,
		transaction,
		answer,
		'No money was taken. Ask the customer to use another card or payment method: the checkout can be paid again in another mode.',
	);
	return { ...outcome, checkoutId };
}

/**
 * Pays an open checkout in the chosen way. Most modes return where the customer goes next (a URL,
 * a QR code, mini program data) and take no money yet; so does Card Details (the customer confirms
 * at the url). Saved Card charges at once and returns the transaction, with `paid` true only when
 * the money was taken. Every output carries the checkoutId, to look the payment up later.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const checkoutId = textFrom(this, itemIndex, 'checkoutId', 'Checkout ID', { required: true });
	const mode = oneOfValues(this, itemIndex, 'Mode', this.getNodeParameter('mode', itemIndex), MODES);
	const { body, card, qrField } = payRequestFor(this, itemIndex, mode, checkoutId);

	const send = async (): Promise<IDataObject> =>
		await revenueMonsterRequest.call(this, {
			method: 'POST',
			path: '/v3/payment/online/checkout',
			body,
			itemIndex,
		});

	if (mode === 'gobizCard' || mode === 'gobizToken') {
		// A card number and CVC went into the request: mask them in whatever comes back.
		const secrets = card ?? { number: '', cvc: '' };
		try {
			return [{ json: withoutCardSecrets(cardPaymentResult(this, itemIndex, await send(), checkoutId), secrets) }];
		} catch (error) {
			throw scrubCardFromError(this, itemIndex, error, secrets);
		}
	}

	const item = ((await send()).item ?? {}) as IDataObject;
	const binary = qrField !== undefined ? await qrImage(this, item, checkoutId, qrField) : undefined;
	return [{ json: { ...(binary ? withoutImage(item) : item), checkoutId }, ...(binary ? { binary } : {}) }];
}

/** The answer without the base64 image once that image is the item's binary file (no copy in the JSON). */
function withoutImage(item: IDataObject): IDataObject {
	const qrcode = item.qrcode as IDataObject | undefined;
	if (!qrcode || typeof qrcode !== 'object') return item;
	const rest = { ...qrcode };
	delete rest.base64Image;
	return { ...item, qrcode: rest };
}
