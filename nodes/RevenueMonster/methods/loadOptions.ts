/**
 * Pickers filled live from Revenue Monster: the merchant's stores and the FPX banks. Both go through
 * the same signed request path as the operations.
 *
 * A picker never fails. n8n's editor can ask for the list of a node it has just added before it has
 * attached the credential, and it does not ask again while that first answer is pending: an error would
 * stay on the field ("Error fetching options", no reason) until the node is reopened. So without a
 * credential the list is one entry saying what to do, and when Revenue Monster refuses, one entry with
 * its reason; an ID by expression keeps working either way.
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { revenueMonsterRequestAllItems } from '../transport/pagination';
import { CREDENTIAL_TYPE, revenueMonsterRequest } from '../transport/request';

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

function hasCredential(context: ILoadOptionsFunctions): boolean {
	return Boolean(context.getNode().credentials?.[CREDENTIAL_TYPE]?.id);
}

/** The one entry shown instead of the list: what went wrong, and what to do. */
function notice(name: string, description: string): INodePropertyOptions[] {
	return [{ name, value: '', description }];
}

function noCredential(what: string): INodePropertyOptions[] {
	return notice(
		`Choose a Revenue Monster credential to list your ${what}`,
		`Pick the credential at the top of this panel, then open this list again (or use Refresh List in the field's menu). An ID given by expression works without the list.`,
	);
}

/** Revenue Monster's message and code (never a secret: errors carry neither keys nor tokens), and the hint. */
function refused(what: string, error: unknown): INodePropertyOptions[] {
	const { message, description } = error as { message?: string; description?: string | null };
	return notice(
		`Could not list your ${what}: ${message ?? 'Revenue Monster request failed'}`,
		description || 'Test the credential (its environment, Client ID, secret and key pair), then refresh this list.',
	);
}

async function listOrExplain(
	context: ILoadOptionsFunctions,
	what: string,
	load: () => Promise<INodePropertyOptions[]>,
): Promise<INodePropertyOptions[]> {
	if (!hasCredential(context)) return noCredential(what);
	try {
		return await load();
	} catch (error) {
		return refused(what, error);
	}
}

/** Every store of the merchant (all pages); stores that are not active are marked. */
export async function getStores(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOrExplain(this, 'stores', async () => {
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
	});
}

/** FPX banks by name; offline banks stay in the list, marked, since they come back online. */
export async function getFpxBanks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOrExplain(this, 'FPX banks', async () => {
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
	});
}
