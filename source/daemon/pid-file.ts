import {readFileSync} from 'node:fs';
import {open, readFile, rm} from 'node:fs/promises';
import {readProcessStat} from '../driver/proc-stat.js';

/** Another daemon of the same name holds the pid file. */
export class DaemonRunningError extends Error {
	override name = 'DaemonRunningError';
}

export type PidFile = {release(): Promise<void>};

/**
 * Takes the pid file with O_EXCL, so of two daemons starting at once exactly one wins, and never truncates a file
 * another live daemon holds. A file left by a dead daemon (or by a pid now used by another program) is replaced.
 */
export async function acquirePidFile(path: string): Promise<PidFile> {
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const handle = await open(path, 'wx', 0o644);
			await handle.writeFile(`${process.pid}\n`);
			await handle.close();
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
		}

		const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
		if (Number.isInteger(holder) && holder !== process.pid && isFatcProcess(holder)) {
			throw new DaemonRunningError(`a fatc daemon with this name already runs (pid ${holder}; pid file ${path})`);
		}

		await rm(path, {force: true});
	}

	throw new Error(`Could not take the pid file ${path}: it keeps reappearing`);
}

/** True when `pid` is alive (not a zombie) and runs fatc (node with fatc's CLI). */
export function isFatcProcess(pid: number): boolean {
	if (readProcessStat(pid) === undefined) {
		return false;
	}

	try {
		const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
		return /fatc|cli\.js/.test(commandLine);
	} catch {
		return false;
	}
}
