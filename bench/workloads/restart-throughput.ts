import path from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Program} from '../lib/contender.js';
import {fileSize} from '../lib/file-size.js';
import {cpuSeconds} from '../lib/proc.js';
import {start} from '../lib/processes.js';
import {formatNumber, judge, type Row} from '../lib/report.js';
import {temporaryFolder} from '../lib/temporary.js';
import {delay, waitFor} from '../lib/wait.js';
import {percentile} from '../lib/statistics.js';
import {combineRounds, describeRounds, figureOf, measureRounds, type WorkloadContext} from '../lib/workload.js';

const instances = 4;

/** The same command for every tool: each run appends one byte to a counter, then asks for more. */
function counterProgram(folder: string): {program: Program; counter: string} {
	const counter = path.join(folder, 'counter');
	return {
		counter,
		program: {
			command: '/bin/sh',
			args: ['-c', `printf x >> '${counter}'; exit 64`],
			instances,
			restart: 'at-once',
			logFolder: path.join(folder, 'logs'),
		},
	};
}

type Throughput = {runsPerSecond: number; cpuMillisecondsPerRun: number};

/**
 * Runs per second from the counter's growth over `seconds`, after the first run and a warm-up; and the CPU time the
 * tool's own processes (`pids`: not its runs) spent meanwhile, per run. A tool that counted no run in that time
 * failed the round: its CPU a run would be NaN, which sorts anywhere in the rounds' median and could hide there.
 */
export async function countRuns(counter: string, context: WorkloadContext, pids: () => number[]): Promise<Throughput> {
	const cpu = () => pids().reduce((total, pid) => total + cpuSeconds(pid), 0);
	await waitFor('the first run', () => (fileSize(counter) > 0 ? true : undefined), {timeout: 60_000, interval: 20});
	await delay(context.warmupSeconds * 1000);
	const before = fileSize(counter);
	const cpuBefore = cpu();
	const startedAt = performance.now();
	await delay(context.seconds * 1000);
	const runs = fileSize(counter) - before;
	if (runs <= 0) {
		throw new Error(`no run counted in ${context.seconds} s after the first`);
	}

	return {runsPerSecond: runs / ((performance.now() - startedAt) / 1000), cpuMillisecondsPerRun: ((cpu() - cpuBefore) * 1000) / runs};
}

/** 1. Restart throughput: 4 slots of a command that exits at once asking for more. */
export async function restartThroughput(context: WorkloadContext): Promise<Row[]> {
	const rounds = await measureRounds(context, 'restart throughput', async contender => {
		const folder = temporaryFolder(`throughput-${contender.tool}`);
		const {program, counter} = counterProgram(folder);
		const supervision = await contender.start(program, folder);
		try {
			return await countRuns(counter, context, () => supervision.supervisorPids());
		} finally {
			await supervision.stop();
		}
	}, {
		async measureLimit() {
			const folder = temporaryFolder('throughput-limit');
			const {program, counter} = counterProgram(folder);
			const seconds = context.warmupSeconds + context.seconds + 2;
			const loop = start(context.programs.spawnLoop, [String(instances), String(seconds), program.command, ...program.args]);
			try {
				return await countRuns(counter, context, () => [loop.pid]);
			} finally {
				await loop.exited;
			}
		},
	});
	// Each figure its own median over the rounds: the CPU a run of the round with the median runs/s would be one sample.
	const outcomes = combineRounds(rounds, values => ({
		runsPerSecond: percentile(values.map(value => value.runsPerSecond), 0.5)!,
		cpuMillisecondsPerRun: percentile(values.map(value => value.cpuMillisecondsPerRun), 0.5)!,
	}));
	const figure = figureOf(outcomes, outcome => outcome.runsPerSecond);
	const cpuPerRun = figureOf(outcomes, outcome => outcome.cpuMillisecondsPerRun);
	const limit = figure.peers.limit;
	const ahead = ['supervisord', 'pm2'] as const;
	const fatc = figure.fatc;
	// Issue 12: at least 0.7× the C loop, and ahead of both peers.
	const share = 0.7;
	const meetsShare = typeof fatc === 'number' && typeof limit === 'number' ? fatc >= share * limit : undefined;
	const behind = ahead.filter(peer => {
		const value = figure.peers[peer];
		return typeof value === 'number' && !(typeof fatc === 'number' && fatc > value);
	});
	const shortfalls = [
		...(meetsShare === false && typeof fatc === 'number' && typeof limit === 'number'
			? [`${formatNumber(fatc / limit)}× the limit, needs ${formatNumber((share * limit) / fatc)}× more runs/s to reach ${share}×`]
			: []),
		...behind.map(peer => `behind ${peer}`),
	];
	context.notes.push(`Restart throughput: \`/bin/sh -c 'printf x >> COUNTER; exit 64'\`, ${instances} in parallel, `
		+ `runs/s = counter growth over ${context.seconds} s after a ${context.warmupSeconds} s warm-up; `
		+ 'the C limit is bench/spawn-loop.c (posix_spawn + waitpid in one process, like a supervisor)'
		+ (context.rounds > 1 ? `; the median of ${context.rounds} rounds, tools alternated: ${describeRounds(rounds, value => value.runsPerSecond, value => formatNumber(value))} runs/s.` : '.'));
	return [{
		workload: '1. restart throughput',
		figure: `runs/s, ${instances} slots, exit 64 / autorestart`,
		...figure,
		ratios: true,
		target: `≥ ${share}× limit, > peers`,
		met: meetsShare === undefined ? undefined : shortfalls.length === 0,
		shortfall: shortfalls.length > 0 ? shortfalls.join('; ') : undefined,
	}, {
		workload: '1. restart throughput',
		figure: 'CPU of the tool per run (ms), not its runs\'',
		...cpuPerRun,
		ratios: true,
		// The original C Fat Controller's, in the e-mail drain of issue 12 (4.1 s of CPU for ~1,000 runs).
		target: '≤ 4 ms (the C Fat Controller)',
		...judge(cpuPerRun.fatc, 4, 'at most', 'ms'),
	}];
}
