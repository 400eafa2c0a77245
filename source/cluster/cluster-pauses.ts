import type {ClusterPause, Snapshot} from '../core/snapshot.js';
import type {Supervisor} from '../core/supervisor.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';

export type ClusterPauses = {
	/**
	 * The supervisor the faces use: a job paused across the cluster refuses resume and restart by hand, and its
	 * snapshot says who paused it. `core` takes the cluster's pauses (so keep-changes.ts does not remember them:
	 * the store does), `outer` the person's.
	 */
	keep(core: Supervisor, outer: Supervisor): Supervisor;
	/**
	 * Makes this fatc follow the store's pauses: a new one pauses the job (as a pause by hand does: its runs are
	 * stopped gracefully); a lifted one resumes it, unless it was paused by hand too (before or during the cluster
	 * pause: that pause stays). Jobs this fatc does not have are left for a reload that adds them.
	 */
	apply(pauses: ReadonlyMap<string, ClusterPause>, snapshot: Snapshot): void;
};

/**
 * `fatc cluster pause JOB` on this fatc. A cluster pause acts as a pause by hand but says where it came from, and
 * wins over the hand: `fatc resume JOB` (or the TUI's p, or a restart, which resumes) on a job paused across the
 * cluster is refused with the command that lifts it, since the next beat would pause it again anyway. A pause by
 * hand during a cluster pause is kept, and outlives it.
 */
export function clusterPauses(onEvent: (event: SupervisorEvent) => void = () => {}): ClusterPauses {
	/** The jobs this fatc holds paused for the cluster, and whether a pause by hand lies under it. */
	const applied = new Map<string, {pause: ClusterPause; byHand: boolean}>();
	let core: Supervisor | undefined;
	const refuse = (job: string, what: string) => {
		const entry = applied.get(job);
		if (entry) {
			throw new Error(`${job}: not ${what}: it is paused across the cluster (by ${entry.pause.from}); "fatc cluster resume ${job}" resumes it on every fatc of the key`);
		}
	};

	return {
		keep(inner, outer) {
			core = inner;
			return {
				...outer,
				snapshot(window, snapshotOptions) {
					const snapshot = outer.snapshot(window, snapshotOptions);
					return {...snapshot, jobs: snapshot.jobs.map(job => ({...job, clusterPause: applied.get(job.name)?.pause ?? null}))};
				},
				pause(job) {
					outer.pause(job);
					const entry = applied.get(job);
					if (entry) {
						entry.byHand = true;
					}
				},
				resume(job) {
					refuse(job, 'resumed');
					outer.resume(job);
				},
				restart(job) {
					refuse(job, 'restarted');
					outer.restart(job);
				},
			};
		},
		apply(pauses, snapshot) {
			if (!core) {
				return;
			}

			const jobs = new Map(snapshot.jobs.map(job => [job.name, job]));
			for (const [job, entry] of applied) {
				if (!jobs.has(job)) {
					// Gone with a reload: a reload that adds it back finds it paused again at the next read.
					applied.delete(job);
				} else if (!pauses.has(job)) {
					applied.delete(job);
					if (!entry.byHand) {
						core.resume(job);
					}

					onEvent({time: Date.now(), type: 'cluster-pause', target: job, paused: false, from: entry.pause.from, byHand: entry.byHand});
				}
			}

			for (const [job, pause] of pauses) {
				const known = jobs.get(job);
				const entry = applied.get(job);
				if (entry) {
					entry.pause = pause;
				} else if (known) {
					applied.set(job, {pause, byHand: known.paused});
					onEvent({time: Date.now(), type: 'cluster-pause', target: job, paused: true, from: pause.from, byHand: known.paused});
					core.pause(job);
				}
			}
		},
	};
}
