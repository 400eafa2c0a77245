import {boundLibc, constants} from './libc.js';
import {readProcessList, readProcessStat} from './proc-stat.js';

/**
 * The process groups that have at least one live (not zombie) member, from one scan of /proc; undefined when /proc
 * cannot be listed (EMFILE at the descriptor limit), which must read as "maybe alive", never as "empty".
 * Zombies are skipped: PID 1 here reaps orphans only every ~2 s, and a zombie is already gone for us.
 * Synchronous on purpose: /proc reads never block on disk, and this is ~5x faster than the async API.
 */
export function scanLiveGroups(): Set<number> | undefined {
	const members = scanLiveMembers();
	return members === undefined ? undefined : new Set(members.keys());
}

let fullScans = 0;

/** How many times this process has scanned all of /proc for groups (tests check that targeted checks sufficed). */
export function fullScanCount(): number {
	return fullScans;
}

/** As scanLiveGroups, with one live member's pid for each group. */
export function scanLiveMembers(): Map<number, number> | undefined {
	fullScans++;
	let pids: string[];
	try {
		pids = readProcessList();
	} catch {
		return undefined;
	}

	const members = new Map<number, number>();
	for (const pid of pids) {
		const stat = readProcessStat(pid);
		if (stat !== undefined && !members.has(stat.group)) {
			members.set(stat.group, stat.pid);
		}
	}

	return members;
}

/** Whether `pid` is a live (not zombie) process of group `pgid`: one /proc read. */
export function isLiveMember(pid: number, pgid: number): boolean {
	return readProcessStat(pid)?.group === pgid;
}

/** Whether the group may have members: a cheap kill(-pgid, 0); false means surely empty. */
export function groupMayExist(pgid: number): boolean {
	const libc = boundLibc();
	if (libc !== undefined) {
		// Through glibc when the engine has bound it: process.kill builds an Error (with its stack) for every ESRCH,
		// that is for every run that ends.
		return libc.kill(-pgid, 0) === 0 || libc.errno() !== constants.eSrch;
	}

	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		// EPERM: members exist that we may not signal.
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

/** Whether no live process is left in the group: kill(-pgid, 0) first, /proc scan only when something answers. */
export function isGroupEmpty(pgid: number): boolean {
	return !groupMayExist(pgid) || scanLiveGroups()?.has(pgid) === false;
}

/** Sends a signal to every process of the group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// ESRCH: already gone. EPERM: nothing more we could do.
	}
}
