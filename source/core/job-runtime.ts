import type {ReloadableJob} from './apply-configuration.js';
import type {JobDefinition} from './job-definition.js';
import {createJobState} from './job-state.js';
import type {CancelStart} from './spawn-pacer.js';
import type {RunProcess} from './process-driver.js';

/** A job as the supervisor shell keeps it: the rules' state plus what only the shell can hold. */
export type JobRuntime = ReloadableJob & {
	/** Runs whose process exists, by run id. */
	processes: Map<number, RunProcess>;
	/** Runs decided (they hold their slot) but waiting for the pacer: a stop cancels them unspawned. */
	queuedStarts: Map<number, CancelStart>;
	/** The last output line of each run, for the TUI. */
	lastLines: Map<number, string>;
};

export function createJobRuntime(definition: JobDefinition, options: {runOnce?: boolean}): JobRuntime {
	return {
		state: createJobState(definition, options),
		processes: new Map(),
		queuedStarts: new Map(),
		lastLines: new Map(),
	};
}
