import {monitorEventLoopDelay} from 'node:perf_hooks';
import path from 'node:path';
import type {Programs} from '../lib/compile.js';
import type {Contender, Supervision, Tool} from '../lib/contender.js';
import {followEnds} from '../lib/end-record.js';
import {startFatc} from '../lib/fatc.js';
import {describeOpenFiles} from '../lib/machine-limits.js';
import {cpuSeconds, isAlive, residentBytes} from '../lib/proc.js';
import {start} from '../lib/processes.js';
import {holdRelease, realtime, type Release} from '../lib/release.js';
import {askStatus, latencyOf, probeStatus, type StatusProbe} from '../lib/status-probe.js';
import {temporaryFolder} from '../lib/temporary.js';
import {waitFor} from '../lib/wait.js';

type Latency = ReturnType<typeof latencyOf>;

/** One tool at one N: N runs of one job started, then released to end at the same moment. */
export type ScalePoint = {
	tool: Tool;
	runs: number;
	/** From the launch of the tool until the last run wrote its start mark. */
	startSeconds: number;
	/** From the release until the tool had recorded the last end (its own time stamp; the C program's last reap). */
	endSeconds: number;
	/** Ends the tool recorded (its end record, fatc's counters): N when nothing was lost. */
	endsRecorded: number;
	/** What was lost, in words; absent when every start and end is there. */
	lost?: string;
	/** CPU seconds of the tool's own processes in each phase (not its runs'). */
	cpuStartSeconds: number;
	cpuEndSeconds: number;
	residentPeakMegabytes: number;
	/** fatc only: its control socket's answer times in each phase. */
	statusStarts?: Latency;
	statusEnds?: Latency;
	/**
	 * fatc only: the same question asked at the same moments of a second fatc beside it with one sleeping run (nothing
	 * to do): how long any process waits for the CPU while N runs start or end at once, fatc's part not included.
	 */
	idleStatusStarts?: Latency;
	idleStatusEnds?: Latency;
	/**
	 * A program beside the N runs (bench/wakeup-probe.c, a session of its own sleeping 10 ms at a time): how late it
	 * woke up at worst while they ended (ms): the wait for the CPU of any other program on the machine.
	 */
	neighbourLateEnds?: number;
	/** The benchmark's own event loop (where the status probes run): its longest delay while they ended (ms). */
	benchLoopDelayEnds?: number;
	/** The tool's open-file limits as it ran, soft/hard. */
	openFiles: string;
};

export type MeasureOptions = {
	programs: Programs;
	/** The most each phase (starting all, taking in the ends) may take before the tool counts as failed at this N. */
	timeoutSeconds: number;
	/** Open-file limit (soft and hard) for the tool; undefined: soft raised to hard. */
	openFiles: number | undefined;
	log(message: string): void;
};

/**
 * What the ends do to the rest of the machine, watched from the release until `stop`: how late a program beside the
 * runs wakes up, and how long the benchmark's own event loop is held.
 */
function watchNeighbours(programs: Programs): {stop(): Promise<{neighbourLateEnds?: number; benchLoopDelayEnds: number}>} {
	const neighbour = start(programs.wakeupProbe, [], {capture: true});
	const loop = monitorEventLoopDelay({resolution: 10});
	loop.enable();
	return {
		async stop() {
			loop.disable();
			neighbour.child.kill('SIGTERM');
			await neighbour.exited;
			const worst = /^worst ([\d.]+)$/m.exec(neighbour.output());
			return {neighbourLateEnds: worst ? Number(worst[1]) : undefined, benchLoopDelayEnds: loop.max / 1e6};
		},
	};
}

/** Peak RSS of some processes (their sum), read every 100 ms from /proc. */
function samplePeak(pids: () => number[]): {stop(): number} {
	let peak = 0;
	const read = () => {
		peak = Math.max(peak, pids().reduce((total, pid) => total + residentBytes(pid), 0));
	};

	read();
	const timer = setInterval(read, 100);
	return {
		stop() {
			clearInterval(timer);
			read();
			return peak / 1e6;
		},
	};
}

