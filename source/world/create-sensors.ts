import type {Reading, SensorSpec, Sensors, StartProbe} from '../core/sensors.js';
import {watchWakeFile} from './file-waker.js';
import {watchLoad, type LoadSource} from './load-reader.js';
import {watchProbe} from './probe-runner.js';
import type {ErrorReport, SensorWatcher} from './sensor-watcher.js';
import {specKey} from './spec-key.js';

export type SensorsOptions = {
	/** Where load readings come from (tests feed their own). Default: /proc/loadavg and availableParallelism(). */
	loadSource?: LoadSource;
	/** Errors no reading can carry: an unreadable load, a folder that cannot be watched. Default: none told. */
	onError?: ErrorReport;
	/** Milliseconds that gather a burst of wake-file events into one reading. Default 20. */
	fileCoalesce?: number;
	/** How probes start: the host's posix_spawn engine. Default: child_process.spawn. */
	startProbe?: StartProbe;
};

type Listener = (reading: Reading) => void;

/** One watcher of one distinct spec and everyone listening to it. */
type Shared = {
	/** Objects, not the listeners: one function watching twice counts twice, and each unwatch removes one. */
	subscriptions: Set<{listener: Listener}>;
	watcher?: SensorWatcher;
	/** The latest load or probe reading, for a listener that joins later. */
	last?: Reading;
	readings: number;
};

/**
 * The world layer behind core/sensors.ts. Identical specs (same JSON, keys in any order) share one watcher: one load
 * reader per `every`, one probe process per distinct probe, however many jobs watch it. The watcher starts with the
 * first listener and stops with the last. A listener joining a load or probe watcher that has already read gets
 * that reading at once (in a microtask, never inside watch()); a wake file's past touch is not replayed.
 */
export function createSensors(options: SensorsOptions = {}): Sensors {
	const shared = new Map<string, Shared>();
	const stopping = new Set<Promise<void>>();
	let closed = false;

	const stop = (watcher: SensorWatcher | undefined) => {
		if (watcher !== undefined) {
			const stopped = watcher.stop().finally(() => {
				stopping.delete(stopped);
			});
			stopping.add(stopped);
		}
	};

	const dispatch = (entry: Shared, reading: Reading) => {
		entry.readings++;
		if (reading.kind !== 'file') {
			entry.last = reading;
		}

		// Every listener hears it even if one throws; the first error is thrown on after (a listener bug, not ours).
		let failure: {error: unknown} | undefined;
		for (const subscription of [...entry.subscriptions]) {
			if (entry.subscriptions.has(subscription)) {
				try {
					subscription.listener(reading);
				} catch (error) {
					failure ??= {error};
				}
			}
		}

		if (failure !== undefined) {
			throw failure.error;
		}
	};

	const start = (spec: SensorSpec, entry: Shared): SensorWatcher => {
		const report = (reading: Reading) => {
			dispatch(entry, reading);
		};

		switch (spec.kind) {
			case 'load': {
				return watchLoad(spec.every, report, {source: options.loadSource, onError: options.onError});
			}

			case 'probe': {
				return watchProbe(spec, report, options.startProbe);
			}

			case 'file': {
				return watchWakeFile(spec.path, report, {coalesce: options.fileCoalesce, onError: options.onError});
			}
		}
	};

	return {
		watch(spec, listener) {
			if (closed) {
				// A job's teardown racing the supervisor's close: nothing to watch any more.
				return () => {};
			}

			validateSpec(spec);
			const key = specKey(spec);
			let entry = shared.get(key);
			if (entry === undefined) {
				const created: Shared = {subscriptions: new Set(), readings: 0};
				entry = created;
				shared.set(key, created);
				created.watcher = start(spec, created);
			}

			const joined = entry;
			const subscription = {listener};
			joined.subscriptions.add(subscription);
			const last = joined.last;
			if (last !== undefined) {
				const readingsAtJoin = joined.readings;
				queueMicrotask(() => {
					// Not when a newer reading has reached it meanwhile: it would arrive out of order.
					if (joined.subscriptions.has(subscription) && joined.readings === readingsAtJoin) {
						listener(last);
					}
				});
			}

			return () => {
				if (!joined.subscriptions.delete(subscription) || joined.subscriptions.size > 0) {
					return;
				}

				if (shared.get(key) === joined) {
					shared.delete(key);
				}

				stop(joined.watcher);
			};
		},

		async close() {
			closed = true;
			for (const entry of shared.values()) {
				entry.subscriptions.clear();
				stop(entry.watcher);
			}

			shared.clear();
			await Promise.all(stopping);
		},
	};
}

/** Say what was wrong with a spec the core built, rather than probe in a tight loop or never. */
function validateSpec(spec: SensorSpec): void {
	const durations = spec.kind === 'load' ? {every: spec.every} : spec.kind === 'probe' ? {every: spec.every, timeout: spec.timeout} : {};
	for (const [name, value] of Object.entries(durations)) {
		if (!Number.isFinite(value) || value <= 0) {
			throw new Error(`sensor ${spec.kind}.${name}: expected a number of milliseconds above 0, got ${value}`);
		}
	}

	if (spec.kind === 'probe' && spec.command.trim() === '') {
		throw new Error('sensor probe.command: expected a shell command, got an empty string');
	}

	if (spec.kind === 'file' && spec.path === '') {
		throw new Error('sensor file.path: expected a path, got an empty string');
	}
}
