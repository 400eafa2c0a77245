import {readFileSync} from 'node:fs';
import {listProcesses, readProcessStat} from '../driver/proc-stat.js';

/**
 * The variable that marks every process fatc starts, and all their descendants, as this instance's: its control
 * socket's path, unique to one fatc at a time (the pid file beside it sees to that) — a name alone is not: two
 * configs with different runDirs may share one. A run may also use it to talk to its fatc.
 */
export const instanceVariable = 'FATC_SOCKET';

/**
 * SIGKILLs every live process whose environment says FATC_SOCKET=<socket>, but fatc itself: what is left of an
 * instance once its runs' process groups are gone is a process that left its group (`setsid`, a double fork), or
 * the runs of a fatc of that instance that was SIGKILLed. Other users' processes are unreadable and never touched.
 * Returns the pids killed.
 */
export function sweepInstance(socket: string): number[] {
	const marker = `\0${instanceVariable}=${socket}\0`;
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