async function withTimeout<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`timed out after ${milliseconds / 1000} s waiting for ${what}`));
		}, milliseconds);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Waits until every run has marked its start; throws when the tool died or the time is up, saying how many did. */
async function waitForStarts(release: Release, runs: number, tool: string, alive: () => boolean, timeout: number, log: (message: string) => void): Promise<void> {
	let lastLogged = performance.now();
	await waitFor(`${runs} runs started under ${tool}`, () => {
		const started = release.started();
		if (started >= runs) {
			return true;
		}

		if (!alive()) {
			throw new Error(`${tool} exited after ${started} of ${runs} runs had started`);
		}

		if (performance.now() - lastLogged > 30_000) {
			lastLogged = performance.now();
			log(`scale: ${tool}: ${started} of ${runs} runs started`);
		}

		return undefined;
	}, {timeout, interval: 25}).catch((error: unknown) => {
		throw new Error(`${(error as Error).message} (${release.started()} had started)`, {cause: error});
	});
}

/** fatc, supervisord or PM2: launch, all N started, release, every end recorded. */
export async function measureSupervisor(contender: Contender, runs: number, options: MeasureOptions): Promise<ScalePoint> {
	const {tool} = contender;
	const folder = temporaryFolder(`scale-${tool}-${runs}`);
	const release = await holdRelease(folder);
	const timeout = options.timeoutSeconds * 1000;
	// The second fatc (nothing to do, asked the same questions) is up before the measured one is launched: its own
	// start-up is not the measured fatc's work.
	const idleFatc = tool === 'fatc' ? await startFatc(temporaryFolder(`scale-idle-fatc-${runs}`), {idle: {command: 'sleep', args: ['86400'], stopTimeout: 2}}) : undefined;
	const launchedAt = realtime();
	const supervision: Supervision = await withTimeout(contender.start({
		command: options.programs.awaitRelease,
		args: [release.fifo, release.marks],
		instances: runs,
		restart: 'never',
		logFolder: path.join(folder, 'logs'),
		recordEnds: true,
		openFiles: options.openFiles,
		startTimeout: timeout,
	// A little longer than the tool's own start timeout, so that PM2's start gives up and cleans up first.
	}, folder), timeout + 30_000, `${tool} to start`).catch(async (error: unknown) => {
		release.release();
		await idleFatc?.stop();
		throw error;
	});
	let probe: StatusProbe | undefined;
	let idleProbe: StatusProbe | undefined;
	const pids = () => supervision.supervisorPids();
	const peak = samplePeak(pids);
	try {
		const record = supervision.endRecord;
		if (record === undefined) {
			throw new Error(`${tool} has no end record`);
		}

		const socket = supervision.statusSocket;
		probe = socket === undefined ? undefined : probeStatus(socket);
		idleProbe = socket === undefined || idleFatc === undefined ? undefined : probeStatus(idleFatc.socket);

		const alive = () => pids().every(pid => isAlive(pid));
		const cpu = () => pids().reduce((total, pid) => total + cpuSeconds(pid), 0);
		// Whole seconds left of the phase's time, so that a timeout reads "timed out after 287 s".
		const left = Math.max(1, Math.round((timeout - (realtime() - launchedAt)) / 1000)) * 1000;
		await waitForStarts(release, runs, tool, alive, left, options.log);
		const startSeconds = (release.lastStartAt()! - launchedAt) / 1000;
		const cpuAtStarts = cpu();
		const openFiles = describeOpenFiles(pids()[0] ?? -1);
		probe?.setPhase('ends');
		idleProbe?.setPhase('ends');
		const neighbours = watchNeighbours(options.programs);
		const releasedAt = release.release();
		const follow = followEnds(record, runs);
		const ends = await waitFor(`${runs} ends recorded by ${tool}`, () => {
			const counted = follow();
			if (counted.count >= runs) {
				return {...counted, observedAt: realtime()};
			}

			if (!alive()) {
				throw new Error(`${tool} exited after recording ${counted.count} of ${runs} ends`);
			}

			return undefined;
		}, {timeout, interval: 25});
		const cpuAtEnds = cpu();
		const watched = await neighbours.stop();
		const samples = await probe?.stop();
		const idleSamples = await idleProbe?.stop();
		let lost: string | undefined;
		if (socket !== undefined) {
			// fatc's own counters, once the ends are in: every run started once and ended done.
			const job = await askStatus(socket);
			if (job?.runs !== runs || job.done !== runs || job.workers.length > 0) {
				lost = `status after the ends: runs ${job?.runs}, done ${job?.done}, under way ${job?.workers.length} (expected ${runs}, ${runs}, 0)`;
			}
		}

		return {
			tool,
			runs,
			startSeconds,
			endSeconds: ((ends.reachedAt ?? ends.observedAt) - releasedAt) / 1000,
			endsRecorded: ends.count,
			lost: ends.count === runs ? lost : `${ends.count} ends recorded for ${runs} runs${lost ? `; ${lost}` : ''}`,
			cpuStartSeconds: cpuAtStarts,
			cpuEndSeconds: cpuAtEnds - cpuAtStarts,
			residentPeakMegabytes: peak.stop(),
			statusStarts: samples && latencyOf(samples, 'starts'),
			statusEnds: samples && latencyOf(samples, 'ends'),
			idleStatusStarts: idleSamples && latencyOf(idleSamples, 'starts'),
			idleStatusEnds: idleSamples && latencyOf(idleSamples, 'ends'),
			...watched,
			openFiles,
		};
	} finally {
		peak.stop();
		await probe?.stop();
		await idleProbe?.stop();
		release.release();
		await supervision.stop();
		await idleFatc?.stop();
	}
}

