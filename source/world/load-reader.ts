import {readFile} from 'node:fs/promises';
import {availableParallelism, loadavg} from 'node:os';
import type {Reading} from '../core/sensors.js';
import type {ErrorReport, Report, SensorWatcher} from './sensor-watcher.js';

/** What a load source gives: the 1-minute load average and the CPUs it is shared by. */
export type LoadSample = {average: number; cpus: number};

/** Reads the load once; tests pass their own values. Default: readSystemLoad. */
export type LoadSource = () => LoadSample | Promise<LoadSample>;

/**
 * The first field of /proc/loadavg, and the CPUs this process may run on (availableParallelism honours the affinity
 * mask, os.cpus() does not). Without /proc (not Linux) os.loadavg() gives the same number.
 */
export async function readSystemLoad(): Promise<LoadSample> {
	const cpus = availableParallelism();
	let text: string;
	try {
		text = await readFile('/proc/loadavg', 'latin1');
	} catch {
		return {average: loadavg()[0] ?? 0, cpus};
	}

	const average = Number(text.split(' ', 1)[0]);
	if (!Number.isFinite(average) || average < 0) {
		throw new Error(`Could not read the load average: /proc/loadavg begins ${JSON.stringify(text.slice(0, 40))}`);
	}

	return {average, cpus};
}

export type LoadOptions = {
	/** Default readSystemLoad. */
	source?: LoadSource;
	/** A read that failed: no reading for that turn, and the next turn tries again. */
	onError?: ErrorReport;
};

/**
 * Reads the load at once, then `every` ms after each read ended (one read at a time, so readings arrive in order).
 * One reader per distinct `every`: create-sensors.ts shares it between all the jobs that hold on load.
 */
export function watchLoad(every: number, report: Report<Extract<Reading, {kind: 'load'}>>, options: LoadOptions = {}): SensorWatcher {
	const {source = readSystemLoad, onError} = options;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const read = async () => {
		let sample: LoadSample | undefined;
		try {
			sample = await source();
		} catch (error) {
			if (!stopped) {
				onError?.(error instanceof Error ? error : new Error(String(error)));
			}
		}

		if (stopped) {
			return;
		}

		// Armed before the report, so that a listener that unwatches from inside it also clears the timer.
		timer = setTimeout(read, every);
		if (sample !== undefined) {
			report({kind: 'load', average: sample.average, cpus: sample.cpus});
		}
	};

	void read();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
