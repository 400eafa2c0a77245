import type {SpawnRequest} from './process-driver.js';
import type {JobDefinition} from './job-definition.js';

// fatc's environment plus the job's `env`, per definition: reading process.env (a getenv per key) on every spawn
// cost a tenth of fatc's time in the restart-throughput benchmark.
const baseEnvironments = new WeakMap<JobDefinition, Record<string, string>>();

function baseEnvironment(definition: JobDefinition): Record<string, string> {
	let environment = baseEnvironments.get(definition);
	if (!environment) {
		environment = {...process.env as Record<string, string>, ...definition.env, FATC_JOB: definition.name};
		baseEnvironments.set(definition, environment);
	}

	return environment;
}

/**
 * The command line and environment of one run (SPEC §1: FATC_JOB, FATC_SLOT, FATC_RUN, appendInstanceId; and
 * FATC_CLUSTER_SLOT, the slot of its cluster lease, 0…cluster.instances−1 across every host).
 */
export function buildSpawnRequest(definition: JobDefinition, slot: number, runId: number, onLine: (line: string) => void, clusterSlot?: number): SpawnRequest {
	return {
		job: definition.name,
		runId,
		command: definition.command,
		args: definition.appendInstanceId ? [...definition.args, `--tid=${slot}`] : definition.args,
		cwd: definition.cwd,
		env: {
			...baseEnvironment(definition),
			FATC_SLOT: String(slot),
			FATC_RUN: String(runId),
			...(clusterSlot === undefined || clusterSlot < 0 ? {} : {FATC_CLUSTER_SLOT: String(clusterSlot)}),
		},
		logFile: definition.logFile,
		errLogFile: definition.errLogFile,
		logPrefix: definition.logFormat && {time: definition.logFormat.time, run: definition.logFormat.run ? `run ${runId} slot ${slot}` : undefined},
		onLine,
		stopSignal: definition.stopSignal,
		stopTimeout: definition.stopTimeout,
	};
}
