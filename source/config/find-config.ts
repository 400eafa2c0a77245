import {homedir} from 'node:os';
import path from 'node:path';
import {cosmiconfig, type CosmiconfigResult} from 'cosmiconfig';
import {ConfigError} from './errors.js';
import {loadJson, loadModule, loadYaml} from './file-loaders.js';

const moduleName = 'fatcontroller';

/** Where a config is looked for in each folder, first match wins (SPEC §3). */
export const searchPlaces = [
	'package.json',
	`.${moduleName}rc`,
	`.${moduleName}rc.json`,
	`.${moduleName}rc.yaml`,
	`.${moduleName}rc.yml`,
	`.${moduleName}rc.js`,
	`.${moduleName}rc.cjs`,
	`.${moduleName}rc.mjs`,
	`${moduleName}.config.js`,
	`${moduleName}.config.cjs`,
	`${moduleName}.config.mjs`,
	`${moduleName}.config.ts`,
];

export type LoadOptions = {
	/** `-c PATH`: exactly this file (relative to `cwd`); any extension above, anything else reads as YAML. */
	configPath?: string;
	/** Where the search starts. Default `process.cwd()`. */
	cwd?: string;
	/** The last folder searched upwards. Default: the home folder when `cwd` is inside it, else `/`. */
	stopDir?: string;
};

function createExplorer(stopDir: string | undefined) {
	return cosmiconfig(moduleName, {
		searchPlaces,
		searchStrategy: 'global',
		...(stopDir === undefined ? {} : {stopDir}),
		// Found but empty is an error, not a reason to keep looking further up.
		ignoreEmptySearchPlaces: false,
		// Every load re-reads the file: a reload must see an edit.
		cache: false,
		loaders: {
			noExt: loadYaml,
			'.yaml': loadYaml,
			'.yml': loadYaml,
			'.json': loadJson,
			'.js': loadModule,
			'.cjs': loadModule,
			'.mjs': loadModule,
			'.ts': loadModule,
			'.mts': loadModule,
			'.cts': loadModule,
			// `-c .fatcontrollerrc.example` and other unknown extensions.
			default: loadYaml,
		},
	});
}

function isInside(folder: string, parent: string): boolean {
	const relative = path.relative(parent, folder);
	return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function notFound(cwd: string, stopDir: string): ConfigError {
	const upTo = stopDir === path.parse(cwd).root ? 'its parent folders' : `its parent folders up to ${stopDir}`;
	return new ConfigError(cwd, [{
		path: '',
		message: `no fatc config found: searched ${cwd} and ${upTo} for ${searchPlaces.join(', ')}`
			+ ` (and ~/.config/${moduleName}/config*). Create a .fatcontrollerrc (see .fatcontrollerrc.example`
			+ ' in the fatc repository for every key), or name one with -c PATH.',
	}]);
}

async function readConfig(options: LoadOptions, cwd: string): Promise<{result: CosmiconfigResult; file: string}> {
	if (options.configPath !== undefined) {
		const file = path.resolve(cwd, options.configPath);
		try {
			return {result: await createExplorer(undefined).load(file), file};
		} catch (error) {
			if (error instanceof ConfigError) {
				throw error;
			}

			const {code} = error as NodeJS.ErrnoException;
			const message = code === 'EISDIR'
				? `expected a config file, got a folder (name the file in it: -c ${path.join(options.configPath, '.fatcontrollerrc')})`
				: `could not read: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
			throw new ConfigError(file, [{path: '', message}], {cause: error});
		}
	}

	const stopDir = options.stopDir ?? (isInside(cwd, homedir()) ? homedir() : path.parse(cwd).root);
	const result = await createExplorer(stopDir).search(cwd);
	if (result === null) {
		throw notFound(cwd, stopDir);
	}

	return {result, file: result.filepath};
}

/**
 * Finds (or reads `configPath`) and parses the config, not yet validated: what a client command needs to reach a
 * running fatc, without loading the schema. Every failure is a ConfigError.
 */
export async function findConfig(options: LoadOptions = {}): Promise<{raw: unknown; file: string}> {
	const cwd = path.resolve(options.cwd ?? process.cwd());
	const {result, file} = await readConfig(options, cwd);
	if (result === null) {
		// Only package.json can load as nothing: it has no "fatcontroller" key.
		throw new ConfigError(file, [{path: '', message: `expected a "${moduleName}" key, got none`}]);
	}

	if (result.isEmpty === true || result.config === undefined || result.config === null) {
		throw new ConfigError(file, [{path: '', message: 'expected a mapping with a "jobs" key, got an empty file'}]);
	}

	return {raw: result.config, file};
}
