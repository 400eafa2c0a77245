import type {SupervisorEvent} from '../core/supervisor-event.js';
import {childrenOf, descendantsOf, listProcesses, readProcessEnvironment, readProcessStat} from '../driver/proc-stat.js';
import {isFatcProcess} from './pid-file.js';

/**
 * The variable that marks every process fatc starts, and all their descendants, as this instance's: its control
 * socket's path, unique to one fatc at a time (the pid file beside it sees to that) — a name alone is not: two
 * configs with different runDirs may share one. A run may also use it to talk to its fatc. A process meant to outlive
 * its run drops it from its environment (`env -u FATC_SOCKET daemon …`).
 */
export const instanceVariable = 'FATC_SOCKET';

/** One marked process: its pid, its parent's, and the run it descends from (FATC_JOB, FATC_RUN). */
export type Marked = {pid: number; parent: number; job: string | undefined; run: string | undefined};

/**
 * The process if its environment carries `marker` (and it is not fatc itself, nor a zombie, nor in a group `skip`
 * names: a run's under way, whose processes have left nothing; nor, when `onlyUnder` is given, a child of a parent it
 * refuses). Both are asked before the environment is read: that read is most of a scan's cost.
 */
function readMarked(pid: string | number, marker: string, skip?: (group: number) => boolean, onlyUnder?: (parent: number) => boolean): Marked | undefined {
	// A run's leader leads its group: skipped without reading it.
	if (Number(pid) === process.pid || skip?.(Number(pid))) {
		return undefined;
	}

	const stat = readProcessStat(pid);
	if (stat === undefined || skip?.(stat.group) || (onlyUnder !== undefined && !onlyUnder(stat.parent))) {
		return undefined;
	}

	const environment = readProcessEnvironment(pid);
	return environment?.includes(marker)
		? {pid: Number(pid), parent: stat.parent, job: variable(environment, 'FATC_JOB'), run: variable(environment, 'FATC_RUN')}
		: undefined;
}

function markerOf(socket: string): string {
	return `\0${instanceVariable}=${socket}\0`;
}

/**
 * Every live process but fatc itself whose environment says FATC_SOCKET=<socket>, but those another live fatc is the
 * parent of: its runs, and what it adopted (this one's pid file and socket were removed, and it took them: it gives way,
 * keep-run-directory.ts). Other users' are unreadable.
 */
function markedProcesses(socket: string): Marked[] {
	const marker = markerOf(socket);
	const isOtherFatc = otherFatc();
	return listProcesses().flatMap(pid => readMarked(pid, marker, undefined, parent => !isOtherFatc(parent)) ?? []);
}

/** Whether a pid is a live fatc other than this one; each pid asked about is read once (a scan asks of every parent). */
function otherFatc(): (pid: number) => boolean {
	const known = new Map<number, boolean>();
	return pid => {
		let answer = known.get(pid);
		if (answer === undefined) {
			answer = pid !== process.pid && isFatcProcess(pid);
			known.set(pid, answer);
		}

		return answer;
	};
}

/**
 * A live fatc other than this one that is the parent of a process marked with `socket`: it serves this config although
 * its pid file and socket are gone (removed under it; it makes them again within a second, keep-run-directory.ts).
 */
export function servingFatc(socket: string): number | undefined {
	// Each process's parent first: environments are read only of those a live fatc is the parent of (a few), not of
	// every process on the machine.
	const marker = markerOf(socket);
	const isOtherFatc = otherFatc();
	for (const pid of listProcesses()) {
		const marked = readMarked(pid, marker, undefined, isOtherFatc);
		if (marked !== undefined) {
			return marked.parent;
		}
	}

	return undefined;
}

/** How long one slice of a sliced scan may hold the event loop. */
const sliceMilliseconds = 5;

/**
 * The processes where an escaped one can be. Where fatc adopts orphans (child subreaper, or PID 1), a process that left
 * its run's group is re-parented to fatc once the processes between them are gone: it is one of fatc's children that
 * lead no run under way, or below one — a walk of those few instead of all of /proc (with 10,000 runs under way, most
 * of a sweep's cost, and each /proc entry looked up costs the kernel again when that process is reaped). Elsewhere,
 * or when the lists cannot be read: every process.
 */
function candidates(adopts: boolean, isRunGroup: (group: number) => boolean): Array<string | number> {
	const children = adopts ? childrenOf('self') : undefined;
	return (children && descendantsOf(children.filter(pid => !isRunGroup(pid)))) ?? listProcesses();
}

/**
 * The same, read a few milliseconds at a time between turns of the event loop: with thousands of processes a scan
 * (an environ read each) takes hundreds of milliseconds, which must not stall the control socket or the runs' ends.
 */
