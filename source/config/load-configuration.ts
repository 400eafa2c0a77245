import path from 'node:path';
import type {Configuration} from '../core/job-definition.js';
import {ConfigError} from './errors.js';
import {findConfig, type LoadOptions} from './find-config.js';
import {formatIssues} from './format-issues.js';
import {maximumValues, withinValueBudget} from './value-budget.js';
import {resolveConfiguration} from './resolve.js';
import {configurationSchema} from './schema.js';

export type {LoadOptions} from './find-config.js';

/** Options for {@link validateConfiguration}. */
export type ValidateOptions = {
	/** Folder that relative paths resolve against. Default: the folder of `file`. */
	directory?: string;
	/** False when `file` only names the source (`command line`): configFile then stays unset. Default true. */
	isFile?: boolean;
};

/** Validates a parsed config and resolves it; throws a ConfigError naming `file` and every problem. */
export function validateConfiguration(raw: unknown, file: string, options: ValidateOptions = {}): Configuration {
	if (!withinValueBudget(raw)) {
		throw new ConfigError(file, [{path: '', message: `expected a config of at most ${maximumValues.toLocaleString('en')} values, got more (YAML anchors and aliases expanding without end?)`}]);
	}

	const result = configurationSchema.safeParse(raw);
	if (!result.success) {
		throw new ConfigError(file, formatIssues(result.error.issues, raw));
	}

	const isFile = options.isFile ?? true;
	return resolveConfiguration(result.data, {
		directory: options.directory ?? path.dirname(path.resolve(file)),
		...(isFile ? {configFile: path.resolve(file)} : {}),
	});
}

/** Finds (or reads `configPath`), validates and resolves the config. Every failure is a ConfigError. */
export async function loadConfiguration(options: LoadOptions = {}): Promise<Configuration> {
	const {raw, file} = await findConfig(options);
	return validateConfiguration(raw, file);
}
