import {closeSync, existsSync, openSync, readdirSync, readFileSync, readSync} from 'node:fs';

/** One process as /proc/PID/stat tells it. `ticks`: user + system CPU time in clock ticks. */
export type ProcessStat = {pid: number; parent: number; group: number; ticks: number; startTime: number; residentPages: number};

/** Where the sampler reads processes and fatc's own usage; the real /proc by default, a fake in tests. */
export type ProcessSource = {
	/** The pids to read, as /proc lists them. */
	list(): string[];
	/** One process; undefined when it is gone or a zombie. */
	stat(pid: string): ProcessStat | undefined;
	/** fatc's own CPU time in microseconds (user + system) and resident bytes. */
	self(): {cpuMicroseconds: number; memoryBytes: number};
	pageSize: number;
};

const statBuffer = Buffer.alloc(4096);
let lastResidentBytes = 0;

/** fatc's RSS; the last figure when it cannot be read (it opens a file: EMFILE at the descriptor limit). */
function residentBytes(): number {
	try {
		lastResidentBytes = process.memoryUsage.rss();
	} catch {
		// Keep the last figure: a status answer must not crash fatc.
	}

	return lastResidentBytes;
}

/** The pids /proc lists now; none when it cannot be read. */
export function listProcesses(): string[] {
	try {
		return readProcessList();
	} catch {
		return [];
	}
}

/** The pids /proc lists now; throws when it cannot be read (EMFILE at the descriptor limit). */
export function readProcessList(): string[] {
	return readdirSync('/proc').filter(name => {
		const first = name.charCodeAt(0);
		return first >= 48 && first <= 57;
	});
}

/**
 * The children of process `pid` ('self': fatc), from every thread's list (an orphan is handed to any thread of its
 * new parent); undefined when unreadable (gone, or a kernel without CONFIG_PROC_CHILDREN).
 */
export function childrenOf(pid: number | 'self'): number[] | undefined {
	try {
		const children: number[] = [];
		for (const thread of readdirSync(`/proc/${pid}/task`)) {
			for (const child of readFileSync(`/proc/${pid}/task/${thread}/children`, 'latin1').split(' ')) {
				if (child !== '' && child !== '\n') {
					children.push(Number(child));
				}
			}
		}

		return children;
	} catch {
		return undefined;
	}
}

/**
 * `roots` and every process below them, parents first; undefined when a list is unreadable. A process that ends
 * meanwhile has no children to list: its orphans go to their subreaper (fatc), and the next walk finds them there.
 */
export function descendantsOf(roots: number[]): number[] | undefined {
	const found = [...roots];
	for (let index = 0; index < found.length; index++) {
		const children = childrenOf(found[index]!);
		if (children === undefined && existsSync(`/proc/${found[index]}`)) {
			return undefined;
		}

		found.push(...children ?? []);
	}

	return found;
}

/** The real /proc. Each read is synchronous on purpose (/proc never blocks on disk); the sampler slices the scan. */
export function procSource(): ProcessSource {
	return {
		list: listProcesses,
		stat: readProcessStat,
		self() {
			const {user, system} = process.cpuUsage();
			return {cpuMicroseconds: user + system, memoryBytes: residentBytes()};
		},
		pageSize: pageSize(),
	};
}

/** One process from /proc/PID/stat; undefined when it is gone or a zombie (PID 1 here reaps orphans only every ~2 s). */
export function readProcessStat(pid: string | number): ProcessStat | undefined {
	let descriptor: number | undefined;
	try {
		descriptor = openSync(`/proc/${pid}/stat`, 'r');
		const length = readSync(descriptor, statBuffer, 0, statBuffer.length, 0);
		return parseProcessStat(statBuffer.toString('latin1', 0, length));
	} catch {
		// Gone between readdir and open: it no longer uses anything.
		return undefined;
	} finally {
		if (descriptor !== undefined) {
			closeSync(descriptor);
		}
	}
}

/**
 * The environment of a process as "\0NAME=value\0NAME=value…\0" (so `\0NAME=value\0` matches one variable whole);
 * undefined when it is gone or not ours to read.
 */
export function readProcessEnvironment(pid: string | number): string | undefined {
	try {
		return `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`;
	} catch {
		return undefined;
	}
}

/**
 * Parses "pid (comm) state ppid pgrp … utime stime cutime cstime … starttime vsize rss …"; comm may hold spaces and
 * parentheses, so fields are counted after the last ")". Zombies give undefined: they hold no memory.
 * cutime/cstime are left out on purpose: a reaped child's time would be counted twice (once while it lived).
 */
export function parseProcessStat(stat: string): ProcessStat | undefined {
	const close = stat.lastIndexOf(')');
	const fields = stat.slice(close + 2).split(' ', 22);
	const [state, parent, group, , , , , , , , , utime, stime, , , , , , , startTime, , rss] = fields;
	if (state === undefined || state === 'Z' || state === 'X' || rss === undefined) {
		return undefined;
	}

	const parsed = {
		pid: Number.parseInt(stat, 10),
		parent: Number(parent),
		group: Number(group),
		ticks: Number(utime) + Number(stime),
		startTime: Number(startTime),
		residentPages: Number(rss),
	};
	return Object.values(parsed).every(value => Number.isFinite(value)) ? parsed : undefined;
}

/** The kernel's page size: /proc/self/statm counts resident pages, process.memoryUsage.rss() bytes. */
function pageSize(): number {
	try {
		const pages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
		const bytes = process.memoryUsage.rss();
		const guess = bytes / pages;
		// Both are read a moment apart; snap to the nearest page size in use (4, 16 or 64 KiB).
		return [4096, 16_384, 65_536].reduce((best, size) => (Math.abs(size - guess) < Math.abs(best - guess) ? size : best));
	} catch {
		return 4096;
	}
}
