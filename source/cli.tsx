#!/usr/bin/env node
// The commands that draw with React load it as production (cli/production-react.ts), when they run.
const {main} = await import('./cli/main.js');

const code = await main(process.argv.slice(2));
// A pipe takes 64 KiB at a time and Node queues the rest of a write, which process.exit would drop (`fatc status
// --json | jq` with thousands of runs got the first 64 KiB). An empty write calls back once all before it went out, or
// failed: a reader that left.
await Promise.all([process.stdout, process.stderr].map(async stream => new Promise(resolve => {
	stream.write('', resolve);
})));
process.exit(code);
