import {closeSync, fstatSync, lstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {isGroupEmpty, signalGroup} from '../driver/process-group.js';
import {listProcesses, readProcessEnvironment, readProcessStat} from '../driver/proc-stat.js';
import {turnOutput} from '../reporters/turn-output.js';
import type {Marked} from './sweep-escaped.js';

/**
 * An append-only file of the runs under way, so that a fatc started after this one was SIGKILLed can reap them before
 * it starts anything (SPEC §2.2): "~ JOB RUN" just before a spawn, "+ PGID JOB RUN" once it has a process group,
 * "! JOB RUN" when it ended without one (cancelled, or the spawn failed), "- PGID" when its group is gone. A "~" left
 * open is a run fatc was starting when it was killed: it may have run, and ended, with no one to see it.
 *
 * A "~" is written before its spawn, at once. The other lines of one callback of the event loop go out together just
 * after it (a microtask) or with the next "~": with 10,000 runs ending at once, one write per reaping turn instead of one
 * per run. A fatc SIGKILLed inside that callback leaves a "-" unwritten: the next fatc finds that run's group gone and
 * says it ended unseen.
 */
export type RunRegistry = {
	/** Just before a run is spawned. */
	starting(job: string, runId: number): void;
	record(event: SupervisorEvent): void;
	/** Whether `pgid` is the group of a run under way (started, its end not recorded yet). */
	hasGroup(pgid: number): boolean;
	/** Writes the file anew with what is under way (it was removed: keep-run-directory.ts); false if it cannot. */
	rewrite(): boolean;
	/** Removes the file when no run is left in it; otherwise leaves it for the next fatc to reap. */
	close(): void;
};

const compactAfter = 10_000;

export function openRunRegistry(path: string): RunRegistry {
	const live = new Map<number, string>();
	const starting = new Set<string>();
	let lines = 0;
	// One descriptor for the life of fatc, no open/close on the hot path.
	let descriptor: number | undefined = openSync(path, 'w', 0o600);
	// Which file is this fatc's: after its runDir was removed, another fatc's registry may be at the path.
	let inode = fstatSync(descriptor).ino;
	/** The file replaced by one holding only what is live and starting now (throws if it cannot be written). */
	const writeAnew = () => {
		const temporary = `${path}.tmp`;
		writeFileSync(temporary, [...[...live].map(([pgid, run]) => `+ ${pgid} ${run}\n`), ...[...starting].map(run => `~ ${run}\n`)].join(''), {mode: 0o600});
		renameSync(temporary, path);
		if (descriptor !== undefined) {
			closeSync(descriptor);
		}

		descriptor = openSync(path, 'a', 0o600);
		inode = fstatSync(descriptor).ino;
		lines = live.size + starting.size;
	};

	// The lines of one callback in one write after it (turn-output.ts); a "~" is flushed at once.
	const output = turnOutput({
		write(text: string) {
			if (descriptor === undefined) {
				return;
			}

			try {
				// Past twice what is live: with 10,000 runs under way, compacting at a fixed count would rewrite it on every line.
				if (lines > Math.max(compactAfter, 2 * (live.size + starting.size))) {
					// What is live and starting now already says what the pending lines say.
					writeAnew();
					return;
				}

				writeSync(descriptor, text);
			} catch {
				// Best effort (runDir removed, disk full): supervision goes on; only reaping after a crash is weaker.
			}
		},
	});
	const append = (line: string) => {
		if (descriptor !== undefined) {
			lines++;
			output.write(line);
		}
	};

	return {
		starting(job, runId) {
			starting.add(`${job} ${runId}`);
			// On disk before the spawn, with what this turn had pending.
			append(`~ ${job} ${runId}\n`);
			output.flush();
		},
		record(event) {
			if (event.type === 'run-started' && event.pid !== undefined) {
				const run = `${event.job} ${event.runId}`;
				starting.delete(run);
				live.set(event.pid, run);
				append(`+ ${event.pid} ${run}\n`);
			} else if (event.type === 'run-ended' && event.pid !== undefined && live.delete(event.pid)) {
				append(`- ${event.pid}\n`);
			} else if (event.type === 'run-ended' && event.pid === undefined && starting.delete(`${event.job} ${event.runId}`)) {
				append(`! ${event.job} ${event.runId}\n`);
			}
		},
		hasGroup: pgid => live.has(pgid),
		rewrite() {
			if (descriptor === undefined) {
				return false;
			}

			// What this turn has pending is in `live` and `starting` already.
			output.flush();
			try {
				writeAnew();
				return true;
			} catch {
				return false;
			}
		},
		close() {
			output.flush();
			if (descriptor !== undefined) {
				closeSync(descriptor);
				descriptor = undefined;
			}

			// A run still listed may be alive: its lines stay for the next fatc to reap. With none, there is nothing to
			// keep, and an empty file per config name ever used would pile up in the run folder.
			if (live.size > 0 || starting.size > 0) {
				return;
			}

			try {
				if (lstatSync(path).ino === inode) {
					rmSync(path, {force: true});
				}
			} catch {
				// Nothing to remove where there is no runDir left.
			}
		},
	};
}

/**
 * What a dead fatc left: the groups reaped; the runs it was starting ("JOB run N") as it died; and the runs it had
 * started whose group is already gone ("JOB run N (pid P)"): they ended while no fatc watched, and how is unknown.
 */
export type Leftovers = {reaped: Array<{pgid: number; run: string}>; unconfirmed: string[]; endedUnseen: string[]};

/**
 * SIGKILLs the groups a dead fatc left in its registry — only processes whose environment still says FATC_JOB=<job>,
 * so a pid reused by another program is never touched — and waits until they are gone.
 */
export async function reapLeftovers(path: string): Promise<Leftovers> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return {reaped: [], unconfirmed: [], endedUnseen: []};
	}

	const recorded = new Map<number, {job: string; run: string}>();
	const starting = new Set<string>();
	for (const line of text.split('\n')) {
		const [sign, first, second, third] = line.split(' ');
		if (sign === '+' && second) {
			recorded.set(Number(first), {job: second, run: third ?? '?'});
			starting.delete(`${second} ${third}`);
		} else if (sign === '-') {
			recorded.delete(Number(first));
		} else if (sign === '~' && second) {
			starting.add(`${first} ${second}`);
		} else if (sign === '!') {
			starting.delete(`${first} ${second}`);
		}
	}

	const reaped: Leftovers['reaped'] = [];
	const endedUnseen: string[] = [];
	for (const [pgid, {job, run}] of recorded) {
		if (groupRunsJob(pgid, job)) {
			reaped.push({pgid, run: `${job} run ${run}`});
		} else {
			// Written as its start was reported; the dead fatc saw no end (the kill may have come before it said "started").
			endedUnseen.push(`${job} run ${run} (pid ${pgid})`);
		}
	}

	for (const {pgid} of reaped) {
		signalGroup(pgid, 'SIGKILL');
	}

	const deadline = Date.now() + 10_000;
	while (reaped.some(({pgid}) => !isGroupEmpty(pgid)) && Date.now() < deadline) {
		await new Promise(resolve => setTimeout(resolve, 20));
	}

	return {reaped, unconfirmed: [...starting].map(run => run.replace(' ', ' run ')), endedUnseen};
}

