import {validateConfiguration} from '../../source/config/load-configuration.js';
import type {JobDefinition} from '../../source/core/job-definition.js';

/** A job with only a command, through the real schema and resolver: every default as a config file would get it. */
const defaults: JobDefinition = {
	...validateConfiguration({jobs: {job: {command: 'true'}}}, 'test defaults', {directory: '/', isFile: false}).jobs[0]!,
	// Not <config folder>/logs/job.log: a test that spawns names its own log file.
	logFile: '/dev/null',
};

/** A job with the schema's defaults (durations in milliseconds, cwd `/`, log /dev/null) and the given overrides. */
export function makeDefinition(overrides: Partial<JobDefinition> = {}): JobDefinition {
	return {...structuredClone(defaults), ...overrides};
}
