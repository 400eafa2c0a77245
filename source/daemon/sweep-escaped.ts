import {readFileSync} from 'node:fs';
import {listProcesses, readProcessStat} from '../driver/proc-stat.js';

/** The variable that marks every process fatc starts, and all their descendants, as this named instance's. */
export const instanceVariable = 'FATC_NAME';

/**
 * SIGKILLs every live process whose environment says FATC_NAME=<name>, but fatc itself: what is left of a named
 * instance once its runs' process groups are gone is a process that left its group (`setsid`, a double fork), or
 * the runs of a fatc of that name that was SIGKILLed. Other users' processes are unreadable and never touched.
 * Returns the pids killed.
 */
export function sweepInstance(name: string): number[] {
	const marker = `\0${instanceVariable}=${name}\0`;
	const killed: number[] = [];
	for (const pid of listProcesses()) {
		if (Number(pid) === process.pid || readProcessStat(pid) === undefined) {
			continue;
		}

		try {
			if (`\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker)) {
				process.kill(Number(pid), 'SIGKILL');
				killed.push(Number(pid));
			}
		} catch {
			// Gone meanwhile, or not ours to read.
		}
	}

	return killed;
}
