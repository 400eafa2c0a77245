#!/usr/bin/env node
// React picks its build when first loaded: the development one keeps debugging data for every render, so a TUI that
// runs for weeks would grow for ever. Load it as production, then give the runs back fatc's own environment.
const nodeEnvironment = process.env.NODE_ENV;
process.env.NODE_ENV ??= 'production';
const {main} = await import('./cli/main.js');
if (nodeEnvironment === undefined) {
	delete process.env.NODE_ENV;
}

const code = await main(process.argv.slice(2));
// A pipe takes 64 KiB at a time and Node queues the rest of a write, which process.exit would drop (`fatc status
// --json | jq` with thousands of runs got the first 64 KiB). An empty write calls back once all before it went out, or
// failed: a reader that left.
await Promise.all([process.stdout, process.stderr].map(async stream => new Promise(resolve => {
	stream.write('', resolve);
})));
process.exit(code);
