import {resolve} from 'node:path';
import {ConfigError, formatProblems, type ConfigProblem} from '../config/errors.js';
import type {Configuration, JobDefinition} from '../core/job-definition.js';
import {describeSpawnEngine, spawnEngineDescriptorsPerRun} from '../driver/choose-spawn-engine.js';
import {isExecutable, resolveCommand, statOrUndefined} from '../driver/command-path.js';
import {descriptorWarning, openFileLimit} from '../driver/descriptor-budget.js';
import {spawnErrorMessage} from '../driver/spawn-error-message.js';
import {raiseOpenFileLimit} from '../driver/open-file-limit.js';
import {testFire} from './test-fire.js';

type Output = {write(text: string): unknown};

/**
 * `fatc check [--test-fire]`: the config loaded (its errors were thrown before), and each job's command can be found
 * and run — a ConfigError (exit 2) with one line per job whose command could not, else the summary, 0. With
 * --test-fire those lines are warnings, and the runs say the rest.
 */
export async function checkCommand(configuration: Configuration, options: {testFire: boolean; output: Output}): Promise<number> {
	const {output} = options;
	const file = configuration.configFile ?? 'command line';
	const problems = configuration.jobs.flatMap(job => commandProblem(job) ?? []);
	if (problems.length > 0 && !options.testFire) {
		throw new ConfigError(file, problems);
	}

	// A test fire runs every job anyway: each of these is then one failed run, said at its end.
	for (const problem of problems) {
		output.write(`warning: ${formatProblems(file, [problem])}\n`);
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

/**
 * Why the job's runs would not start, found before any does: the spawn error they would get (ENOENT, EACCES) told as
 * the driver tells it at run time (its working directory, a command not on the run's PATH or not executable).
 */
function commandProblem(job: JobDefinition): ConfigProblem | undefined {
	const environment = {...process.env, ...job.env} as Record<string, string>;
	const directory = statOrUndefined(job.cwd);
	const found = resolveCommand(job.command, job.cwd, environment['PATH']);
	const file = found === undefined ? undefined : resolve(job.cwd, found);
	const stats = file === undefined ? undefined : statOrUndefined(file);
	let code: string | undefined;
	if (!directory?.isDirectory() || !isExecutable(job.cwd) || stats === undefined) {
		code = 'ENOENT';
	} else if (!stats.isFile() || !isExecutable(file!)) {
		code = 'EACCES';
	}

	if (code === undefined) {
		return undefined;
	}

	const message = spawnErrorMessage({code}, job.command, job.cwd, environment);
	return {path: `jobs.${job.name}.${message.startsWith('working directory') ? 'cwd' : 'command'}`, message};
}
