import {closeSync, openSync, readSync} from 'node:fs';
import type {EndRecord} from './contender.js';

export type EndCount = {
	/** Lines recording an end, so far. */
	count: number;
	/** The time stamp of the line that made `count` reach the target; undefined before, or when it had none. */
	reachedAt?: number;
};

/**
 * Reads a supervisor's end record as it grows, from where the last call stopped: each call reads only the new bytes,
 * so polling it through 10,000 ends costs the benchmark little.
 */
export function followEnds(record: EndRecord, target: number): () => EndCount {
	let offset = 0;
	let partial = '';
	const result: EndCount = {count: 0};
	const buffer = Buffer.alloc(1024 * 1024);
	return () => {
		let descriptor: number;
		try {
			descriptor = openSync(record.file, 'r');
		} catch {
			return result;
		}

		try {
			for (;;) {
				const read = readSync(descriptor, buffer, 0, buffer.length, offset);
				if (read === 0) {
					break;
				}

				offset += read;
				const lines = (partial + buffer.toString('utf8', 0, read)).split('\n');
				partial = lines.pop() ?? '';
				for (const line of lines) {
					if (line.includes(record.marks)) {
						result.count++;
						if (result.count === target) {
							result.reachedAt = record.timeOf(line);
						}
					}
				}
			}
		} finally {
			closeSync(descriptor);
		}

		return result;
	};
}
