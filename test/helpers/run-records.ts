import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/**
 * One process of record-run.sh or chaos-run.sh, from the lines it wrote itself ("start|end RUN SLOT NANOSECONDS PID",
 * chaos-run.sh adding LAG_TICKS to its start); times in milliseconds since the epoch.
 */
export type RunRecord = {
	pid: number;
	run: number;
	slot: number;
	/** Absent when it was stopped before it wrote its start (a signal that killed its `date` leaves no time). */
	start?: number;
	/** chaos-run.sh only: how long after its fork it wrote its start, so fatc decided to start it before `start - lag`. */
	lag?: number;
	/** Absent when it was SIGKILLed, or is still running. */
	end?: number;
};

let millisecondsPerTick: number | undefined;
const tickMilliseconds = () => {
	millisecondsPerTick ??= 1000 / Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}));
	return millisecondsPerTick;
};

/** The records in `file` (none when it does not exist yet), one per process, in the order they first wrote. */
export function readRunRecords(file: string): RunRecord[] {
	const records = new Map<number, RunRecord>();
	let text = '';
	try {
		text = readFileSync(file, 'utf8');
	} catch {}

	for (const line of text.split('\n')) {
		const [kind, run, slot, nanoseconds, pid, lagTicks] = line.split(' ');
		// A signal that killed `date` leaves an empty time, and a line being written may lack its pid: it says nothing.
		if (!kind || !nanoseconds || !pid) {
			continue;
		}

		const record = records.get(Number(pid)) ?? {pid: Number(pid), run: Number(run), slot: Number(slot)};
		const time = Number(nanoseconds) / 1e6;
		if (kind === 'start') {
			record.start = time;
			if (lagTicks) {
				// Ticks are whole: one more tick covers the rounding.
				record.lag = (Number(lagTicks) + 1) * tickMilliseconds();
			}
		} else {
			record.end = time;
		}

		records.set(Number(pid), record);
	}

	return [...records.values()];
}

/**
 * The most runs alive at once, from the runs' own records. A run without an end record (SIGKILLed) counts as alive
 * until `fallbackEnd(run)` (when fatc reported its end), else for ever: the check can only overestimate. A run without
 * a start record is not counted.
 */
export function maxConcurrentRuns(records: RunRecord[], fallbackEnd: (record: RunRecord) => number | undefined = () => undefined): number {
	return peakOfRuns(records, fallbackEnd).length;
}

/** The runs alive together at the first moment the most were (as maxConcurrentRuns counts them): what to show when it is too many. */
export function peakOfRuns(records: RunRecord[], fallbackEnd: (record: RunRecord) => number | undefined = () => undefined): RunRecord[] {
	const points: Array<[number, number, RunRecord]> = [];
	for (const record of records.filter(record => record.start !== undefined)) {
		points.push([record.start!, 1, record], [record.end ?? fallbackEnd(record) ?? Number.POSITIVE_INFINITY, -1, record]);
	}

	points.sort((first, second) => first[0] - second[0] || first[1] - second[1]);
	const alive = new Set<RunRecord>();
	let peak: RunRecord[] = [];
	for (const [, change, record] of points) {
		if (change > 0) {
			alive.add(record);
		} else {
			alive.delete(record);
		}

		if (alive.size > peak.length) {
			peak = [...alive];
		}
	}

	return peak;
}
