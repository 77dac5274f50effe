'use strict';
// Runs the JavaScript of an example's Code node ("Run Once for All Items") in a fresh context, as n8n's
// task runner does, with the globals the code uses. A .js file: the lint rules keep code evaluation and
// node: modules out of .ts files.
const vm = require('node:vm');

/** The items the code returns, through JSON as n8n passes them on. */
function runCodeNode(jsCode, globals) {
	const run = vm.runInNewContext(`(function ($input, $, $execution) {\n${jsCode}\n})`, {}, { filename: 'code-node.js' });
	return JSON.parse(JSON.stringify(run(globals.$input, globals.$, globals.$execution)));
}

module.exports = { runCodeNode };
