#!/usr/bin/env node
// React picks its build when first loaded: the development one keeps debugging data for every render, so a TUI that
// runs for weeks would grow for ever. Load it as production, then give the runs back fatc's own environment.
const nodeEnvironment = process.env.NODE_ENV;
process.env.NODE_ENV ??= 'production';
const {main} = await import('./cli/main.js');
if (nodeEnvironment === undefined) {
	delete process.env.NODE_ENV;
}

process.exit(await main(process.argv.slice(2)));
