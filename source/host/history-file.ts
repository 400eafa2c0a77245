import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {appendFile, mkdir, rename} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import type {Configuration} from '../core/job-definition.js';
import {historyEntry, type HistoryEntry} from '../core/run-history.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {describeError} from '../reporters/describe-error.js';
import {readHistoryTail} from './read-history.js';

/** `<logDir>/<name>.history.ndjson`: one JSON line per ended run, oldest first; `<file>.1` holds the one before. */
export function historyFilePath(configuration: Pick<Configuration, 'name' | 'logDir'>): string {
	return join(configuration.logDir, `${configuration.name}.history.ndjson`);
}

export type HistoryWriterOptions = {
	file: string;
	/** Past this size the file becomes `<file>.1` (replacing the older one) and a new file begins. Default 20 MiB. */
	maxBytes?: number;
	/** After a failed write, how long until the next try; the entries wait in memory meanwhile. Default 5,000 ms. */
	retryDelay?: number;
	/** Entries that may wait (a disk full for hours); past it the oldest are dropped and counted. Default 10,000. */
	maxPending?: number;
	/** A failed write (once, until a write succeeds again), and the write that succeeds after it. */
	onEvent(event: SupervisorEvent): void;
	/** How long an ended run's entry may wait for others to share its append. Default 200 ms. */
	batchDelay?: number;
	/** How text is appended to the file (tests count the calls). Default fs/promises appendFile. */
	appendText?: (file: string, text: string) => Promise<void>;
};

export type HistoryWriter = {
	append(entry: HistoryEntry): void;
	/** Resolves once what was appended so far is written, or its write failed (it then waits for the next try). */
	flushed(): Promise<void>;
	/** Writes what waits (one last try after a failure) and stops. Idempotent. */
	close(): Promise<void>;
};

/** A last output line longer than this is cut in the file: a run printing one huge line must not bloat every start. */
const maximumLastLine = 1000;

/**
 * Appends entries to the history file without ever holding up supervision: appends are queued and written by one
 * write at a time, all that queued meanwhile in one append. An entry waits up to batchDelay for the others: a job
 * restarting 200 times a second costs five appends a second, not 200 (each is an open, a write and a close in the
 * thread pool, whose wake-ups landed on the start of the next run: measured, 0.35–0.4 ms of its 5 ms reaction). A
 * SIGKILLed fatc loses the last batchDelay of it; a live fatc's `fatc history` reads its memory, not this file. A
 * write that fails (disk full, folder gone) is one error event; the entries wait and are tried again later, so
 * writing resumes by itself.
 */
