// The spawn engines side by side: N /bin/true through the real driver (pipes, log writer, group check), 4 in flight,
// with each engine, without and with 100 MB of heap ballast, beside bench/spawn-loop.c (posix_spawn + waitpid in C,
// 4 in parallel) in the same run. Rounds alternate the contenders, so that outside load falls on all of them alike;
// the table gives each one's median.
// Usage: node --import tsx bench/workloads/spawn-engine.ts [RUNS=2000] [ROUNDS=3]
import {execFile} from 'node:child_process';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {spawnEngineNamed} from '../../source/driver/choose-spawn-engine.js';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import type {SpawnEngineName} from '../../source/driver/spawn-engine.js';
import {compilePrograms} from '../lib/compile.js';
import {removeTemporaryFolders, temporaryFolder} from '../lib/temporary.js';

const inFlight = 4;
const runs = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 3);
const ballastMegabytes = 100;

type Figure = {runsPerSecond: number; cpuMillisecondsPerRun?: number};

/** runs /bin/true through a driver with `engine`, `inFlight` at a time. */
async function throughDriver(engine: SpawnEngineName, folder: string): Promise<Figure> {
	const driver = createProcessDriver({engine: spawnEngineNamed(engine)});
	let started = 0;
	const cpuBefore = process.cpuUsage();
	const startedAt = performance.now();
	const slot = async () => {
		while (started < runs) {
			started++;
			const run = driver.spawn({
				job: 'bench', runId: started, command: '/bin/true', args: [], cwd: tmpdir(), env: {PATH: '/usr/bin:/bin', FATC_RUN: String(started)},
				logFile: path.join(folder, 'bench.log'), stopSignal: 'SIGTERM', stopTimeout: 1000,
			});
			const exit = await run.exited;
			if (exit.code !== 0) {
				throw new Error(`a run of /bin/true ended with ${JSON.stringify(exit)}`);
			}
		}
	};

	await Promise.all(Array.from({length: inFlight}, slot));
	const seconds = (performance.now() - startedAt) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	await driver.close();
	return {runsPerSecond: runs / seconds, cpuMillisecondsPerRun: (cpu.user + cpu.system) / 1000 / runs};
}

/** The C loop for about as long as the driver took: its runs per second. */
async function cLoop(spawnLoop: string, seconds: number): Promise<Figure> {
	const {stdout} = await promisify(execFile)(spawnLoop, [String(inFlight), String(seconds), '/bin/true']);
	return {runsPerSecond: Number(/runs (\d+)/.exec(stdout)?.[1]) / seconds};
}

/** Grows the V8 heap by about `megabytes` of live arrays (fork copies the page tables of all of it). */
function ballast(megabytes: number): number[][] {
	return Array.from({length: megabytes}, () => Array.from({length: 131_072}, () => 1.5));
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

const {spawnLoop} = await compilePrograms();
const folder = temporaryFolder('spawn-engine');
const contenders = ['C loop (spawn-loop.c)', 'node engine', 'posix engine'] as const;
const results = new Map<string, Figure[]>();
const record = (name: string, figure: Figure) => {
	results.set(name, [...results.get(name) ?? [], figure]);
};

let kept: number[][] = [];
for (const withBallast of [false, true]) {
	if (withBallast) {
		kept = ballast(ballastMegabytes);
	}

	const label = withBallast ? `, ${ballastMegabytes} MB ballast` : '';
	for (let round = 0; round < rounds; round++) {
		const node = await throughDriver('node', folder);
		record(`node engine${label}`, node);
		const posix = await throughDriver('posix', folder);
		record(`posix engine${label}`, posix);
		// The C loop gets the mean of the two drivers' durations: long enough to be steady, short enough to be beside them.
		record(`C loop (spawn-loop.c)${label}`, await cLoop(spawnLoop, Math.max(1, runs / ((node.runsPerSecond + posix.runsPerSecond) / 2))));
	}
}

const rss = process.memoryUsage.rss() / 1024 / 1024;
process.stdout.write(`${runs} runs of /bin/true, ${inFlight} in flight, median of ${rounds} alternating rounds (fatc's RSS with ballast: ${rss.toFixed(0)} MB, ${kept.length} MB kept)\n\n`);
process.stdout.write('| contender | runs/s | × C loop | driver CPU ms/run |\n|---|---:|---:|---:|\n');
for (const withBallast of [false, true]) {
	const label = withBallast ? `, ${ballastMegabytes} MB ballast` : '';
	const c = median(results.get(`${contenders[0]}${label}`)!.map(figure => figure.runsPerSecond));
	for (const name of contenders) {
		const figures = results.get(`${name}${label}`)!;
		const perSecond = median(figures.map(figure => figure.runsPerSecond));
		const cpu = figures[0]!.cpuMillisecondsPerRun === undefined ? '' : median(figures.map(figure => figure.cpuMillisecondsPerRun!)).toFixed(2);
		process.stdout.write(`| ${name}${label} | ${perSecond.toFixed(0)} | ${(perSecond / c).toFixed(2)} | ${cpu} |\n`);
	}
}

removeTemporaryFolders();
