import {readdirSync, readFileSync} from 'node:fs';

/** The state letter and the fields after it in /proc/PID/stat (the command name may hold spaces and parentheses). */
function statFields(stat: string): string[] {
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** True while `pid` is a live process (a zombie waiting for PID 1 to reap it counts as gone). */
export function isAlive(pid: number): boolean {
	try {
		return statFields(readFileSync(`/proc/${pid}/stat`, 'latin1'))[0] !== 'Z';
	} catch {
		return false;
	}
}

/** Live (not zombie) processes whose pgid is `pgid`, read from /proc independently of the code under test. */
export function liveMembers(pgid: number): number[] {
	const members: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'latin1');
		} catch {
			continue;
		}

		const fields = statFields(stat);
		if (fields[0] !== 'Z' && Number(fields[2]) === pgid) {
			members.push(Number(name));
		}
	}

	return members;
}

/**
 * SIGKILLs the process group of a run that a (SIGKILLed) fatc left, only if `pid` is still that run: its environment
 * says FATC_SOCKET is in `folder` (the daemon's own). A run record's pid may since belong to another process — pids
 * wrap at 32,768 on a busy machine — and a test must never kill that. True if it was killed.
 */
export function killLeftRun(pid: number, folder: string): boolean {
	let environment: string;
	try {
		environment = readFileSync(`/proc/${pid}/environ`, 'latin1');
	} catch {
		return false;
	}

	if (!isAlive(pid) || !`\0${environment}`.includes(`\0FATC_SOCKET=${folder}/`)) {
		return false;
	}

	try {
		process.kill(-pid, 'SIGKILL');
		return true;
	} catch {
		return false;
	}
}

/**
 * A process as first seen: its pid and its start time (in clock ticks after boot). A test that kills what it started
 * when it is done checks the start time first: by then the code under test may long have killed that process, and pids
 * wrap at 32,768 on a busy machine — a test must never kill the process that got the pid since.
 */
export type SeenProcess = {pid: number; startTime: string};

/** `pid` as it is now; undefined when it is gone. */
export function seeProcess(pid: number): SeenProcess | undefined {
	try {
		const startTime = statFields(readFileSync(`/proc/${pid}/stat`, 'latin1'))[19];
		return startTime === undefined ? undefined : {pid, startTime};
	} catch {
		return undefined;
	}
}

/**
 * SIGKILLs `seen` if its pid is still that process; with `group`, the group it led, also once the leader is gone (no
 * process gets a pid while a group of that number still has members), but not when the pid is now another process's.
 * True if it was signalled.
 */
export function killIfStill(seen: SeenProcess | undefined, {group = false} = {}): boolean {
	const now = seen === undefined ? undefined : seeProcess(seen.pid);
	if (seen === undefined || (now === undefined ? !group : now.startTime !== seen.startTime)) {
		return false;
	}

	try {
		process.kill(group ? -seen.pid : seen.pid, 'SIGKILL');
		return true;
	} catch {
		return false;
	}
}
