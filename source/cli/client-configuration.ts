import {readFile} from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import {ConfigError} from '../config/errors.js';
import {findConfig, type LoadOptions} from '../config/find-config.js';
import {defaultRunDirectory, resolvePath} from '../config/resolve.js';
import {namePattern, type Configuration} from '../core/job-definition.js';

/** What a client command needs of a config: where its fatc listens (`name`, `runDir`) and keeps its files (`logDir`). */
export type ClientConfiguration = Pick<Configuration, 'name' | 'runDir' | 'logDir' | 'configFile'>;

type Settings = {name?: string; runDir?: string; logDir?: string};

/**
 * The config for a client command (`status`, `reload`, `scale`, `history`…): its `name`, `runDir` and `logDir`, read
 * without the schema — the rest of the file is the running fatc's to check, and loading zod alone took ~80 ms of a
 * `fatc status` that took ~0.3 s. When the file is broken, a running fatc keeps its last good config and holds the
 * error, which `fatc status` shows and `fatc reload` tries again. A file that does not parse, or whose three settings
 * are not what the schema takes, goes through the full check: the client then reaches its fatc with what it can read
 * of them, and the error goes to stderr as a warning.
 */
export async function loadClientConfiguration(options: LoadOptions): Promise<ClientConfiguration> {
	try {
		const {raw, file} = await findConfig(options);
		const settings = settingsOf(raw);
		if (settings !== undefined && isValid(settings, raw as Record<string, unknown>)) {
			return addressOf(settings, file);
		}

		const {loadConfiguration} = await import('../config/load-configuration.js');
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

/** As the schema takes them: a name of letters, digits, `_`, `.` and `-` (default fatc), folders as non-empty strings. */
function isValid(settings: Settings, raw: Record<string, unknown>): boolean {
	const given = (key: keyof Settings) => raw[key] === undefined || settings[key] !== undefined;
	return given('name') && given('runDir') && given('logDir')
		&& (settings.name === undefined || namePattern.test(settings.name))
		&& [settings.runDir, settings.logDir].every(folder => folder === undefined || folder.trim() !== '');
}

function addressOf(settings: Settings, file: string): ClientConfiguration {
	const directory = path.dirname(file);
	return {
		name: settings.name ?? 'fatc',
		runDir: settings.runDir === undefined ? defaultRunDirectory() : resolvePath(directory, settings.runDir.trim()),
		logDir: resolvePath(directory, settings.logDir?.trim() ?? 'logs'),
		configFile: file,
	};
}

/** `name`, `runDir` and `logDir` of a file that does not validate: from its YAML if it parses, else line by line. */
async function readAddress(file: string): Promise<ClientConfiguration | undefined> {
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
	return addressOf(settings, file);
}

function parsedSettings(text: string, isPackage: boolean): Settings | undefined {
	let parsed: unknown;
	try {
		parsed = yaml.load(text);
	} catch {
		return undefined;
	}

	return settingsOf(isPackage ? (parsed as Record<string, unknown> | undefined)?.['fatcontroller'] : parsed);
}

/** The three settings of a parsed config, each if it is a string; undefined when the config is no mapping. */
function settingsOf(settings: unknown): Settings | undefined {
	if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
		return undefined;
	}

	const setting = (key: string) => {
		const value = (settings as Record<string, unknown>)[key];
		return typeof value === 'string' ? value : undefined;
	};

	return {name: setting('name'), runDir: setting('runDir'), logDir: setting('logDir')};
}
