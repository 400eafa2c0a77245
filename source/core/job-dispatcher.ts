import type {Effect, JobEvent} from './job-event.js';
import {reduceJob} from './job-reducer.js';
import type {JobRuntime} from './job-runtime.js';

export type JobDispatcherOptions = {
	jobs: ReadonlyMap<string, JobRuntime>;
	now(): number;
	/** Runs one effect of the rules (effect-runner.ts). */
	apply(job: string, runtime: JobRuntime, effect: Effect): void;
	/** After a burst of events has been reduced and its effects run. */
	afterDrain(): void;
};

/**
 * Feeds events to the pure rules one at a time, in order: an event caused while effects run (a spawn that
 * reports at once) waits in the queue until the current one is done, so the rules never see a half-applied state.
 */
export function createJobDispatcher(options: JobDispatcherOptions): (job: string, event: JobEvent) => void {
	const queue: Array<{job: string; event: JobEvent}> = [];
	let draining = false;
	return function dispatch(job, event) {
		queue.push({job, event});
		if (draining) {
			return;
		}

		draining = true;
		// An index, not shift(): ten thousand ends queued at once must not cost O(n) each.
		let index = 0;
		try {
			for (; index < queue.length; index++) {
				const next = queue[index]!;
				const runtime = options.jobs.get(next.job);
				if (!runtime) {
					continue;
				}

				const reduction = reduceJob(runtime.state, next.event, options.now());
				runtime.state = reduction.state;
				// What the rules do first, what they tell after: a run that replaces one that ended starts before the
				// faces hear of the end (the end's listeners — lines, registry, metrics, history — cost ~0.1 ms that
				// the next start used to wait for). The faces still hear the end first: the start is a later event.
				for (const effect of reduction.effects) {
					if (effect.type !== 'notify') {
						options.apply(next.job, runtime, effect);
					}
				}

				for (const effect of reduction.effects) {
					if (effect.type === 'notify') {
						options.apply(next.job, runtime, effect);
					}
				}
			}
		} finally {
			// After a throw, the events not yet reduced wait for the next dispatch.
			queue.splice(0, Math.min(index + 1, queue.length));
			draining = false;
		}

		options.afterDrain();
	};
}
