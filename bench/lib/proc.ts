import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';

/** Clock ticks per second of /proc/PID/stat's times; asked once (it is 100 on every Linux we know, but ask). */
let ticksPerSecond: number | undefined;
function clockTicks(): number {
	ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
	return ticksPerSecond;
}

/** The fields of /proc/PID/stat after "(comm)", which may itself hold spaces; undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/** CPU seconds (user + system) the process used so far; its children's are not included. */
export function cpuSeconds(pid: number): number {
	const fields = statFields(pid);
	if (fields === undefined) {
		return 0;
	}

	// After "(comm)": state is field 3, so utime (14) and stime (15) are at 11 and 12.
	return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** Resident memory in bytes (VmRSS), or 0 when the process is gone. */
export function residentBytes(pid: number): number {
	return statusBytes(pid, 'VmRSS');
}

/**
 * The resident memory that is the process's own (RssAnon: its heap and stacks), without the pages mapped from files —
 * its executable and libraries, which every process of the same program shares (node's own ~44 MB).
 */
export function anonymousResidentBytes(pid: number): number {
	return statusBytes(pid, 'RssAnon');
}

/** A "NAME:  N kB" line of /proc/PID/status in bytes, or 0 when the process is gone. */
function statusBytes(pid: number, name: string): number {
	try {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

export type ProcessEntry = {pid: number; parent: number; group: number; state: string; command: string};

/** Every process on the machine, from one scan of /proc. */
export function listProcesses(): ProcessEntry[] {
	const entries: ProcessEntry[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
			const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			entries.push({
				pid: Number(name),
				state: fields[0] ?? '?',
				parent: Number(fields[1]),
				group: Number(fields[2]),
				command,
			});
		} catch {
			// Gone while we looked.
		}
	}

	return entries;
}

/** How many live (not zombie) children `parent` has. */
export function countChildren(parent: number): number {
	return listProcesses().filter(entry => entry.parent === parent && entry.state !== 'Z').length;
}

/** Whether a process with this pid is alive (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
	const fields = statFields(pid);
	return fields !== undefined && fields[0] !== 'Z';
}
