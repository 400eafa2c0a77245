import {readFile} from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import {ConfigError} from '../config/errors.js';
import {loadConfiguration, type LoadOptions} from '../config/load-configuration.js';
import {defaultRunDirectory, resolvePath} from '../config/resolve.js';
import type {Configuration} from '../core/job-definition.js';

/**
 * The config for a client command (`status`, `reload`, `scale`…). When the file is broken, a running fatc keeps its last
 * good config and holds the error: the client then needs only the file's `name` and `runDir` to reach it, so
 * `fatc status` can show that error and `fatc reload` can try again. Read leniently; the error goes to stderr as a warning.
 */
export async function loadClientConfiguration(options: LoadOptions): Promise<Configuration> {
	try {
		return await loadConfiguration(options);
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		const address = await readAddress(error.file);
		if (address === undefined) {
			throw error;
		}

		process.stderr.write(`fatc: warning: ${error.message}\n`);
		return address;
	}
}

/** `name`, `runDir` and `logDir` of a file that does not validate: from its YAML if it parses, else line by line. */
async function readAddress(file: string): Promise<Configuration | undefined> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch {
		return undefined;
	}

	const settings = parsedSettings(text, path.basename(file) === 'package.json') ?? {
		name: /^name:\s*["']?([\w.-]+)/m.exec(text)?.[1],
		runDir: /^runDir:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$/m.exec(text)?.[1],
		logDir: /^logDir:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$/m.exec(text)?.[1],
	};
	const directory = path.dirname(file);
	return {
		name: settings.name ?? 'fatc',
		runDir: settings.runDir === undefined ? defaultRunDirectory() : resolvePath(directory, settings.runDir),
		logDir: resolvePath(directory, settings.logDir ?? 'logs'),
		configFile: file,
		jobs: [],
	};
}

function parsedSettings(text: string, isPackage: boolean): {name?: string; runDir?: string; logDir?: string} | undefined {
	let parsed: unknown;
	try {
		parsed = yaml.load(text);
	} catch {
		return undefined;
	}

	const settings = isPackage ? (parsed as Record<string, unknown> | undefined)?.['fatcontroller'] : parsed;
	if (typeof settings !== 'object' || settings === null) {
		return undefined;
	}

	const setting = (key: string) => {
		const value = (settings as Record<string, unknown>)[key];
		return typeof value === 'string' ? value : undefined;
	};

	return {name: setting('name'), runDir: setting('runDir'), logDir: setting('logDir')};
}
