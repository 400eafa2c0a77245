import type {JobDefinition} from './job-definition.js';
import type {SensorRole} from './job-event.js';
import type {SensorSpec} from './sensors.js';

/**
 * What the world layer must watch for a job, by what the reading is for. Probes run in the job's folder with its `env`;
 * a hold probe gets no FATC_JOB, so that jobs sharing the global hold share one probe (the sensors merge equal specs).
 */
export function sensorSpecs(definition: JobDefinition): Map<SensorRole, SensorSpec> {
	const specs = new Map<SensorRole, SensorSpec>();
	const {hold, backlog, wake, cwd} = definition;
	const {env} = definition;
	if (hold?.load !== undefined) {
		specs.set('load', {kind: 'load', every: hold.every});
	}

	if (hold?.command !== undefined) {
		specs.set('hold-probe', {kind: 'probe', command: hold.command, cwd, env, every: hold.every, timeout: hold.timeout});
	}

	if (backlog) {
		const probeEnv = {...env, FATC_JOB: definition.name};
		specs.set('backlog', {kind: 'probe', command: backlog.command, cwd, env: probeEnv, every: backlog.every, timeout: backlog.timeout});
	}

	if (wake) {
		specs.set('wake', {kind: 'file', path: wake.path});
	}

	return specs;
}
