/** The payment methods the checkout operations offer. */
import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Payment methods as checkout requests name them: the method with its region suffix
 * (revenue-monster-api.md §5). Transactions later carry the bare name (TNG, FPX, …).
 */
export const PAYMENT_METHODS: INodePropertyOptions[] = [
	{ name: 'Alipay (China)', value: 'ALIPAY_CN' },
	{ name: 'Alipay+ (Malaysia)', value: 'ALIPAYPLUS_MY' },
	{ name: 'Boost', value: 'BOOST_MY' },
	{ name: 'Card (GoBiz)', value: 'GOBIZ_MY' },
	{ name: 'FPX Online Banking', value: 'FPX_MY' },
	{ name: 'GrabPay', value: 'GRABPAY_MY' },
	{ name: 'Maybank QRPay', value: 'MAYBANK_MY' },
	{ name: 'Presto', value: 'PRESTO_MY' },
	{ name: 'Razer Pay', value: 'RAZERPAY_MY' },
	{ name: 'ShopeePay', value: 'SHOPEEPAY_MY' },
	{ name: 'TNG eWallet', value: 'TNG_MY' },
	{ name: 'WeChat Pay (China)', value: 'WECHATPAY_CN' },
	{ name: 'WeChat Pay (Malaysia)', value: 'WECHATPAY_MY' },
];
