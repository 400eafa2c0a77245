import {readFileSync, readlinkSync} from 'node:fs';
import {basename} from 'node:path';
import {link, readFile, rm, writeFile} from 'node:fs/promises';
import {readProcessStat} from '../driver/proc-stat.js';

/** Another daemon of the same name holds the pid file: `pid`. */
export class DaemonRunningError extends Error {
	override name = 'DaemonRunningError';

	constructor(message: string, readonly pid: number) {
		super(message);
	}
}

export type PidFile = {release(): Promise<void>};

/**
 * Takes the pid file by link(2) of a file already holding the pid, so of two daemons starting at once exactly one wins
 * and the other never reads it empty (and takes it for a dead daemon's); never truncates a file another live daemon
 * holds. A file left by a dead daemon (or by a pid now used by another program) is replaced.
 */
export async function acquirePidFile(path: string): Promise<PidFile> {
	const written = `${path}.${process.pid}`;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			await writeFile(written, `${process.pid}\n`, {mode: 0o644});
			await link(written, path);
			return {
				async release() {
					const content = await readFile(path, 'utf8').catch(() => '');
					if (Number.parseInt(content, 10) === process.pid) {
						await rm(path, {force: true});
					}
				},
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw new Error(`Could not write the pid file ${path}`, {cause: error});
			}
		} finally {
			await rm(written, {force: true});
		}

		const holder = pidFileHolder(path);
		if (holder !== undefined && holder !== process.pid) {
			throw new DaemonRunningError(`a fatc daemon with this name already runs (pid ${holder}; pid file ${path})`, holder);
		}

		await rm(path, {force: true});
	}

	throw new Error(`Could not take the pid file ${path}: it keeps reappearing`);
}

/** The pid of the live fatc that holds the pid file at `path`, if one does. */
export function pidFileHolder(path: string): number | undefined {
	let holder: number;
	try {
		holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
	} catch {
		return undefined;
	}

	return Number.isInteger(holder) && holder > 0 && isFatcProcess(holder) ? holder : undefined;
}

/**
 * True when `pid` is alive (not a zombie) and runs fatc: Node (or a binary named fatc) with fatc's CLI. The program
 * counts, not only the command line: a run's shell script whose arguments name a folder called fatc is not a fatc.
 */
export function isFatcProcess(pid: number): boolean {
	if (readProcessStat(pid) === undefined) {
		return false;
	}

	try {
		const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
		return /fatc|cli\.js/.test(commandLine) && /^(node|nodejs|fatc)/.test(basename(readlinkSync(`/proc/${pid}/exe`)));
	} catch {
		return false;
	}
}
