import {open, stat} from 'node:fs/promises';
import type {Configuration} from '../core/job-definition.js';
import {readLogTail} from '../driver/log-tail.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

/**
 * `fatc logs [JOB] [-f] [-n N]`: the last N lines of the job's log (of every job, each line prefixed with its
 * name, when no job is named); -f then follows the files. Reads the files the config names, daemon or not.
 */
export async function logsCommand(configuration: Configuration, options: {job?: string; follow: boolean; lines: number; output: Output; signal?: AbortSignal}): Promise<number> {
	const jobs = options.job === undefined ? configuration.jobs : configuration.jobs.filter(job => job.name === options.job);
	if (jobs.length === 0) {
		throw new UsageError(`no job named "${options.job}" (jobs: ${configuration.jobs.map(job => job.name).join(', ')})`);
	}

	const prefix = (name: string) => (jobs.length > 1 ? `${name} | ` : '');
	const files = jobs.map(job => ({name: job.name, file: job.logFile, offset: 0}));
	for (const entry of files) {
		for (const line of await readLogTail(entry.file, options.lines)) {
			options.output.write(`${prefix(entry.name)}${line}\n`);
		}

		entry.offset = await stat(entry.file).then(info => info.size, () => 0);
	}

	while (options.follow && !options.signal?.aborted) {
		await new Promise(resolve => setTimeout(resolve, 200));
		for (const entry of files) {
			entry.offset = await printNewLines(entry.file, entry.offset, line => options.output.write(`${prefix(entry.name)}${line}\n`));
		}
	}

	return 0;
}

/** Prints the whole lines added since `offset`; a file that shrank (rotated) is read from its start. */
async function printNewLines(file: string, offset: number, print: (line: string) => void): Promise<number> {
	const size = await stat(file).then(info => info.size, () => 0);
	const from = size < offset ? 0 : offset;
	if (size === from) {
		return from;
	}

	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(Math.min(size - from, 4 * 1024 * 1024));
		await handle.read(buffer, 0, buffer.length, from);
		const text = buffer.toString('utf8');
		const end = text.lastIndexOf('\n');
		if (end === -1) {
			return from;
		}

		for (const line of text.slice(0, end).split('\n')) {
			print(line);
		}

		return from + Buffer.byteLength(text.slice(0, end + 1));
	} finally {
		await handle.close();
	}
}
