import path from 'node:path';
import type {Configuration} from '../core/job-definition.js';
import {ConfigError, type ConfigProblem} from './errors.js';
import {hasLegacyFlags, type legacyFlagOptions} from './legacy-flag-options.js';
import {validateConfiguration} from './load-configuration.js';

/** What the legacy flags ask for: a one-job config and how to run it. */
export type LegacyCommandLine = {
	configuration: Configuration;
	/** Absolute; `--pid-file`. */
	pidFile?: string;
	runOnce: boolean;
	testFire: boolean;
	/** `--daemonise`. */
	detach: boolean;
	debug: boolean;
};

/** The flag that set each job key, so errors name what the user typed. */
const flagOfJobKey: Record<string, string> = {
	command: '--command',
	args: '--arguments',
	instances: '--threads',
	sleep: '--sleep',
	sleepOnError: '--sleep-on-error',
	warnAfter: '--proc-run-time-warn',
	timeout: '--proc-run-time-max',
	stopTimeout: '--proc-term-timeout',
	fixedIntervalWait: '--fixed-interval-wait',
	logFile: '--log-file',
	errLogFile: '--err-log-file',
	cwd: '--working-directory',
};

const source = 'command line';

function translate(problem: ConfigProblem, jobName: string): ConfigProblem {
	const jobPrefix = `jobs.${jobName}`;
	if (problem.path === 'name' || problem.path === jobPrefix) {
		return {...problem, path: '--daemon-name'};
	}

	const key = problem.path.startsWith(`${jobPrefix}.`) ? problem.path.slice(jobPrefix.length + 1).split(/[.[]/)[0] : undefined;
	const flag = key === undefined ? undefined : flagOfJobKey[key];
	return flag === undefined ? problem : {...problem, path: flag};
}

/** A number when the text is a plain integer, so `--threads 4` validates; else the text, shown in the error. */
function integerOrText(text: string | undefined): number | string | undefined {
	return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : text;
}

/**
 * The original's flags → a one-job config (job and config named by `--daemon-name`; without it the
 * config is "fatc" and the job is named after the command). Relative paths resolve against `cwd`;
 * logs go beside `--log-file`, else to `<cwd>/logs`. Undefined when no job flag was given.
 * Throws a ConfigError from "command line" whose paths are the flags.
 */
export function configurationFromLegacyFlags(
	values: Record<string, string | boolean | undefined>,
	cwd: string,
): LegacyCommandLine | undefined {
	if (!hasLegacyFlags(values)) {
		return undefined;
	}

	const text = (name: keyof typeof legacyFlagOptions) => typeof values[name] === 'string' ? values[name] : undefined;
	const flag = (name: string) => values[name] === true;
	if (flag('independent-threads') && flag('fixed-interval-threads')) {
		throw new ConfigError(source, [{
			path: '--independent-threads',
			message: 'expected one thread model, got --independent-threads and --fixed-interval-threads',
		}]);
	}

	const command = text('command');
	const daemonName = text('daemon-name');
	const jobName = daemonName ?? (path.basename(command ?? '').replaceAll(/[^\w.-]/g, '-') || 'job');
	const logFile = text('log-file');
	const job: Record<string, unknown> = {
		command,
		args: text('arguments'),
		cwd: text('working-directory'),
		model: flag('independent-threads') ? 'independent' : (flag('fixed-interval-threads') ? 'fixed' : 'dependent'),
		instances: integerOrText(text('threads')),
		sleep: text('sleep'),
		sleepOnError: text('sleep-on-error'),
		warnAfter: text('proc-run-time-warn'),
		timeout: text('proc-run-time-max'),
		stopTimeout: text('proc-term-timeout'),
		fixedIntervalWait: text('fixed-interval-wait'),
		appendInstanceId: flag('append-thread-id'),
		logFile,
		errLogFile: text('err-log-file'),
	};
	const raw = {
		name: daemonName ?? 'fatc',
		logDir: logFile === undefined ? 'logs' : path.dirname(logFile),
		jobs: {[jobName]: Object.fromEntries(Object.entries(job).filter(([, value]) => value !== undefined))},
	};

	let configuration: Configuration;
	try {
		configuration = validateConfiguration(raw, source, {directory: cwd, isFile: false});
	} catch (error) {
		if (error instanceof ConfigError) {
			// The daemon name is both the config's and the job's name: one problem per flag is enough.
			const problems = error.problems.map(problem => translate(problem, jobName))
				.filter((problem, index, all) => all.findIndex(other => other.path === problem.path) === index);
			throw new ConfigError(source, problems, {cause: error});
		}

		throw error;
	}

	const pidFile = text('pid-file');
	return {
		configuration,
		...(pidFile === undefined ? {} : {pidFile: path.resolve(cwd, pidFile)}),
		runOnce: flag('run-once'),
		testFire: flag('test-fire'),
		detach: flag('daemonise'),
		debug: flag('debug'),
	};
}
