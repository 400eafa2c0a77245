import type {JobChange} from './diff-configuration.js';
import type {JobDefinition} from './job-definition.js';
import type {JobEvent} from './job-event.js';
import type {JobState} from './job-state.js';

/** A job as the supervisor shell keeps it, as far as a reload is concerned. */
export type ReloadableJob = {
	state: JobState;
	cancelTimer?: () => void;
	/**
	 * Set when a reload removed the job: it stays (and shows, phase `stopping`) until its runs are gone, then is dropped —
	 * or replaced by `successor` when a later reload added a job of the same name meanwhile.
	 */
	removal?: {successor?: JobDefinition};
};

/** The supervisor's jobs, and how it makes and steers one. */
export type JobTable<Job extends ReloadableJob> = {
	readonly jobs: Map<string, Job>;
	create(definition: JobDefinition): Job;
	dispatch(name: string, event: JobEvent): void;
};

/**
 * Applies a reload's per-job changes: unchanged jobs are not touched; changed ones get `redefine`; removed ones get
 * `shutdown` (graceful stop of their runs); added ones are created and started. Jobs then follow the new config's order.
 * A change that leaves `instances` alone keeps the job's current instances, so a scale made by hand (TUI `+`/`-`,
 * `fatc scale`) lasts until the file's own `instances` changes.
 */
export function applyJobChanges<Job extends ReloadableJob>(table: JobTable<Job>, changes: readonly JobChange[]): void {
	const {jobs} = table;
	const events: Array<[string, JobEvent]> = [];
	for (const change of changes) {
		const job = jobs.get(change.name);
		if (change.type === 'unchanged') {
			continue;
		}

		if (change.type === 'removed') {
			if (job && !job.removal) {
				events.push([change.name, {type: 'shutdown'}]);
			}

			if (job) {
				job.removal = {};
			}

			continue;
		}

		if (job?.removal) {
			// Its old runs are still stopping: the new definition starts once they are gone.
			job.removal = {successor: change.definition};
		} else if (job) {
			const keepsInstances = change.type === 'changed' && !change.fields.includes('instances');
			const definition = keepsInstances ? {...change.definition, instances: job.state.definition.instances} : change.definition;
			events.push([change.name, {type: 'redefine', definition}]);
		} else {
			jobs.set(change.name, table.create(change.definition));
			events.push([change.name, {type: 'start'}]);
		}
	}

	reorder(jobs, changes.map(change => change.name));
	// Only now, with every added job in the table: a removed job with nothing to stop must not make the whole look over.
	for (const [name, event] of events) {
		table.dispatch(name, event);
	}
}

/** Drops removed jobs whose runs are all gone (or starts their successor). Called after every event. */
export function dropRemovedJobs<Job extends ReloadableJob>(table: JobTable<Job>, shuttingDown: boolean): void {
	for (const [name, job] of [...table.jobs]) {
		if (!job.removal || job.state.runs.length > 0) {
			continue;
		}

		job.cancelTimer?.();
		const {successor} = job.removal;
		if (successor && !shuttingDown) {
			table.jobs.set(name, table.create(successor));
			table.dispatch(name, {type: 'start'});
		} else {
			table.jobs.delete(name);
		}
	}
}

/** Puts the map's entries in `order` (names not in it keep their place after the others). */
function reorder<Value>(map: Map<string, Value>, order: readonly string[]): void {
	const entries = [...map];
	const rank = (name: string) => {
		const index = order.indexOf(name);
		return index === -1 ? order.length : index;
	};

	entries.sort(([first], [second]) => rank(first) - rank(second));
	map.clear();
	for (const [name, value] of entries) {
		map.set(name, value);
	}
}
