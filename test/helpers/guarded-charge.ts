/** Order → Create parameters with the charge guard on, shared by the charge-guard suites. */
import type { IDataObject } from 'n8n-workflow';

import type { CustomerOrder } from '../../simulator/state';

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

export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

/** A paid RM 9.90 order of two hours ago, for the simulator's customer-orders list; `fields` override. */
export function pastOrder(
	state: { nextId(): string },
	customerId: string,
	fields: Partial<CustomerOrder>,
): CustomerOrder {
	return {
		id: state.nextId(),
		customerId,
		status: 'SUCCESS',
		amount: 990,
		currency: 'MYR',
		transactionId: state.nextId(),
		checkoutId: '',
		paymentUrl: '',
		recurringReference: '',
		createdAt: hoursAgo(2),
		updatedAt: hoursAgo(2),
		...fields,
	};
}
