import yaml from 'js-yaml';
import {didYouMean} from './did-you-mean.js';
import {ConfigError, type ConfigProblem} from './errors.js';
import {validateConfiguration} from './load-configuration.js';
import {type Assignment, parseShellAssignments} from './shell-assignments.js';
import {splitArguments} from './split-arguments.js';

/** Original key → fatc job key. Durations stay numbers of seconds, which fatc reads the same way. */
const jobKeyOf = {
	COMMAND: 'command',
	ARGUMENTS: 'args',
	WORKING_DIRECTORY: 'cwd',
	THREAD_MODEL: 'model',
	THREADS: 'instances',
	SLEEP: 'sleep',
	SLEEP_ON_ERROR: 'sleepOnError',
	PROC_RUN_TIME_WARN: 'warnAfter',
	PROC_RUN_TIME_MAX: 'timeout',
	PROC_TERM_TIMEOUT: 'stopTimeout',
	FIXED_INTERVAL_WAIT: 'fixedIntervalWait',
	APPEND_THREAD_ID: 'appendInstanceId',
	LOG_FILE: 'logFile',
	ERR_LOG_FILE: 'errLogFile',
} as const satisfies Record<string, string>;

/** Keys with no place in a fatc config: what to do instead. */
const commentOnlyKeys: Record<string, string> = {
	PID_FILE: 'fatc keeps its pid file and socket in runDir (set `runDir:` to choose the folder);'
		+ ' with the original\'s flags, --pid-file PATH writes one at PATH',
	RUN_ONCE: 'run `fatc --run-once` for one pass of every job, then exit',
};

const knownKeys = ['APPLICATION_NAME', ...Object.keys(jobKeyOf), ...Object.keys(commentOnlyKeys)];

function jobValue(key: keyof typeof jobKeyOf, value: string): unknown {
	switch (key) {
		case 'ARGUMENTS': {
			try {
				return splitArguments(value);
			} catch {
				// Unbalanced quotes: as text, validation reports them on this key's line.
				return value;
			}
		}

		case 'THREAD_MODEL': {
			return /^(dependent|independent|fixed)$/i.test(value) ? value.toLowerCase() : value;
		}

		case 'APPEND_THREAD_ID': {
			const lower = value.toLowerCase();
			return ['true', '1', 'yes'].includes(lower) ? true : (['false', '0', 'no'].includes(lower) ? false : value);
		}

		case 'COMMAND': case 'LOG_FILE': case 'ERR_LOG_FILE': case 'WORKING_DIRECTORY': {
			return value;
		}

		default: {
			// Numbers and durations: a number when it reads as one, else the text (validation shows it).
			return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
		}
	}
}

function comments(lines: string[]): string {
	return lines.map(line => `# ${line}`.trimEnd()).join('\n');
}

/**
 * Turns an original Fat Controller config (`/etc/fatcontroller`: `KEY=value` shell lines) into the text
 * of a `.fatcontrollerrc` (YAML) with one job. Throws a ConfigError naming `sourceName`, the line and
 * the key for unknown keys and for values fatc would reject.
 */
export function importLegacyConfig(text: string, sourceName: string): string {
	const {assignments, unresolved, problems} = parseShellAssignments(text);
	const latest = new Map<string, Assignment>();
	for (const assignment of assignments) {
		if (knownKeys.includes(assignment.key)) {
			latest.set(assignment.key, assignment);
		} else {
			problems.push({path: assignment.key, line: assignment.line, message: `unknown key${didYouMean(assignment.key, knownKeys)}`});
		}
	}

	if (problems.length > 0) {
		throw new ConfigError(sourceName, problems);
	}

	const name = latest.get('APPLICATION_NAME')?.value || 'fatcontroller';
	const job: Record<string, unknown> = {};
	for (const [key, jobKey] of Object.entries(jobKeyOf)) {
		const value = latest.get(key)?.value;
		if (value !== undefined && value !== '') {
			job[jobKey] = jobValue(key as keyof typeof jobKeyOf, value);
		}
	}

	const raw = {name, jobs: {[name]: job}};
	validateImported(raw, sourceName, name, latest);
	const notes = [...latest.values()].filter(({key}) => key in commentOnlyKeys)
		.map(({key, value}) => `${key}=${value}: ${commentOnlyKeys[key]}.`);
	if (unresolved.length > 0) {
		notes.push(`Left as written, not defined in ${sourceName}: ${unresolved.map(variable => `$${variable}`).join(', ')}.`);
	}

	const header = [
		`fatc config, converted by \`fatc import\` from ${sourceName}.`,
		'Durations are seconds, as in the original. .fatcontrollerrc.example shows every key.',
		...(notes.length > 0 ? ['', ...notes] : []),
	];
	return `${comments(header)}\n${yaml.dump(raw, {lineWidth: -1, noRefs: true})}`;
}

/** Validates as fatc would load it, naming the original's keys and lines in errors. */
function validateImported(raw: unknown, sourceName: string, name: string, latest: Map<string, Assignment>): void {
	const keyOfJobKey = new Map<string, string>(Object.entries(jobKeyOf).map(([key, jobKey]) => [jobKey, key]));
	const locate = (problem: ConfigProblem): ConfigProblem => {
		const jobKey = problem.path.startsWith(`jobs.${name}.`) ? problem.path.slice(`jobs.${name}.`.length).split(/[.[]/)[0] : undefined;
		const key = jobKey === undefined ? 'APPLICATION_NAME' : keyOfJobKey.get(jobKey) ?? problem.path;
		const line = latest.get(key)?.line;
		return {...problem, path: key, ...(line === undefined ? {} : {line})};
	};

	try {
		validateConfiguration(raw, sourceName, {directory: '/', isFile: false});
	} catch (error) {
		if (error instanceof ConfigError) {
			throw new ConfigError(sourceName, error.problems.map(locate), {cause: error});
		}

		throw error;
	}
}
