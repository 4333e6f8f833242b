/** Order → Create parameters with the charge guard on, shared by the charge-guard suites. */
import type { IDataObject } from 'n8n-workflow';

/** One customer charged RM 25.00 unless charged within 480 hours. */
export const guardedCharge = (customerId: string, overrides: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'create',
	customerId,
	currency: 'MYR',
	amount: 2500,
	options: { skipIfChargedWithinHours: 480 },
	...overrides,
});

/** A billing step: each input item's `customerId` charged RM 25.00 unless charged within 144 hours (6 days). */
export const guardedBilling = (overrides: IDataObject = {}): IDataObject =>
	guardedCharge('={{ $json.customerId }}', { options: { skipIfChargedWithinHours: 144 }, ...overrides });
