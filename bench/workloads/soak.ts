import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {compilePrograms} from '../lib/compile.js';
import {countEvents, type EventCounts} from '../lib/event-counts.js';
import {startFatc, type FatcStatus} from '../lib/fatc.js';
import {fileSize} from '../lib/file-size.js';
import {residentBytes} from '../lib/proc.js';
import {sweep} from '../lib/processes.js';
import type {Row} from '../lib/report.js';
import {temporaryFolder} from '../lib/temporary.js';
import {delay} from '../lib/wait.js';
import type {WorkloadContext} from '../lib/workload.js';

/** bench/stamp.c writes "SLOT START END\n": 1 + 1 + 19 + 1 + 19 + 1 bytes for slots 0–9 until 2286. */
const stampLineBytes = 42;
const instances = 4;

export type SoakResult = {
	target: number;
	/** Runs that really ran: lines the stamp program wrote. */
	stamped: number;
	/** Until `target` runs had ended (the counts go on while `fatc status` answers and fatc stops). */
	seconds: number;
	runsPerSecond: number;
	/** Runs ended when the two RSS figures were read. */
	runsAtTenth: number;
	runsAtEnd: number;
	residentAtTenthMegabytes: number;
	residentAtEndMegabytes: number;
	residentPeakMegabytes: number;
	/** `fatc status --json` just before the stop: runs = done + more + errors + stopped + runs under way. */
	status: FatcStatus['jobs'][number] | undefined;
	/** From the event lines, after fatc exited: every start has its end. */
	events: EventCounts;
	timedOut: boolean;
};

/**
 * `runs` short runs under one fatc (4 independent slots of bench/stamp.c exiting 64): fatc's RSS at 10 % and at
 * 100 % of them, and every run accounted for. Gives up (and says so) after `maximumSeconds`.
 */
export async function soak(runs: number, {maximumSeconds, log}: {maximumSeconds: number; log: (message: string) => void}): Promise<SoakResult> {
	const folder = temporaryFolder('soak');
	const stampFile = path.join(folder, 'stamps');
	const eventsFile = path.join(folder, 'events.jsonl');
	const programs = await compilePrograms();
	const fatc = await startFatc(folder, {
		soak: {
			command: programs.stamp,
			args: [stampFile, '64'],
			model: 'independent',
			instances,
			sleep: 0,
			sleepOnError: 0,
			stopTimeout: 2,
		},
	}, {eventsFile});
	const startedAt = performance.now();
	let residentAtTenth: number | undefined;
	let tenthAt = 0;
	let residentPeak = 0;
	let status: FatcStatus | undefined;
	let timedOut = false;
	let lastLogged = 0;
	let done: number;
	try {
		for (;;) {
			done = Math.floor(fileSize(stampFile) / stampLineBytes);
			const resident = residentBytes(fatc.process.pid);
			residentPeak = Math.max(residentPeak, resident);
			if (residentAtTenth === undefined && done >= runs / 10) {
				residentAtTenth = resident;
				tenthAt = done;
			}

			if (done >= runs) {
				break;
			}

			const elapsed = (performance.now() - startedAt) / 1000;
			if (elapsed > maximumSeconds) {
				timedOut = true;
				break;
			}

			if (elapsed - lastLogged >= 30) {
				lastLogged = elapsed;
				log(`soak: ${done.toLocaleString('en-US')} of ${runs.toLocaleString('en-US')} runs after ${elapsed.toFixed(0)} s, RSS ${(resident / 1e6).toFixed(1)} MB`);
			}

			// Polling a file's size and /proc costs fatc nothing; `fatc status` would cost a node start each time.
			await delay(200);
		}

		const residentAtEnd = residentBytes(fatc.process.pid);
		const seconds = (performance.now() - startedAt) / 1000;
		const runsPerSecond = done / seconds;
		status = await fatc.status();
		await fatc.stop();
		return {
			target: runs,
			stamped: Math.floor(fileSize(stampFile) / stampLineBytes),
			seconds,
			runsPerSecond,
			runsAtTenth: tenthAt,
			runsAtEnd: done,
			residentAtTenthMegabytes: (residentAtTenth ?? Number.NaN) / 1e6,
			residentAtEndMegabytes: residentAtEnd / 1e6,
			residentPeakMegabytes: residentPeak / 1e6,
			status: status.jobs[0],
			events: await countEvents(eventsFile),
			timedOut,
		};
	} finally {
		await fatc.stop();
		await sweep();
	}
}

