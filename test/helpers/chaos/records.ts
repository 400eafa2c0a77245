import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/** One process of chaos-run.sh, from its own lines; times in milliseconds since the epoch. */
export type ChaosRecord = {
	pid: number;
	run: number;
	/** Absent when it was stopped before it wrote its start. */
	start?: number;
	/** How long after its fork it wrote its start: fatc decided to start it before `start - lag`. */
	lag?: number;
	/** Absent when it was SIGKILLed (reaped after a fatc was killed). */
	end?: number;
};

const millisecondsPerTick = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}));

export function readChaosRecords(file: string): Map<number, ChaosRecord> {
	const records = new Map<number, ChaosRecord>();
	let text = '';
	try {
		text = readFileSync(file, 'utf8');
	} catch {}

	for (const line of text.split('\n')) {
		const [kind, run, , nanoseconds, pid, lagTicks] = line.split(' ');
		// A signal that killed `date` leaves an empty time: that line says nothing.
		if (!kind || !pid || !nanoseconds) {
			continue;
		}

		const record = records.get(Number(pid)) ?? {pid: Number(pid), run: Number(run)};
		if (kind === 'start') {
			record.start = Number(nanoseconds) / 1e6;
			// Ticks are whole: one more tick covers the rounding.
			record.lag = (Number(lagTicks) + 1) * millisecondsPerTick;
		} else {
			record.end = Number(nanoseconds) / 1e6;
		}

		records.set(Number(pid), record);
	}

	return records;
}
