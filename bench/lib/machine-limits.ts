import {readdirSync, readFileSync} from 'node:fs';
import {run} from './processes.js';

/** What bounds how many processes the scale workload can start, read once before it starts. */
export type MachineLimits = {
	/** /proc/sys/kernel/pid_max: pids for the whole machine (every user, every thread). */
	pidMax: number;
	/** /proc/sys/kernel/threads-max. */
	threadsMax: number;
	/** RLIMIT_NPROC of the benchmark (`ulimit -u`): not enforced for root. */
	userProcesses: string;
	/** The benchmark's own open-file limits (`ulimit -n`, `ulimit -Hn`), before any raise. */
	openFilesSoft: number;
	openFilesHard: number;
	/** /proc/sys/fs/nr_open: the most a hard limit can be raised to. */
	openFilesCeiling: number;
	/** Whether the hard open-file limit can be raised (root or CAP_SYS_RESOURCE). */
	canRaiseHard: boolean;
	isRoot: boolean;
};

function readNumber(file: string): number {
	try {
		return Number(readFileSync(file, 'utf8').trim());
	} catch {
		return Number.NaN;
	}
}

/** One line of /proc/PID/limits: soft and hard ("unlimited" as Infinity). */
function limitOf(pid: number | 'self', name: string): {soft: number; hard: number} | undefined {
	try {
		const match = new RegExp(`^${name}\\s+(\\d+|unlimited)\\s+(\\d+|unlimited)`, 'm').exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
		const value = (text: string | undefined) => (text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text));
		return match ? {soft: value(match[1]), hard: value(match[2])} : undefined;
	} catch {
		return undefined;
	}
}

function openFileLimits(pid: number | 'self'): {soft: number; hard: number} | undefined {
	return limitOf(pid, 'Max open files');
}

/** "soft/hard" open-file limits of a running process, e.g. "40960/40960"; "?" when it is gone. */
export function describeOpenFiles(pid: number): string {
	const limits = openFileLimits(pid);
	return limits === undefined ? '?' : `${limits.soft}/${limits.hard}`;
}

export async function readMachineLimits(): Promise<MachineLimits> {
	const own = openFileLimits('self') ?? {soft: Number.NaN, hard: Number.NaN};
	const ceiling = readNumber('/proc/sys/fs/nr_open');
	let canRaiseHard = false;
	try {
		// A child tries one above the hard limit; our own limits stay as they are.
		await run('sh', ['-c', `ulimit -n ${Math.min(own.hard + 1, ceiling)}`]);
		canRaiseHard = own.hard < ceiling;
	} catch {
		// Not allowed.
	}

	return {
		pidMax: readNumber('/proc/sys/kernel/pid_max'),
		threadsMax: readNumber('/proc/sys/kernel/threads-max'),
		userProcesses: String(limitOf('self', 'Max processes')?.soft ?? '?'),
		openFilesSoft: own.soft,
		openFilesHard: own.hard,
		openFilesCeiling: ceiling,
		canRaiseHard,
		isRoot: process.getuid?.() === 0,
	};
}

/** Tasks (processes and their threads) on the machine now, as pid_max counts them. */
export function tasksNow(): number {
	let tasks = 0;
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		try {
			tasks += readdirSync(`/proc/${name}/task`).length;
		} catch {
			// Gone while we counted.
		}
	}

	return tasks;
}

export function describeLimits(limits: MachineLimits): string {
	return `pid_max ${limits.pidMax.toLocaleString('en-US')} (pids for every process and thread on the machine), `
		+ `threads-max ${limits.threadsMax.toLocaleString('en-US')}, ulimit -u ${limits.userProcesses}${limits.isRoot ? ' (not enforced: root)' : ''}, `
		+ `open files ${limits.openFilesSoft}/${limits.openFilesHard} (soft/hard) for the benchmark, nr_open ${limits.openFilesCeiling.toLocaleString('en-US')}; `
		+ `hard limit ${limits.canRaiseHard ? 'raisable' : 'not raisable here'}`;
}
