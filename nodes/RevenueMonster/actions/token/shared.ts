import type { INodeProperties } from 'n8n-workflow';

/** The checkout customer whose saved cards are listed or deleted. */
export function customerUserIdField(operation: string[]): INodeProperties {
	return {
		displayName: 'Customer User ID',
		name: 'customerUserId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'customer-42',
		description:
			'Your own ID for the customer, as sent in Customer User ID when the checkout that saved the card was created',
		displayOptions: { show: { resource: ['token'], operation } },
	};
}
