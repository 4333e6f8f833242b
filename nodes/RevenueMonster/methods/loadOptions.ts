/**
 * Pickers filled live from Revenue Monster: the merchant's stores and the FPX banks. Both go through
 * the same signed request path as the operations.
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../transport/pagination';
import { revenueMonsterRequest } from '../transport/request';

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** Every store of the merchant (all pages); stores that are not active are marked. */
export async function getStores(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const stores = await revenueMonsterRequestAllItems.call(this, { path: '/v3/stores' });
	return stores
		.map((store: IDataObject) => {
			const id = String(store.id ?? '');
			const name = String(store.name || id);
			const status = String(store.status ?? '');
			const active = status === '' || status === 'ACTIVE';
			return {
				name: active ? name : `${name} (${status.toLowerCase()})`,
				value: id,
				description: `Store ID ${id}`,
			};
		})
		.sort(byName);
}

/** FPX banks by name; offline banks stay in the list, marked, since they come back online. */
export async function getFpxBanks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const response = await revenueMonsterRequest.call(this, { method: 'GET', path: '/v3/payment/fpx-bank' });
	const banks = response.item && typeof response.item === 'object' ? (response.item as IDataObject) : {};
	return Object.entries(banks)
		.map(([key, bank]) => {
			const details = bank && typeof bank === 'object' ? (bank as IDataObject) : {};
			const code = String(details.code || key);
			const name = String(details.name || code);
			return {
				name: details.isOnline === true ? name : `${name} (offline)`,
				value: code,
				description: `Bank code ${code}`,
			};
		})
		.sort(byName);
}
