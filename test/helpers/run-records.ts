import {readFileSync} from 'node:fs';

export type RunRecord = {run: number; slot: number; pid: number; start: number; end?: number};

/** Reads record-run.sh's "start|end RUN SLOT NANOSECONDS PID" lines, one record per process; times in milliseconds. */
export function readRunRecords(file: string): RunRecord[] {
	const runs = new Map<number, RunRecord>();
	let text = '';
	try {
		text = readFileSync(file, 'utf8');
	} catch {}

	for (const line of text.split('\n')) {
		const [kind, run, slot, nanoseconds, pid] = line.split(' ');
		// A run signalled while `date` ran records an empty time: skip it (its end, or fatc's report, still bounds it).
		if (!kind || !nanoseconds) {
			continue;
		}

		const time = Number(nanoseconds) / 1e6;
		const record = runs.get(Number(pid)) ?? {run: Number(run), slot: Number(slot), pid: Number(pid), start: time};
		if (kind === 'end') {
			record.end = time;
		}

		runs.set(Number(pid), record);
	}

	return [...runs.values()];
}

/**
 * The most runs alive at once, from the runs' own records. A run without an end record (SIGKILLed) counts as alive
 * until `fallbackEnd(run)` (when fatc reported its end), else for ever: the check can only overestimate.
 */
export function maxConcurrentRuns(records: RunRecord[], fallbackEnd: (record: RunRecord) => number | undefined = () => undefined): number {
	const points: Array<[number, number]> = [];
	for (const record of records) {
		points.push([record.start, 1], [record.end ?? fallbackEnd(record) ?? Number.POSITIVE_INFINITY, -1]);
	}

	points.sort((first, second) => first[0] - second[0] || first[1] - second[1]);
	let alive = 0;
	let peak = 0;
	for (const [, change] of points) {
		alive += change;
		peak = Math.max(peak, alive);
	}

	return peak;
}
