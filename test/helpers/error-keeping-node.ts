/** The action node as n8n runs it, handing each error instance it throws to `thrown` (n8n's copy in the run drops some parts). */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { RevenueMonster } from '../../nodes/RevenueMonster/RevenueMonster.node';

export function errorKeepingNode(thrown: unknown[]): INodeType {
	return new (class extends RevenueMonster {
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			try {
				return await RevenueMonster.prototype.execute.call(this);
			} catch (error) {
				thrown.push(error);
				throw error;
			}
		}
	})();
}