/**
 * The C program (bench/spawn-all.c): posix_spawn N, then reap them all; its own clock for the last reap. `asFatc`:
 * each run in a session of its own with its output in a pipe of its own, as fatc starts them.
 */
export async function measureLimit(runs: number, options: MeasureOptions, asFatc = false): Promise<ScalePoint> {
	const folder = temporaryFolder(`scale-limit-${asFatc ? 'as-fatc-' : ''}${runs}`);
	const release = await holdRelease(folder);
	const timeout = options.timeoutSeconds * 1000;
	const launchedAt = realtime();
	const spawner = start(options.programs.spawnAll, [...(asFatc ? ['--as-fatc'] : []), String(runs), options.programs.awaitRelease, release.fifo, release.marks], {
		capture: true,
		openFiles: options.openFiles,
	});
	try {
		await waitForStarts(release, runs, 'spawn-all', () => spawner.isRunning(), timeout, options.log).catch((error: unknown) => {
			throw new Error(`${(error as Error).message}: ${spawner.output().trim()}`, {cause: error});
		});
		const startSeconds = (release.lastStartAt()! - launchedAt) / 1000;
		const cpuAtStarts = cpuSeconds(spawner.pid);
		const openFiles = describeOpenFiles(spawner.pid);
		const residentAtStarts = residentBytes(spawner.pid);
		const neighbours = watchNeighbours(options.programs);
		const releasedAt = release.release();
		const code = await withTimeout(spawner.exited, timeout, `spawn-all to reap ${runs} runs`);
		const watched = await neighbours.stop();
		const output = spawner.output();
		const reaped = /^reaped (\d+) (\d+)$/m.exec(output);
		const usage = /^cpu ([\d.]+) maxrss (\d+)$/m.exec(output);
		if (code !== 0 || !reaped || !usage) {
			throw new Error(`spawn-all exited ${code}: ${output.trim()}`);
		}

		const cpuTotal = Number(usage[1]);
		return {
			tool: 'limit',
			runs,
			startSeconds,
			endSeconds: (Number(BigInt(reaped[2]!) / 1000n) / 1000 - releasedAt) / 1000,
			endsRecorded: Number(reaped[1]),
			lost: Number(reaped[1]) === runs ? undefined : `reaped ${reaped[1]} of ${runs}`,
			cpuStartSeconds: cpuAtStarts,
			cpuEndSeconds: Math.max(0, cpuTotal - cpuAtStarts),
			residentPeakMegabytes: Math.max(residentAtStarts / 1e6, Number(usage[2]) / 1000),
			...watched,
			openFiles,
		};
	} finally {
		release.release();
	}
}
