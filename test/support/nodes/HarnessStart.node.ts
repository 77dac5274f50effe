import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const HARNESS_START_TYPE = 'harness.harnessStart';

/**
 * Test-only start node (n8n-nodes-base is not installed). The harness puts the run's input items
 * on the execution stack as this node's input; it passes them on, each paired to itself.
 */
export class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: 'harnessStart',
		icon: { light: 'file:../../../icons/kie.svg', dark: 'file:../../../icons/kie.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Emits the test input',
		description: 'Emits the items given to the test harness',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}