async function markedProcessesSliced(socket: string, skip: (group: number) => boolean, adopts: boolean): Promise<{marked: Marked[]; busyMilliseconds: number}> {
	const marker = markerOf(socket);
	const marked: Marked[] = [];
	let busyMilliseconds = 0;
	let sliceStart = performance.now();
	for (const pid of candidates(adopts, skip)) {
		if (performance.now() - sliceStart > sliceMilliseconds) {
			busyMilliseconds += performance.now() - sliceStart;
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			sliceStart = performance.now();
		}

		const found = readMarked(pid, marker, skip);
		if (found !== undefined) {
			marked.push(found);
		}
	}

	return {marked, busyMilliseconds: busyMilliseconds + performance.now() - sliceStart};
}

function variable(environment: string, name: string): string | undefined {
	const start = environment.indexOf(`\0${name}=`);
	return start === -1 ? undefined : environment.slice(start + name.length + 2, environment.indexOf('\0', start + 1));
}

function kill(pids: number[]): number[] {
	return pids.filter(pid => {
		try {
			process.kill(pid, 'SIGKILL');
			return true;
		} catch {
			return false;
		}
	});
}

/**
 * SIGKILLs every marked process: what is left of an instance once its runs' process groups are gone is a process that
 * left its group (`setsid`, a double fork), or the runs of a fatc of that instance that was SIGKILLed. Returns the
 * processes killed.
 */
export function sweepInstance(socket: string): Marked[] {
	const marked = markedProcesses(socket);
	const killed = new Set(kill(marked.map(process => process.pid)));
	return marked.filter(process => killed.has(process.pid));
}

/** A sweep no more than once a second, and scanning never more than ~5 % of the time on a machine of many processes. */
const minimumInterval = 1000;
const dutyFactor = 20;

/**
 * Kills what a run left behind outside its process group as soon as that run has ended (SPEC §2.2), not only when
 * fatc stops: after each `run-ended`, one /proc scan SIGKILLs the marked processes whose FATC_JOB/FATC_RUN name a run
 * that has ended — never one of a run under way or just started. Scans are batched: at most one a second, and
 * spaced further when a scan is slow (thousands of processes). The environment of a process in the group of a run
 * under way (`isRunGroup`) is not read: each run is a session of its own, so what is in its group is that run's —
 * with 10,000 runs, most of a scan's cost. `adopts()`: fatc is its runs' child subreaper (or PID 1), so only what is
 * below its children is looked at (candidates).
 */
export function createEscapeSweeper(
	socket: string,
	report: (event: SupervisorEvent) => void,
	isRunGroup: (group: number) => boolean,
	adopts: () => boolean = () => false,
	/** False while this fatc does not hold its pid file: the marked processes may be another fatc's then. */
	mayKill: () => boolean = () => true,
) {
	let ended = new Map<string, Set<string>>();
	let timer: NodeJS.Timeout | undefined;
	let sweeping = false;
	let closed = false;
	let nextAllowed = 0;

	const schedule = () => {
		timer ??= setTimeout(() => {
			void sweep();
		}, Math.max(0, nextAllowed - Date.now())).unref();
	};

	const sweep = async () => {
		timer = undefined;
		sweeping = true;
		const endedRuns = ended;
		ended = new Map();
		let busy = 0;
		try {
			const {marked, busyMilliseconds} = await markedProcessesSliced(socket, isRunGroup, adopts());
			busy = busyMilliseconds;
			if (closed || !mayKill()) {
				return;
			}

			const left = marked.filter(process => process.job !== undefined && process.run !== undefined && endedRuns.get(process.job)?.has(process.run));
			const killed = kill(left.map(process => process.pid));
			if (killed.length > 0) {
				const runs = [...new Set(left.filter(process => killed.includes(process.pid)).map(process => `${process.job} run ${process.run}`))];
				const groups = runs.length === 1 ? 'its process group' : 'their process groups';
				report({time: Date.now(), type: 'supervisor-warning', message: `killed ${killed.length} processes that ${runs.join(', ')} left outside ${groups}: ${killed.join(', ')}`});
			}
		} finally {
			sweeping = false;
			// The time the scan held the loop, not the turns it let pass between its slices.
			nextAllowed = Date.now() + Math.max(minimumInterval, dutyFactor * busy);
			// Runs that ended while this sweep ran get the next one.
			if (ended.size > 0 && !closed) {
				schedule();
			}
		}
	};

	return {
		/** Feed every event; a `run-ended` schedules a sweep. */
		record(event: SupervisorEvent) {
			if (event.type !== 'run-ended') {
				return;
			}

			const runs = ended.get(event.job) ?? new Set<string>();
			runs.add(String(event.runId));
			ended.set(event.job, runs);
			if (!sweeping) {
				schedule();
			}
		},
		close() {
			closed = true;
			clearTimeout(timer);
			timer = undefined;
		},
	};
}
