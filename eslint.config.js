/*
 * The layers of source/, outside in (a folder may always import itself):
 *
 *   cli.tsx, cli/ ─→ ui/ ─────→ host/ ─→ driver/, config/, reporters/, world/, metrics/, notify/, cluster/ ─→ core/
 *                 └→ daemon/ ─↗
 *
 * and exactly what each may import (the zones below):
 *
 *   core/                          nothing in source/: node: builtins and packages only
 *   driver/, config/, reporters/,  core
 *   world/ (sensors: load, probes, wake files), metrics/ (Prometheus), notify/ (notification commands),
 *   cluster/ (limits across hosts, on Redis)
 *   host/                          core, driver, config, reporters, world, metrics, notify, cluster
 *   daemon/                        core, driver, config, reporters, host, metrics
 *   ui/                            core, reporters, host: not driver or config (the UI sees only a handle and its
 *                                  snapshots), not daemon (an attached TUI is handed its remote handle by the CLI)
 *   cli.tsx, cli/                  every folder; nothing outside them imports them
 *
 * And no import cycle between two files of source/, type-only imports included.
 */
import js from '@eslint/js';
import {defineConfig, globalIgnores} from 'eslint/config';
import {createTypeScriptImportResolver} from 'eslint-import-resolver-typescript';
import {importX} from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const layers = {
	core: [],
	driver: ['core'],
	config: ['core'],
	reporters: ['core'],
	world: ['core'],
	metrics: ['core'],
	notify: ['core'],
	cluster: ['core'],
	host: ['core', 'driver', 'config', 'reporters', 'world', 'metrics', 'notify', 'cluster'],
	daemon: ['core', 'driver', 'config', 'reporters', 'host', 'metrics'],
	ui: ['core', 'reporters', 'host'],
};

const layerZones = Object.entries(layers).map(([layer, allowed]) => ({
	target: `source/${layer}`,
	from: 'source',
	except: [layer, ...allowed].map(folder => `./${folder}`),
	message: `source/${layer}/ may import ${allowed.length === 0 ? 'no other folder of source/' : `only ${allowed.map(folder => `${folder}/`).join(', ')}`} (the layers are drawn in eslint.config.js).`,
}));

const asValueImport = node => {
	if (node.importKind === 'type') {
		node.importKind = 'value';
	}

	if (node.exportKind === 'type') {
		node.exportKind = 'value';
	}
};

/** The TypeScript parser, with every import and re-export marked as a value one (for import-x/no-cycle). */
const parserCountingTypeImports = {
	meta: {name: 'typescript-eslint-parser-counting-type-imports'},
	parseForESLint(code, options) {
		const result = tseslint.parser.parseForESLint(code, options);
		for (const node of result.ast.body) {
			// `export type X = …` has no source and is no import: only statements that name a module are changed.
			if (node.source) {
				asValueImport(node);
				node.specifiers?.forEach(asValueImport);
			}
		}

		return result;
	},
};

export default defineConfig(
	globalIgnores(['dist/', 'bench/.peers/', 'bench/results/']),
	js.configs.recommended,
	tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		languageOptions: {globals: globals.node},
		rules: {
			// `catch {}` around a kill or a read of something that may be gone is the house idiom.
			'no-empty': ['error', {allowEmptyCatch: true}],
			// The terminal code matches ANSI escapes (\x1b, \x07) on purpose.
			'no-control-regex': 'off',
			// A test's cleanup, registered before a pid is known, reads a `let` that is assigned once later.
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
		},
	},
	{
		files: ['source/**/*.{ts,tsx}'],
		// import-x/no-cycle skips `import type`, but a cycle of types still ties two files into one layer.
		languageOptions: {parser: parserCountingTypeImports},
		plugins: {'import-x': importX},
		settings: {
			// Without it import-x reads only .js files, and no-cycle would see no imports at all.
			'import-x/extensions': ['.ts', '.tsx'],
			'import-x/resolver-next': [createTypeScriptImportResolver({project: `${import.meta.dirname}/tsconfig.json`})],
		},
		rules: {
			'import-x/no-restricted-paths': ['error', {basePath: import.meta.dirname, zones: layerZones}],
			'import-x/no-cycle': 'error',
		},
	},
);
