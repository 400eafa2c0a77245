import type {SupervisorEvent} from '../core/supervisor-event.js';
import {listProcesses, readProcessEnvironment, readProcessStat} from '../driver/proc-stat.js';

/**
 * The variable that marks every process fatc starts, and all their descendants, as this instance's: its control
 * socket's path, unique to one fatc at a time (the pid file beside it sees to that) — a name alone is not: two
 * configs with different runDirs may share one. A run may also use it to talk to its fatc. A process meant to outlive
 * its run drops it from its environment (`env -u FATC_SOCKET daemon …`).
 */
export const instanceVariable = 'FATC_SOCKET';

/** One marked process: its pid and the run it descends from (FATC_JOB, FATC_RUN). */
type Marked = {pid: number; job: string | undefined; run: string | undefined};

/** Every live process but fatc itself whose environment says FATC_SOCKET=<socket>. Other users' are unreadable. */
function markedProcesses(socket: string): Marked[] {
	const marker = `\0${instanceVariable}=${socket}\0`;
	const marked: Marked[] = [];
	for (const pid of listProcesses()) {
		if (Number(pid) === process.pid || readProcessStat(pid) === undefined) {
			continue;
		}

		const environment = readProcessEnvironment(pid);
		if (environment?.includes(marker)) {
			marked.push({pid: Number(pid), job: variable(environment, 'FATC_JOB'), run: variable(environment, 'FATC_RUN')});
		}
	}

	return marked;
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
 * pids killed.
 */
export function sweepInstance(socket: string): number[] {
	return kill(markedProcesses(socket).map(process => process.pid));
}

/** Ran a sweep no more than once a second, and never more than ~5 % of the time on a machine of many processes. */
const minimumInterval = 1000;
const dutyFactor = 20;

/**
 * Kills what a run left behind outside its process group as soon as that run has ended (SPEC §2.2), not only when
 * fatc stops: after each `run-ended`, one /proc scan SIGKILLs the marked processes whose FATC_JOB/FATC_RUN name a run
 * that has ended — never one of a run under way or just started. Scans are batched: at most one a second, and
 * spaced further when a scan is slow (thousands of processes).
 */
export function createEscapeSweeper(socket: string, report: (event: SupervisorEvent) => void) {
	let ended = new Map<string, Set<string>>();
	let timer: NodeJS.Timeout | undefined;
	let nextAllowed = 0;

	const sweep = () => {
		timer = undefined;
		const endedRuns = ended;
		ended = new Map();
		const started = Date.now();
		const left = markedProcesses(socket).filter(process => process.job !== undefined && process.run !== undefined && endedRuns.get(process.job)?.has(process.run));
		const killed = kill(left.map(process => process.pid));
		nextAllowed = Date.now() + Math.max(minimumInterval, dutyFactor * (Date.now() - started));
		if (killed.length > 0) {
			const runs = [...new Set(left.filter(process => killed.includes(process.pid)).map(process => `${process.job} run ${process.run}`))];
			const groups = runs.length === 1 ? 'its process group' : 'their process groups';
			report({time: Date.now(), type: 'supervisor-error', message: `killed ${killed.length} processes that ${runs.join(', ')} left outside ${groups}: ${killed.join(', ')}`});
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
			timer ??= setTimeout(sweep, Math.max(0, nextAllowed - Date.now())).unref();
		},
		close() {
			clearTimeout(timer);
			timer = undefined;
		},
	};
}