/**
 * Whether every run is accounted for, by run number: started = ended = done + more + errors + stopped, and the runs
 * that got a pid = what really ran. A start cancelled before its spawn (or a failed spawn) counts as started and ended.
 */
export function countsAgree(result: SoakResult): {agree: boolean; description: string} {
	const {events, stamped, status} = result;
	const ended = events.done + events.more + events.errors + events.stopped;
	// A run stopped at shutdown may die before its stamp line: at most one per slot.
	const stampsAgree = stamped <= events.spawned && events.spawned - stamped <= instances;
	const statusAgrees = status === undefined
		|| status.runs === status.done + status.more + status.errors + status.stopped + status.workers.length;
	const nothingLost = events.unended === 0 && events.endedUnstarted === 0;
	return {
		agree: events.started === events.ended && events.ended === ended && nothingLost && stampsAgree && statusAgrees,
		description: `started ${events.started} (${events.spawned} spawned + ${events.unspawned} cancelled or failed before a pid), `
			+ `ended ${events.ended} = done ${events.done} + more ${events.more} + errors ${events.errors} `
			+ `+ stopped ${events.stopped}; ran (stamp lines) ${stamped}`
			+ (nothingLost ? '' : `; LOST: ${events.unended} spawned without an end, ${events.endedUnstarted} ended with a pid but never started`)
			+ (status === undefined ? '' : `; status before the stop: runs ${status.runs} = ${status.done} + ${status.more} + ${status.errors} + ${status.stopped} + ${status.workers.length} under way`),
	};
}

/** Rows for the table, shared by `npm run bench` (short soak) and `npm run bench:soak`. */
export function soakRows(result: SoakResult, workload: string): Row[] {
	const growth = result.residentAtEndMegabytes / result.residentAtTenthMegabytes;
	const counts = countsAgree(result);
	const count = (runs: number) => runs.toLocaleString('en-US');
	const end = result.timedOut ? `${count(result.runsAtEnd)} runs (time limit, of ${count(result.target)})` : `${count(result.runsAtEnd)} runs (100 %)`;
	return [
		{workload, figure: `RSS after ${count(result.runsAtTenth)} runs (10 %) (MB)`, fatc: result.residentAtTenthMegabytes, peers: {}, ratios: false},
		{
			workload,
			figure: `RSS after ${end} (MB)`,
			fatc: result.residentAtEndMegabytes,
			peers: {},
			ratios: false,
			target: `≤ 1.10× the 10 % figure (it is ${growth.toFixed(2)}×)`,
			met: Number.isFinite(growth) ? growth <= 1.1 : undefined,
		},
		{
			workload,
			figure: 'runs/s over the soak',
			fatc: result.runsPerSecond,
			peers: {},
			ratios: false,
		},
		{
			workload,
			figure: 'runs started = ended = done + more + errors + stopped',
			fatc: result.events.started,
			peers: {},
			ratios: false,
			target: 'all equal',
			met: counts.agree,
		},
	];
}

/** 5. A short soak for the table (`npm run bench:soak` runs the 200,000). */
export async function shortSoak(context: WorkloadContext): Promise<Row[]> {
	const result = await soak(context.soakRuns, {maximumSeconds: context.mode === 'smoke' ? 20 : 300, log: context.log});
	const counts = countsAgree(result);
	context.notes.push(`Soak: ${result.target.toLocaleString('en-US')} runs of bench/stamp.c (exit 64) in 4 independent slots `
		+ `took ${result.seconds.toFixed(0)} s${result.timedOut ? ' (stopped early: time limit)' : ''}; ${counts.description}.`);
	return soakRows(result, '5. soak');
}
