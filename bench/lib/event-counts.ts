import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';

export type EventCounts = {started: number; ended: number; done: number; more: number; errors: number; stopped: number};

/** Counts run-started and run-ended events (by result) in the JSON lines `fatc run --json` wrote. */
export async function countEvents(file: string): Promise<EventCounts> {
	const counts: EventCounts = {started: 0, ended: 0, done: 0, more: 0, errors: 0, stopped: 0};
	for await (const line of createInterface({input: createReadStream(file), crlfDelay: Infinity})) {
		// Cheap substring tests first: 400,000 lines for the long soak.
		if (line.includes('"run-started"')) {
			counts.started++;
		} else if (line.includes('"run-ended"')) {
			counts.ended++;
			const {result} = JSON.parse(line) as {result: 'done' | 'more' | 'error' | 'stopped'};
			counts[result === 'error' ? 'errors' : result]++;
		}
	}

	return counts;
}