/** Runs a line about leftovers names; the rest are counted. */
const runsNamed = 20;

/**
 * The lines the next fatc prints about what a killed one left: what it reaped (the registry's groups and the marked
 * processes `swept`), the runs it was starting as it died, and those that ended unseen. A run the registry had as
 * "being started" whose process the sweep found is not unknown: it is named among the reaped, with its pid.
 */
export function describeLeftovers(leftovers: Leftovers, swept: Marked[]): string[] {
	const lines: string[] = [];
	const reapedRuns = new Set([...leftovers.reaped.map(({run}) => run), ...swept.flatMap(({job, run}) => job === undefined || run === undefined ? [] : [`${job} run ${run}`])]);
	const pids = [...leftovers.reaped.map(({pgid}) => pgid), ...swept.map(({pid}) => pid)];
	if (pids.length > 0) {
		const runs = reapedRuns.size > 0 ? ` (${someOf([...reapedRuns])})` : '';
		lines.push(`reaped ${pids.length} process groups and processes left by a fatc that was killed${runs}: ${pids.join(', ')}`);
	}

	const unconfirmed = leftovers.unconfirmed.filter(run => !reapedRuns.has(run));
	if (unconfirmed.length > 0) {
		lines.push(`a fatc was killed while starting its ${unconfirmed.join(', ')}: if it started, it ran unsupervised and how it ended is unknown`);
	}

	if (leftovers.endedUnseen.length > 0) {
		lines.push(`ended while no fatc watched, after the one that started them was killed: ${someOf(leftovers.endedUnseen)}; how they ended is unknown`);
	}

	return lines;
}

/** One line, however many: a fatc killed with 10,000 runs under way may find most of them ended, or reap them all. */
function someOf(runs: string[]): string {
	const unnamed = runs.length - runsNamed;
	return `${runs.slice(0, runsNamed).join(', ')}${unnamed > 0 ? ` and ${unnamed} more` : ''}`;
}

function groupRunsJob(pgid: number, job: string): boolean {
	const marker = `\0FATC_JOB=${job}\0`;
	for (const pid of listProcesses()) {
		if (readProcessStat(pid)?.group !== pgid) {
			continue;
		}

		if (readProcessEnvironment(pid)?.includes(marker)) {
			return true;
		}
	}

	return false;
}
