import type {JobDefinition} from '../../source/core/job-definition.js';

/** A job with SPEC's defaults (in milliseconds) and the given overrides. */
export function makeDefinition(overrides: Partial<JobDefinition> = {}): JobDefinition {
	return {
		name: 'job',
		command: 'true',
		args: [],
		cwd: '/',
		env: {},
		model: 'dependent',
		instances: 1,
		sleep: 30_000,
		sleepOnError: 300_000,
		warnAfter: 3_600_000,
		timeout: 0,
		stopSignal: 'SIGTERM',
		stopTimeout: 30_000,
		fixedIntervalWait: -1,
		exitCodes: {done: [0], more: [64]},
		appendInstanceId: false,
		logFile: '/dev/null',
		onChange: 'finish',
		...overrides,
	};
}
