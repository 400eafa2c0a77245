import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';

/**
 * Runs counted by run number (job + runId) from `fatc run --json`'s event lines. A run fatc began but never spawned
 * (a start cancelled before its spawn, or a spawn that failed) has a `run-ended` without a pid and no `run-started`:
 * it counts as started (`unspawned`) and as ended, so `started = spawned + unspawned` and `started = ended` when every
 * run is accounted for.
 */
export type EventCounts = {
	/** Run numbers fatc began: spawned + unspawned. */
	started: number;
	/** Runs with a `run-started` (they had a pid). */
	spawned: number;
	/** Runs that ended without a pid and without a `run-started`. */
	unspawned: number;
	ended: number;
	done: number;
	more: number;
	errors: number;
	stopped: number;
	/** Spawned runs with no `run-ended` by the end of the file: lost ends. */
	unended: number;
	/** `run-ended` with a pid but no `run-started` before it: lost starts. */
	endedUnstarted: number;
};

type RunEvent = {type: string; job?: string; runId: number; pid?: number; result?: 'done' | 'more' | 'error' | 'stopped'};

export async function countEvents(file: string): Promise<EventCounts> {
	const counts: EventCounts = {started: 0, spawned: 0, unspawned: 0, ended: 0, done: 0, more: 0, errors: 0, stopped: 0, unended: 0, endedUnstarted: 0};
	// Only runs under way are held, so 200,000 runs need no more memory than their parallelism.
	const open = new Set<string>();
	for await (const line of createInterface({input: createReadStream(file), crlfDelay: Infinity})) {
		// Cheap substring tests first: 400,000 lines for the long soak.
		const isStart = line.includes('"run-started"');
		if (!isStart && !line.includes('"run-ended"')) {
			continue;
		}

		const event = JSON.parse(line) as RunEvent;
		const key = `${event.job ?? ''} ${event.runId}`;
		if (event.type === 'run-started') {
			counts.spawned++;
			open.add(key);
			continue;
		}

		counts.ended++;
		counts[event.result === 'error' ? 'errors' : (event.result ?? 'errors')]++;
		if (open.delete(key)) {
			continue;
		}

		if (event.pid === undefined) {
			counts.unspawned++;
		} else {
			counts.endedUnstarted++;
		}
	}

	counts.unended = open.size;
	counts.started = counts.spawned + counts.unspawned;
	return counts;
}
