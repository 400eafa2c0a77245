import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import type {HistoryEntry} from '../core/run-history.js';

/** What a read found: how many lines were not an entry (a torn write, a stray edit), and whether any file was there. */
export type HistoryScan = {corrupt: number; found: boolean};

/**
 * Visits the entries of `file`, then of `file.1`, newest first, reading from the end backwards a chunk at a time: only
 * as far as `visit` (false: enough) and `maxBytes` let it, so a long history costs only the part wanted.
 */
export function scanHistory(file: string, visit: (entry: HistoryEntry) => boolean, maxBytes = Number.POSITIVE_INFINITY): HistoryScan {
	const scan = {corrupt: 0, found: false};
	let budget = maxBytes;
	for (const path of [file, `${file}.1`]) {
		let descriptor: number;
		try {
			descriptor = openSync(path, 'r');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				continue;
			}

			throw new Error(`Could not read the run history ${path}`, {cause: error});
		}

		scan.found = true;
		try {
			for (const {line, bytes} of linesBackward(descriptor, path, () => budget)) {
				budget -= bytes;
				const entry = parseEntry(line);
				if (entry === undefined) {
					scan.corrupt++;
				} else if (!visit(entry)) {
					return scan;
				}
			}
		} finally {
			closeSync(descriptor);
		}

		if (budget <= 0) {
			break;
		}
	}

	return scan;
}

/**
 * What a starting fatc takes over: the last `perJob` entries of each of `jobs` (runs of jobs no longer in the config
 * are left in the file), oldest first, from at most the last `maxBytes` of the files (default 8 MiB, ~35,000 runs).
 */
export function readHistoryTail(file: string, options: {jobs: readonly string[]; perJob?: number; maxBytes?: number}): HistoryScan & {entries: HistoryEntry[]} {
	const {perJob = 1000, maxBytes = 8 * 1024 * 1024} = options;
	const counts = new Map(options.jobs.map(job => [job, 0]));
	let unfilled = counts.size;
	const entries: HistoryEntry[] = [];
	const scan = unfilled === 0 ? {corrupt: 0, found: false} : scanHistory(file, entry => {
		const count = counts.get(entry.job);
		if (count !== undefined && count < perJob) {
			entries.push(entry);
			counts.set(entry.job, count + 1);
			unfilled -= count + 1 === perJob ? 1 : 0;
		}

		return unfilled > 0;
	}, maxBytes);
	return {...scan, entries: entries.reverse()};
}

/** `fatc history` without a daemon: a job's entries (all jobs' without one) that ended at or after `since`, newest first. */
export function queryHistoryFile(file: string, query: {job?: string; since?: number; limit: number}): HistoryScan & {entries: HistoryEntry[]} {
	const {job, since = Number.NEGATIVE_INFINITY, limit} = query;
	const entries: HistoryEntry[] = [];
	const scan = limit === 0 ? {corrupt: 0, found: false} : scanHistory(file, entry => {
		// The file is in order of ending: past `since`, every older line is older still.
		if (entry.endedAt < since) {
			return false;
		}

		if (job === undefined || entry.job === job) {
			entries.push(entry);
		}

		return entries.length < limit;
	});
	return {...scan, entries};
}

const chunkBytes = 64 * 1024;

/**
 * The lines of an open file, last first, each with its size in bytes. Reads backwards while `budget()` is above 0;
 * lines are split as bytes, so a character that straddles two chunks stays whole.
 */
function* linesBackward(descriptor: number, path: string, budget: () => number): Generator<{line: string; bytes: number}> {
	let position = fstatSync(descriptor).size;
	let carry = Buffer.alloc(0);
	while (position > 0 && budget() > 0) {
		const length = Math.min(chunkBytes, position);
		position -= length;
		const chunk = Buffer.allocUnsafe(length);
		for (let read = 0; read < length;) {
			const got = readSync(descriptor, chunk, read, length - read, position + read);
			if (got === 0) {
				throw new Error(`${path} shrank while it was read`);
			}

			read += got;
		}

		const buffer = carry.length === 0 ? chunk : Buffer.concat([chunk, carry]);
		let end = buffer.length;
		while (end > 0) {
			const newline = buffer.lastIndexOf(0x0A, end - 1);
			if (newline === -1) {
				break;
			}

			if (newline + 1 < end) {
				yield {line: buffer.toString('utf8', newline + 1, end), bytes: end - newline};
			}

			end = newline;
		}

		carry = buffer.subarray(0, end);
	}

	if (position === 0 && carry.length > 0) {
		yield {line: carry.toString('utf8'), bytes: carry.length};
	}
}

const results = new Set(['done', 'more', 'error', 'stopped']);

/** An entry, or undefined for a line that is not one. */
function parseEntry(line: string): HistoryEntry | undefined {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return undefined;
	}

	if (typeof value !== 'object' || value === null) {
		return undefined;
	}

	const entry = value as Record<string, unknown>;
	const numbers = ['runId', 'slot', 'startedAt', 'endedAt', 'duration'].every(key => typeof entry[key] === 'number');
	const nullable = (key: string, type: string) => entry[key] === null || typeof entry[key] === type;
	const fits = numbers && typeof entry['job'] === 'string' && results.has(entry['result'] as string)
		&& nullable('pid', 'number') && nullable('code', 'number') && nullable('signal', 'string')
		&& nullable('stopReason', 'string') && nullable('spawnError', 'string') && nullable('lastLine', 'string');
	return fits ? value as HistoryEntry : undefined;
}
