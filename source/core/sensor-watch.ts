import type {SensorRole, JobEvent} from './job-event.js';
import type {JobRuntime} from './job-runtime.js';
import type {Sensors} from './sensors.js';
import {sensorSpecs} from './sensor-specs.js';

type Watching = Map<SensorRole, {key: string; unwatch: () => void}>;

/**
 * Keeps the sensors in step with the jobs: each job watches what its definition asks for (sensor-specs.ts), a reload
 * that changes a probe swaps only that watcher, and a stopping or removed job watches nothing. Readings come back as
 * `sensed` events.
 */
export function createSensorWatch(sensors: Sensors | undefined, dispatch: (job: string, event: JobEvent) => void) {
	const watching = new Map<string, Watching>();
	const seen = new WeakMap<JobRuntime, JobRuntime['state']['definition']>();

	function unwatchJob(job: string) {
		for (const {unwatch} of watching.get(job)?.values() ?? []) {
			unwatch();
		}

		watching.delete(job);
	}

	function syncJob(job: string, runtime: JobRuntime) {
		const {definition} = runtime.state;
		seen.set(runtime, definition);
		const current: Watching = watching.get(job) ?? new Map();
		const wanted = sensorSpecs(definition);
		for (const [role, watcher] of current) {
			const spec = wanted.get(role);
			if (spec === undefined || JSON.stringify(spec) !== watcher.key) {
				watcher.unwatch();
				current.delete(role);
			}
		}

		for (const [role, spec] of wanted) {
			if (!current.has(role)) {
				const unwatch = sensors!.watch(spec, reading => {
					dispatch(job, {type: 'sensed', role, reading});
				});
				current.set(role, {key: JSON.stringify(spec), unwatch});
			}
		}

		watching.set(job, current);
	}

	return {
		/** After every burst of events: O(jobs), and a job's specs are only compared when its definition changed. */
		sync(jobs: ReadonlyMap<string, JobRuntime>) {
			if (sensors === undefined) {
				return;
			}

			for (const job of watching.keys()) {
				const runtime = jobs.get(job);
				if (!runtime || runtime.removal || runtime.state.phase === 'stopping') {
					unwatchJob(job);
				}
			}

			for (const [job, runtime] of jobs) {
				if (!runtime.removal && runtime.state.phase !== 'stopping' && seen.get(runtime) !== runtime.state.definition) {
					syncJob(job, runtime);
				}
			}
		},
		/** Stops every watcher and waits for running probes to be gone. */
		async close() {
			for (const job of [...watching.keys()]) {
				unwatchJob(job);
			}

			await sensors?.close();
		},
	};
}
