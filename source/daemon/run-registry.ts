import {closeSync, openSync, readFileSync, renameSync, writeFileSync, writeSync} from 'node:fs';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {isGroupEmpty, signalGroup} from '../driver/process-group.js';
import {listProcesses, readProcessStat} from '../driver/proc-stat.js';

/**
 * An append-only file of the process groups of runs under way ("+ PGID JOB" / "- PGID"), so that a fatc started
 * after this one was SIGKILLed can reap them before it starts anything (SPEC §2.2).
 */
export type RunRegistry = {
	record(event: SupervisorEvent): void;
	close(): void;
};

const compactAfter = 10_000;

export function openRunRegistry(path: string): RunRegistry {
	const live = new Map<number, string>();
	let lines = 0;
	// One descriptor for the life of fatc: two writes per run, no open/close on the hot path.
	let descriptor: number | undefined = openSync(path, 'w', 0o600);
	const append = (line: string) => {
		if (descriptor === undefined) {
			return;
		}

		try {
			lines++;
			if (lines > compactAfter) {
				const temporary = `${path}.tmp`;
				writeFileSync(temporary, [...live].map(([pgid, job]) => `+ ${pgid} ${job}\n`).join(''), {mode: 0o600});
				renameSync(temporary, path);
				closeSync(descriptor);
				descriptor = openSync(path, 'a', 0o600);
				lines = live.size;
			}

			writeSync(descriptor, line);
		} catch {
			// Best effort (runDir removed, disk full): supervision goes on; only reaping after a crash is weaker.
		}
	};

	return {
		record(event) {
			if (event.type === 'run-started' && event.pid !== undefined) {
				live.set(event.pid, event.job);
				append(`+ ${event.pid} ${event.job}\n`);
			} else if (event.type === 'run-ended' && event.pid !== undefined && live.delete(event.pid)) {
				append(`- ${event.pid}\n`);
			}
		},
		close() {
			if (descriptor !== undefined) {
				closeSync(descriptor);
				descriptor = undefined;
			}

			try {
				writeFileSync(path, '');
			} catch {
				// Nothing to clear where there is no runDir left.
			}
		},
	};
}

/**
 * SIGKILLs the groups a dead fatc left in its registry — only processes whose environment still says FATC_JOB=<job>,
 * so a pid reused by another program is never touched — and waits until they are gone. Returns the pgids reaped.
 */
export async function reapLeftovers(path: string): Promise<number[]> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return [];
	}

	const recorded = new Map<number, string>();
	for (const line of text.split('\n')) {
		const [sign, pgid, job] = line.split(' ');
		if (sign === '+' && job) {
			recorded.set(Number(pgid), job);
		} else if (sign === '-') {
			recorded.delete(Number(pgid));
		}
	}

	const reaped = [...recorded].filter(([pgid, job]) => groupRunsJob(pgid, job)).map(([pgid]) => pgid);
	for (const pgid of reaped) {
		signalGroup(pgid, 'SIGKILL');
	}

	const deadline = Date.now() + 10_000;
	while (reaped.some(pgid => !isGroupEmpty(pgid)) && Date.now() < deadline) {
		await new Promise(resolve => setTimeout(resolve, 20));
	}

	return reaped;
}

function groupRunsJob(pgid: number, job: string): boolean {
	const marker = `\0FATC_JOB=${job}\0`;
	for (const pid of listProcesses()) {
		if (readProcessStat(pid)?.group !== pgid) {
			continue;
		}

		try {
			if (`\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker)) {
				return true;
			}
		} catch {}
	}

	return false;
}
