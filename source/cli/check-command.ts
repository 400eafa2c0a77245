import {accessSync, constants} from 'node:fs';
import {resolve} from 'node:path';
import {ConfigError, type ConfigProblem} from '../config/errors.js';
import type {Configuration, JobDefinition} from '../core/job-definition.js';
import {describeSpawnEngine, spawnEngineDescriptorsPerRun} from '../driver/choose-spawn-engine.js';
import {resolveCommand, statOrUndefined} from '../driver/command-path.js';
import {descriptorWarning, openFileLimit} from '../driver/descriptor-budget.js';
import {raiseOpenFileLimit} from '../driver/open-file-limit.js';
import {testFire} from './test-fire.js';

type Output = {write(text: string): unknown};

/**
 * `fatc check [--test-fire]`: the config loaded (its errors were thrown before), and each job's command can be found
 * and run — a ConfigError (exit 2) with one line per job whose command could not, else the summary, 0.
 */
export async function checkCommand(configuration: Configuration, options: {testFire: boolean; output: Output}): Promise<number> {
	const {output} = options;
	const file = configuration.configFile ?? 'command line';
	const problems = configuration.jobs.flatMap(job => commandProblem(job) ?? []);
	if (problems.length > 0) {
		throw new ConfigError(file, problems);
	}

	output.write(`${file}: ${configuration.jobs.length} ${configuration.jobs.length === 1 ? 'job' : 'jobs'}, valid\n`);
	output.write(`spawn engine: ${describeSpawnEngine()}\n`);
	raiseOpenFileLimit();
	const descriptors = descriptorWarning(configuration, openFileLimit(), spawnEngineDescriptorsPerRun());
	if (descriptors !== undefined) {
		output.write(`warning: ${descriptors}\n`);
	}

	return options.testFire ? testFire(configuration, output) : 0;
}

/** Why the job's command would not start, as its runs would find it (the run's PATH, from its cwd): ENOENT, EACCES. */
function commandProblem(job: JobDefinition): ConfigProblem | undefined {
	const path = job.env['PATH'] ?? process.env['PATH'];
	const problem = (message: string): ConfigProblem => ({path: `jobs.${job.name}.command`, message: `${JSON.stringify(job.command)} ${message}`});
	const found = resolveCommand(job.command, job.cwd, path);
	if (found === undefined) {
		return problem(`is not found on PATH (${path ?? '/usr/bin:/bin'})`);
	}

	const file = resolve(job.cwd, found);
	const stats = statOrUndefined(file);
	if (stats === undefined) {
		return problem(`does not exist (${file})`);
	}

	if (!stats.isFile()) {
		return problem(`is not a file (${file})`);
	}

	try {
		accessSync(file, constants.X_OK);
	} catch {
		return problem(`is not executable (${file}; chmod +x it, or run it through its interpreter)`);
	}

	return undefined;
}
