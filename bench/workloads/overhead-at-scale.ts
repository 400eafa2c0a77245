import path from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Contender, Supervision} from '../lib/contender.js';
import {anonymousResidentBytes, countChildren, cpuSeconds, residentBytes} from '../lib/proc.js';
import {judge, type Row} from '../lib/report.js';
import {temporaryFolder} from '../lib/temporary.js';
import {delay, waitFor} from '../lib/wait.js';
import {figureOf, measureEach, type WorkloadContext} from '../lib/workload.js';

type Overhead = {runs: number; startSeconds: number; cpuPercent: number; residentMegabytes: number; anonymousMegabytes: number};

/** How long a tool may take to start every run before it is tried with fewer (PM2 starts them one by one). */
const startTimeout = 240_000;
/**
 * Quiet time after the last start, so start-up work (GC, log opens) does not count as idle cost. 30 s: V8's memory
 * reducer, once the allocation rate of the 1,000 starts has fallen, runs two full collections that give the heap's
 * grown pages back (`--trace-gc`: "Mark-Compact (reduce)", 49.6 → 19.3 MB committed, ~110 ms of CPU with its helper
 * threads); on 2026-12-05 they came 3–13 s after the last start in four starts of fatc by hand, and 18–20 s after it in
 * four runs of this workload, where a 15 s settle counted them as idle (1.10–1.70 % of a core; 0.20 % where they fell
 * before the window). Once they are done fatc uses 0.1–0.25 % of a core with 1,000 runs.
 */
const settleSeconds = {full: 30, smoke: 0.5} as const;

async function measureIdle(contender: Contender, runs: number, context: WorkloadContext): Promise<Overhead> {
	const folder = temporaryFolder(`overhead-${contender.tool}`);
	const startedAt = performance.now();
	const supervision: Supervision = await contender.start({
		command: '/bin/sleep',
		args: ['100000'],
		instances: runs,
		restart: 'at-once',
		logFolder: path.join(folder, 'logs'),
	}, folder);
	try {
		await waitFor(`${runs} runs under ${contender.tool}`, () => (countChildren(supervision.parentOfRuns()) >= runs ? true : undefined), {
			timeout: startTimeout,
			interval: 250,
		});
		const startSeconds = (performance.now() - startedAt) / 1000;
		await delay(settleSeconds[context.mode] * 1000);
		const cpu = () => supervision.supervisorPids().reduce((total, pid) => total + cpuSeconds(pid), 0);
		const cpuBefore = cpu();
		const measuredAt = performance.now();
		await delay(context.seconds * 1000);
		const cpuPercent = (100 * (cpu() - cpuBefore)) / ((performance.now() - measuredAt) / 1000);
		const megabytes = (bytes: (pid: number) => number) => supervision.supervisorPids().reduce((total, pid) => total + bytes(pid), 0) / 1e6;
		return {runs, startSeconds, cpuPercent, residentMegabytes: megabytes(residentBytes), anonymousMegabytes: megabytes(anonymousResidentBytes)};
	} finally {
		await supervision.stop();
	}
}

/** 3. Overhead at scale: many runs that sleep for a long time; what the supervisor itself costs meanwhile. */
export async function overheadAtScale(context: WorkloadContext): Promise<Row[]> {
	const runs = context.idleRuns;
	const outcomes = await measureEach(context, 'overhead at scale', async contender => {
		try {
			return await measureIdle(contender, runs, context);
		} catch (error) {
			if (contender.tool !== 'pm2' || runs <= 100) {
				throw error;
			}

			// The brief allows fewer for PM2 when 1,000 is too heavy; the table says so.
			context.log(`overhead at scale: pm2 with ${runs} failed (${(error as Error).message}); trying 100`);
			return measureIdle(contender, 100, context);
		}
	});
	const fewer = outcomes.get('pm2');
	if (fewer !== undefined && 'runs' in fewer && fewer.runs !== runs) {
		context.notes.push(`Overhead at scale: PM2 could not start ${runs} processes within ${startTimeout / 1000} s; its figures are for ${fewer.runs}.`);
	}

	context.notes.push(`Overhead at scale: ${runs} runs of \`/bin/sleep 100000\` under one supervisor; CPU from /proc/PID/stat `
		+ `(utime + stime) over ${context.seconds} s once all had started (+${settleSeconds[context.mode]} s), RSS from VmRSS and RssAnon; `
		+ 'for PM2 its daemon ("God"), for supervisord its one process.');
	const cpu = figureOf(outcomes, overhead => overhead.cpuPercent);
	const memory = figureOf(outcomes, overhead => overhead.residentMegabytes);
	const ownMemory = figureOf(outcomes, overhead => overhead.anonymousMegabytes);
	const startUp = figureOf(outcomes, overhead => overhead.startSeconds);
	const label = runs.toLocaleString('en-US');
	return [
		{
			workload: '3. overhead at scale',
			figure: `idle CPU, % of a core, ${label} runs`,
			...cpu,
			ratios: true,
			target: '≤ 1 %',
			...judge(cpu.fatc, 1, 'at most', '%'),
		},
		{
			workload: '3. overhead at scale',
			figure: `RSS (MB), ${label} runs`,
			...memory,
			ratios: true,
			target: '≤ 150 MB',
			...judge(memory.fatc, 150, 'at most', 'MB'),
		},
		// The program's own pages (node's ~44 MB) are mapped from files and shared by every process of it.
		{workload: '3. overhead at scale', figure: `of the RSS its own (RssAnon: heap and stacks, not the program's files) (MB), ${label} runs`, ...ownMemory, ratios: true},
		{workload: '3. overhead at scale', figure: `time to start ${label} runs (s)`, ...startUp, ratios: true},
	];
}
