import type {Configuration} from '../core/job-definition.js';
import type {Supervisor} from '../core/supervisor.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {describeError} from '../reporters/describe-error.js';
import {
	forgetRememberedChanges,
	readRememberedChanges,
	reconcileChanges,
	rememberedChangesFile,
	rememberPause,
	rememberScale,
	sameChanges,
	writeRememberedChanges,
	type DroppedScale,
	type RememberedChanges,
	type RememberedJob,
} from './remembered-changes.js';

export type KeepChangesOptions = {
	/** The config as the file says it. */
	configuration: Configuration;
	loadConfiguration?: () => Promise<Configuration>;
	/** `--fresh`: forget what was remembered (the file is removed) and start from the file's values. */
	fresh: boolean;
	onEvent(event: SupervisorEvent): void;
};

export type KeptChanges = {
	/**
	 * The remembered scales, for the supervisor to create its jobs with (SupervisorOptions.startScales): it runs the
	 * file's config, so a reload compares the file with the file and keeps them until the file's own instances changes,
	 * as any scale by hand.
	 */
	startScales: ReadonlyMap<string, number>;
	/** Loads the file, forgetting a remembered scale once the file's own instances has changed. */
	loadConfiguration?: () => Promise<Configuration>;
	/** Pauses the remembered jobs (before start: they start no run) and returns the supervisor that remembers. */
	keep(supervisor: Supervisor): Supervisor;
	/** Tells what was re-applied, dropped or unreadable; from then on, a failed write is told at once. */
	announce(): void;
};

/**
 * Scales and pauses made at run time survive a restart of the same config (remembered-changes.ts holds the file):
 * re-applied at start while the file's own `instances` is still what it was when the scale was made, dropped once
 * a load of the file says otherwise, forgotten with the job. A file that cannot be used is told and ignored.
 */
export function keepChanges(options: KeepChangesOptions): KeptChanges {
	const file = rememberedChangesFile(options.configuration);
	const notices: Array<{message: string; failed: boolean}> = [];
	let announced = false;
	/** `failed`: the file could not be read or written (an error line); else what was re-applied or forgotten. */
	const tell = (message: string, failed = false) => {
		if (announced) {
			options.onEvent({time: Date.now(), type: failed ? 'supervisor-error' : 'remembered', message});
		} else {
			notices.push({message, failed});
		}
	};

	let fileConfiguration = options.configuration;
	let changes = options.fresh ? forget(file, tell) : read(file, tell);
	const save = (next: RememberedChanges) => {
		if (sameChanges(changes, next)) {
			return;
		}

		changes = next;
		try {
			writeRememberedChanges(file, next);
		} catch (error) {
			tell(`could not remember the scales and pauses made by hand: ${describeError(error)}`, true);
		}
	};

	const atStart = reconcileChanges(changes, options.configuration);
	for (const dropped of atStart.dropped) {
		tell(describeDropped(dropped));
	}

	save(atStart.changes);
	for (const [job, entry] of changes) {
		tell(`remembered from the last run: ${job} ${describeEntry(entry)} — fatc --fresh forgets`);
	}

	const {loadConfiguration} = options;
	const fileInstances = (job: string) => fileConfiguration.jobs.find(definition => definition.name === job)?.instances;
	return {
		loadConfiguration: loadConfiguration && (async () => {
			const loaded = await loadConfiguration();
			fileConfiguration = loaded;
			save(reconcileChanges(changes, loaded).changes);
			return loaded;
		}),
		startScales: new Map([...changes].flatMap(([job, {instances, fileInstances}]) =>
			instances === undefined || fileInstances === undefined ? [] : [[job, instances] as const])),
		keep(supervisor) {
			for (const [job, entry] of changes) {
				if (entry.paused) {
					supervisor.pause(job);
				}
			}

			return {
				...supervisor,
				scale(job, instances) {
					supervisor.scale(job, instances);
					const inFile = fileInstances(job);
					if (inFile !== undefined) {
						save(rememberScale(changes, job, instances, inFile));
					}
				},
				pause(job) {
					supervisor.pause(job);
					if (fileInstances(job) !== undefined) {
						save(rememberPause(changes, job, true));
					}
				},
				resume(job) {
					supervisor.resume(job);
					save(rememberPause(changes, job, false));
				},
				restart(job) {
					// A restart resumes a paused job.
					supervisor.restart(job);
					save(rememberPause(changes, job, false));
				},
			};
		},
		announce() {
			announced = true;
			for (const {message, failed} of notices.splice(0)) {
				tell(message, failed);
			}
		},
	};
}

function read(file: string, tell: (message: string, failed?: boolean) => void): RememberedChanges {
	try {
		return readRememberedChanges(file);
	} catch (error) {
		tell(`${describeError(error)}; starting from the file's values (the next scale or pause by hand replaces it; fatc --fresh removes it)`, true);
		return new Map();
	}
}

function forget(file: string, tell: (message: string, failed?: boolean) => void): RememberedChanges {
	let forgotten: RememberedChanges = new Map();
	try {
		forgotten = readRememberedChanges(file);
	} catch {
		// Unusable or not: --fresh removes it.
	}

	try {
		forgetRememberedChanges(file);
	} catch (error) {
		tell(describeError(error), true);
	}

	if (forgotten.size > 0) {
		tell(`--fresh: forgot ${[...forgotten].map(([job, entry]) => `${job} ${describeEntry(entry)}`).join(', ')}`);
	}

	return new Map();
}

function describeEntry(entry: RememberedJob): string {
	const scale = entry.instances === undefined ? [] : [`instances ${entry.instances} (the file says ${entry.fileInstances})`];
	return [...scale, ...(entry.paused ? ['paused'] : [])].join(', ');
}

function describeDropped(dropped: DroppedScale): string {
	const why = dropped.fileNow === undefined
		? `${dropped.job} is no longer in the file`
		: `the file's instances changed (${dropped.fileInstances} -> ${dropped.fileNow})`;
	return `forgot ${dropped.job} instances ${dropped.instances} set by hand: ${why}`;
}