export function createHistoryWriter(options: HistoryWriterOptions): HistoryWriter {
	const {file, maxBytes = 20 * 1024 * 1024, retryDelay = 5000, maxPending = 10_000, batchDelay = 200, appendText = async (path, text) => appendFile(path, text, {mode: 0o640})} = options;
	let {size, endsWithNewline} = fileEnd(file);
	let pending: string[] = [];
	let dropped = {lines: 0, bytes: 0};
	let failing = false;
	let closed = false;
	let retryTimer: NodeJS.Timeout | undefined;
	let pumping: Promise<void> | undefined;
	let batch: NodeJS.Timeout | undefined;

	async function write(text: string) {
		const bytes = Buffer.byteLength(text);
		if (size > 0 && size + bytes > maxBytes) {
			await rename(file, `${file}.1`).catch((error: NodeJS.ErrnoException) => {
				if (error.code !== 'ENOENT') {
					throw error;
				}
			});
			size = 0;
			endsWithNewline = true;
		}

		// A fatc killed in the middle of a write left half a line: the next entry starts on a line of its own.
		const whole = endsWithNewline ? text : `\n${text}`;
		await appendText(file, whole).catch(async (error: NodeJS.ErrnoException) => {
			if (error.code !== 'ENOENT') {
				throw error;
			}

			await mkdir(dirname(file), {recursive: true});
			await appendText(file, whole);
		});
		size += Buffer.byteLength(whole);
		endsWithNewline = true;
	}

	async function pump() {
		while (pending.length > 0) {
			const lines = pending;
			pending = [];
			try {
				await write(lines.join(''));
			} catch (error) {
				pending = [...lines, ...pending];
				trim();
				if (!failing) {
					failing = true;
					options.onEvent({time: Date.now(), type: 'supervisor-error', message: `could not write the run history ${file}: ${describeError(error)}; trying again every ${retryDelay / 1000} s`});
				}

				if (!closed) {
					retryTimer = setTimeout(() => {
						retryTimer = undefined;
						kick();
					}, retryDelay).unref();
				}

				return;
			}

			if (failing) {
				failing = false;
				options.onEvent({time: Date.now(), type: 'log-resumed', file, droppedLines: dropped.lines, droppedBytes: dropped.bytes});
				dropped = {lines: 0, bytes: 0};
			}
		}
	}

	function kick() {
		clearTimeout(batch);
		batch = undefined;
		if (pumping || retryTimer) {
			return;
		}

		pumping = pump().finally(() => {
			pumping = undefined;
		});
	}

	function trim() {
		for (const line of pending.splice(0, Math.max(0, pending.length - maxPending))) {
			dropped.lines++;
			dropped.bytes += Buffer.byteLength(line);
		}
	}

	return {
		append(entry) {
			if (closed) {
				return;
			}

			const lastLine = entry.lastLine !== null && entry.lastLine.length > maximumLastLine ? entry.lastLine.slice(0, maximumLastLine) : entry.lastLine;
			pending.push(`${JSON.stringify({...entry, lastLine})}\n`);
			trim();
			// Unref'd: close() writes what waits.
			batch ??= setTimeout(kick, batchDelay).unref();
		},
		async flushed() {
			if (batch) {
				kick();
			}

			await pumping;
		},
		async close() {
			closed = true;
			await pumping;
			clearTimeout(retryTimer);
			retryTimer = undefined;
			kick();
			await pumping;
		},
	};
}

export type KeptHistory = {
	/** The runs that ended before this fatc, oldest first: createSupervisor's `history`. */
	earlier: HistoryEntry[];
	/** Appends the end of each run of `supervisor` from now on, and tells what the read at start skipped. */
	record(supervisor: SupervisorHandle): () => void;
	/** Writes what waits; after the last run ended. */
	close(): Promise<void>;
};

/**
 * Run history that outlives a restart: read (the tail only) when fatc starts, appended as each run ends. One fatc of
 * a name runs at a time (its pid file), and the core lives in that one process whatever the face (a TUI's `D` moves
 * no run): each end is written once, by the process whose core saw it.
 */
export function keepHistory(options: {configuration: Configuration; onEvent(event: SupervisorEvent): void}): KeptHistory {
	const file = historyFilePath(options.configuration);
	const notices: string[] = [];
	let earlier: HistoryEntry[] = [];
	try {
		const read = readHistoryTail(file, {jobs: options.configuration.jobs.map(job => job.name)});
		earlier = read.entries;
		if (read.corrupt > 0) {
			notices.push(`the run history ${file} has ${read.corrupt} unreadable ${read.corrupt === 1 ? 'line' : 'lines'}: skipped`);
		}
	} catch (error) {
		notices.push(`${describeError(error)}; the history starts empty`);
	}

	const writer = createHistoryWriter({file, onEvent: options.onEvent});
	return {
		earlier,
		record(supervisor) {
			for (const message of notices.splice(0)) {
				options.onEvent({time: Date.now(), type: 'supervisor-error', message});
			}

			return supervisor.subscribe(event => {
				if (event.type === 'run-ended') {
					writer.append(historyEntry(event));
				}
			});
		},
		close: async () => writer.close(),
	};
}

/** The file's size, and whether it ends a line (a missing file does). */
function fileEnd(file: string): {size: number; endsWithNewline: boolean} {
	let descriptor: number;
	try {
		descriptor = openSync(file, 'r');
	} catch {
		return {size: 0, endsWithNewline: true};
	}

	try {
		const {size} = fstatSync(descriptor);
		const last = Buffer.alloc(1);
		return {size, endsWithNewline: size === 0 || (readSync(descriptor, last, 0, 1, size - 1) === 1 && last[0] === 0x0A)};
	} finally {
		closeSync(descriptor);
	}
}
