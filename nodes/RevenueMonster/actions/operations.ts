/** resource → operation → module: the one table the router and the node description read. */
import type { INodeProperties } from 'n8n-workflow';

import * as checkout from './checkout';
import * as customer from './customer';
import * as fpx from './fpx';
import * as order from './order';
import * as token from './token';
import * as transaction from './transaction';
import type { OperationModule, ResourceOperations } from './types';

const resources: Record<string, { operations: ResourceOperations; description: INodeProperties[] }> = {
	customer,
	order,
	checkout,
	token,
	fpx,
	transaction,
};

export function operationFor(resource: string, operation: string): OperationModule['execute'] | undefined {
	return resources[resource]?.operations[operation]?.execute;
}

export const operationProperties: INodeProperties[] = Object.values(resources).flatMap(
	(resource) => resource.description,
);
