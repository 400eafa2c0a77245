import {readFileSync} from 'node:fs';
import type {Configuration} from '../core/job-definition.js';

/**
 * What fatc holds for each run under way: the read ends of its stdout and stderr pipes (child_process). The posix_spawn
 * engine needs one when stdout and stderr share a pipe (no errLogFile): pass its count where a function takes one.
 */
export const descriptorsPerRun = 2;

/** File descriptors one run of a job holds; by default, descriptorsPerRun whatever the job. */
export type DescriptorsPerRun = (job: {errLogFile?: string}) => number;
/**
 * What fatc holds besides runs: Node's own (epoll, signal and thread-pool pipes, stdio), the control socket and its
 * clients, the config watcher, /proc reads, and the pipes of a spawn under way (closed once it has started).
 */
export const descriptorMargin = 64;

/** The soft RLIMIT_NOFILE ("Max open files" in /proc/self/limits); undefined when unlimited or unreadable. */
export function readOpenFileLimit(limitsText?: string): number | undefined {
	let text = limitsText;
	if (text === undefined) {
		try {
			text = readFileSync('/proc/self/limits', 'utf8');
		} catch {
			return undefined;
		}
	}

	const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
	return match?.[1] === undefined || match[1] === 'unlimited' ? undefined : Number(match[1]);
}

let knownLimit: {value: number | undefined} | undefined;

/** The soft open-file limit, read once (a failed spawn must not read /proc again); forgetOpenFileLimit() after changing it. */
export function openFileLimit(): number | undefined {
	knownLimit ??= {value: readOpenFileLimit()};
	return knownLimit.value;
}

/** The next openFileLimit() reads /proc/self/limits again (after fatc raised its own limit). */
export function forgetOpenFileLimit(): void {
	knownLimit = undefined;
}

/** How many runs fatc can hold at once under `limit` open files, with `logFiles` log files open, `perRun` descriptors a run. */
export function runsWithin(limit: number, logFiles: number, perRun = descriptorsPerRun): number {
	return Math.max(0, Math.floor((limit - descriptorMargin - logFiles) / perRun));
}

/**
 * A warning when the jobs at full `instances` need more file descriptors than the soft limit allows (spawns past it
 * fail with EMFILE and back off as errors); undefined when they fit or the limit is unknown. fatc raises its soft
 * limit to the hard one at start (open-file-limit.ts), so this warns only when even the hard limit is too low.
 * `jobs`: a config's, or a snapshot's (the instances a scale by hand or a reload left).
 */
export function descriptorWarning(configuration: {jobs: ReadonlyArray<Pick<Configuration['jobs'][number], 'instances' | 'logFile' | 'errLogFile'>>}, limit = openFileLimit(), perRun: DescriptorsPerRun = () => descriptorsPerRun): string | undefined {
	if (limit === undefined) {
		return undefined;
	}

	const runs = configuration.jobs.reduce((sum, job) => sum + job.instances, 0);
	const logFiles = new Set(configuration.jobs.flatMap(job => [job.logFile, job.errLogFile ?? job.logFile])).size;
	const counts = configuration.jobs.map(job => perRun(job));
	const needed = configuration.jobs.reduce((sum, job, index) => sum + (job.instances * counts[index]!), 0) + logFiles + descriptorMargin;
	if (needed <= limit) {
		return undefined;
	}

	const least = Math.min(...counts);
	const most = Math.max(...counts);
	const each = least === most ? `${most}` : `${least} or ${most}`;
	return `the open-file limit (${limit}) holds ${runsWithin(limit, logFiles, most)} runs at once, but the jobs ask for ${runs} `
		+ `(${needed} file descriptors, ${each} a run): starts past it fail with "too many open files". `
		+ `Raise the limit to at least ${needed}: LimitNOFILE=${needed} in the systemd unit, or ulimit -n ${needed} in the shell that starts fatc`;
}

/** The message of a spawn that failed for lack of file descriptors (EMFILE, ENFILE); undefined for other errors. */
export function descriptorErrorMessage(code: string | undefined, limit = openFileLimit(), perRun = descriptorsPerRun): string | undefined {
	if (code === 'EMFILE') {
		const held = limit === undefined ? '' : `: fatc may hold ${limit}, about ${runsWithin(limit, 1, perRun)} runs at once`;
		return `too many open files${held}; see ulimit -n (LimitNOFILE= under systemd)`;
	}

	if (code === 'ENFILE') {
		return 'too many open files on this system (ENFILE): see fs.file-max';
	}

	return undefined;
}
