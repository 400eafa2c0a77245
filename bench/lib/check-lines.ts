import {createReadStream, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

/** What bench/writer.c reported it wrote, per writer pid. */
type Written = Map<string, {lines: number; bytes: number; startedAt: number}>;

export type LineCheck = {
	/** Bytes the writers wrote. */
	written: number;
	/** Bytes of whole, numbered lines found in the logs. */
	found: number;
	/** written − found: output that never reached a log whole. */
	lost: number;
	/** Lines that are not a whole writer line (cut, or two mixed). */
	brokenLines: number;
	/** Numbers missing from a writer's 1…N. */
	missingLines: number;
	/** When the first writer began (Date.now() scale). */
	firstStartedAt: number;
};

function readReports(reportFolder: string): Written {
	const written: Written = new Map();
	for (const name of readdirSync(reportFolder)) {
		const [pid, lines, bytes, startedAt] = readFileSync(path.join(reportFolder, name), 'utf8').trim().split(' ');
		if (pid !== undefined) {
			written.set(pid, {lines: Number(lines), bytes: Number(bytes), startedAt: Number(startedAt)});
		}
	}

	return written;
}

/**
 * Checks log files against the writers' reports: every line "PID N xxx…" whole and of the right length, every N
 * from 1 to the last present once. Streams the files: they hold gigabytes.
 */
export async function checkLines(logFiles: readonly string[], reportFolder: string, lineBytes: number): Promise<LineCheck> {
	const written = readReports(reportFolder);
	const seen = new Map<number, {next: number; found: number; missing: number}>(
		[...written.keys()].map(pid => [Number(pid), {next: 1, found: 0, missing: 0}]),
	);
	let brokenLines = 0;
	// Parses bytes, not strings: the logs hold gigabytes, and a string per line would make the check the slow part.
	const account = (data: Buffer, start: number, end: number) => {
		let index = start;
		let pid = 0;
		while (index < end && data[index]! >= 48 && data[index]! <= 57) {
			pid = (pid * 10) + data[index]! - 48;
			index++;
		}

		const pidEnd = index;
		let number = 0;
		index++;
		const numberStart = index;
		while (index < end && data[index]! >= 48 && data[index]! <= 57) {
			number = (number * 10) + data[index]! - 48;
			index++;
		}

		const state = seen.get(pid);
		if (end - start + 1 !== lineBytes || pidEnd === start || data[pidEnd] !== 32 || index === numberStart || data[index] !== 32
			|| data[end - 1] !== 120 || state === undefined) {
			brokenLines++;
			return;
		}

		if (number >= state.next) {
			state.missing += number - state.next;
			state.next = number + 1;
			state.found += lineBytes;
		} else {
			// A number seen twice (or out of order): not lost, but not a good sign either.
			brokenLines++;
		}
	};

	for (const file of logFiles) {
		let rest: Buffer = Buffer.alloc(0);
		for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20}) as AsyncIterable<Buffer>) {
			let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
			let start = 0;
			for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
				account(data, start, end);
				start = end + 1;
			}

			data = data.subarray(start);
			rest = Buffer.from(data);
		}

		if (rest.length > 0) {
			// A last line without its newline is cut.
			brokenLines++;
		}
	}

	let writtenBytes = 0;
	let found = 0;
	let missingLines = 0;
	for (const [pid, {lines, bytes}] of written) {
		writtenBytes += bytes;
		const state = seen.get(Number(pid));
		found += state?.found ?? 0;
		missingLines += (state?.missing ?? 0) + Math.max(0, lines - ((state?.next ?? 1) - 1));
	}

	const firstStartedAt = Math.min(...[...written.values()].map(writer => writer.startedAt));
	return {written: writtenBytes, found, lost: Math.max(0, writtenBytes - found), brokenLines, missingLines, firstStartedAt};
}
