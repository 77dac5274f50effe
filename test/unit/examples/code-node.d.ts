/** Runs a Code node's JavaScript ("Run Once for All Items") with `$input`, `$` and `$execution`; returns its items through JSON. */
export function runCodeNode(
	jsCode: string,
	globals: { $input: { all(): unknown[] }; $: (nodeName: string) => unknown; $execution: { id: string } },
): unknown;
