import {closeSync, mkdirSync, openSync, readdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import {checkLines, type LineCheck} from '../lib/check-lines.js';
import type {Supervision} from '../lib/contender.js';
import {filesUnder, folderSize} from '../lib/file-size.js';
import {cpuSeconds, residentBytes} from '../lib/proc.js';
import {start} from '../lib/processes.js';
import {formatNumber, isNumber, judge, type Row} from '../lib/report.js';
import {temporaryFolder} from '../lib/temporary.js';
import {delay} from '../lib/wait.js';
import {percentile} from '../lib/statistics.js';
import {combineRounds, describeRounds, figureOf, measureRounds, type WorkloadContext} from '../lib/workload.js';

const instances = 4;
const lineBytes = 100;

type Output = LineCheck & {megabytesPerSecond: number; peakResidentMegabytes: number | undefined; cpuMillisecondsPerMegabyte: number | undefined};

/** `time` is Date.now(): the writers' start times are wall-clock times. */
type Sample = {time: number; logBytes: number; cpu: number};

/**
 * Samples the logs' size and the supervisor's memory every 100 ms while the writers write, then waits until the
 * logs stop growing (what a supervisor still buffers is not yet "reaching the log files").
 */
async function follow(logFolder: string, reportFolder: string, supervisorPids: () => number[], context: WorkloadContext) {
	const samples: Sample[] = [];
	let peakResident = 0;
	let stableSince: number | undefined;
	const writersDone = () => readdirSync(reportFolder).length >= instances;
	const deadline = Date.now() + ((context.seconds + 120) * 1000);
	while (Date.now() < deadline) {
		const logBytes = folderSize(logFolder);
		const time = Date.now();
		const previous = samples.at(-1);
		samples.push({time, logBytes, cpu: supervisorPids().reduce((total, pid) => total + cpuSeconds(pid), 0)});
		peakResident = Math.max(peakResident, supervisorPids().reduce((total, pid) => total + residentBytes(pid), 0));
		if (writersDone()) {
			stableSince = previous?.logBytes === logBytes ? (stableSince ?? time) : undefined;
			if (stableSince !== undefined && time - stableSince >= 1000) {
				break;
			}
		}

		await delay(100);
	}

	if (!writersDone()) {
		throw new Error('the writers did not finish');
	}

	// The first sample that saw the final size: the output was all in the logs by then.
	const last = samples.at(-1)!;
	const lastGrowth = samples.find(sample => sample.logBytes === last.logBytes)!;
	// The supervisor's CPU while the logs grew, not its own start: from the first sample that saw output to the last growth.
	const first = samples.find(sample => sample.logBytes > 0) ?? lastGrowth;
	const megabytes = (lastGrowth.logBytes - first.logBytes) / 1e6;
	const cpuMillisecondsPerMegabyte = megabytes > 0 ? (lastGrowth.cpu - first.cpu) * 1000 / megabytes : undefined;
	return {lastGrowthAt: lastGrowth.time, peakResident, cpuMillisecondsPerMegabyte};
}

/**
 * Every tool writes its logs into the same folder, emptied before each: where on the disk a file lands decided the
 * figures more than the tools did (measured 2026-12-03 on this VM: the same fatc, the same 4 writers, 450–510 MB/s
 * into a folder written many times before, 200–370 MB/s into a new one beside it, ~2× the CPU a MB in the kernel's
 * wake-ups and writeback; a virtual disk allocates what was never written). Each tool used to have a new folder.
 */
let sharedLogFolder: string | undefined;

function folders(tool: string) {
	const folder = temporaryFolder(`output-${tool}`);
	sharedLogFolder ??= temporaryFolder('output-logs');
	const logFolder = path.join(sharedLogFolder, 'logs');
	const reportFolder = path.join(folder, 'reports');
	rmSync(logFolder, {recursive: true, force: true});
	mkdirSync(logFolder, {recursive: true});
	mkdirSync(reportFolder, {recursive: true});
	return {folder, logFolder, reportFolder};
}

async function measured(logFolder: string, reportFolder: string, followed: {lastGrowthAt: number; peakResident: number | undefined; cpuMillisecondsPerMegabyte: number | undefined}): Promise<Output> {
	const {lastGrowthAt, peakResident, cpuMillisecondsPerMegabyte} = followed;
	// fatc's run history (<name>.history.ndjson) shares the log folder: only the runs' own output is checked.
	const check = await checkLines(filesUnder(logFolder).filter(file => !file.endsWith('.history.ndjson')), reportFolder, lineBytes);
	const seconds = (lastGrowthAt - check.firstStartedAt) / 1000;
	return {
		...check,
		megabytesPerSecond: seconds > 0 ? check.found / 1e6 / seconds : 0,
		peakResidentMegabytes: peakResident === undefined ? undefined : peakResident / 1e6,
		cpuMillisecondsPerMegabyte,
	};
}

/** A tool's rounds as one: the median MB/s and CPU a MB, the worst round's losses and the highest RSS. */
function outputOfRounds(rounds: Output[]): Output {
	const median = (pick: (output: Output) => number | undefined) => percentile(rounds.map(pick).filter((value): value is number => value !== undefined), 0.5);
	const worst = rounds.reduce((worse, output) => (output.lost + output.brokenLines + output.missingLines > worse.lost + worse.brokenLines + worse.missingLines ? output : worse));
	const resident = rounds.map(output => output.peakResidentMegabytes).filter((value): value is number => value !== undefined);
	return {
		...worst,
		megabytesPerSecond: median(output => output.megabytesPerSecond) ?? 0,
		cpuMillisecondsPerMegabyte: median(output => output.cpuMillisecondsPerMegabyte),
		peakResidentMegabytes: resident.length === 0 ? undefined : Math.max(...resident),
	};
}

/** 4. Output throughput: 4 runs writing numbered lines as fast as they can; what reaches the logs, whole. */
export async function outputThroughput(context: WorkloadContext): Promise<Row[]> {
	const rounds = await measureRounds(context, 'output throughput', async contender => {
		const {folder, logFolder, reportFolder} = folders(contender.tool);
		const supervision: Supervision = await contender.start({
			command: context.programs.writer,
			args: [String(context.seconds), reportFolder, String(lineBytes)],
			instances,
			restart: 'never',
			logFolder,
		}, folder);
		let followed;
		try {
			followed = await follow(logFolder, reportFolder, () => supervision.supervisorPids(), context);
		} finally {
			// fatc writes every line before it exits (SPEC §2.3): what is in the logs after this is all there is.
			await supervision.stop();
		}

		return measured(logFolder, reportFolder, followed);
	}, {
		async measureLimit() {
			// No supervisor: each writer's stdout is a file of its own, the disk's speed for this output.
			const {logFolder, reportFolder} = folders('limit');
			const writers = Array.from({length: instances}, (_, index) => {
				const descriptor = openSync(path.join(logFolder, `writer-${index}.log`), 'w');
				const writer = start(context.programs.writer, [String(context.seconds), reportFolder, String(lineBytes)], {
					stdio: ['ignore', descriptor, 'inherit'],
				});
				closeSync(descriptor);
				return writer;
			});
			const followed = await follow(logFolder, reportFolder, () => [], context);
			await Promise.all(writers.map(async writer => writer.exited));
			return measured(logFolder, reportFolder, {lastGrowthAt: followed.lastGrowthAt, peakResident: undefined, cpuMillisecondsPerMegabyte: undefined});
		},
	});
	context.notes.push(`Output throughput: ${instances} runs of bench/writer.c, ${lineBytes}-byte numbered lines as fast as the `
		+ `pipe takes them for ${context.seconds} s; MB/s = bytes found whole in the logs ÷ time from the first writer's start to the last growth of the logs (sampled every 100 ms); `
		+ 'bytes lost = bytes written − bytes of whole lines found (each writer reports what it wrote). '
		+ 'The C limit writes to files directly, no supervisor.');
	const outcomes = combineRounds(rounds, outputOfRounds);
	if (context.rounds > 1) {
		context.notes.push(`Output throughput, the median of ${context.rounds} rounds, tools alternated (MB/s): `
			+ `${describeRounds(rounds, value => value.megabytesPerSecond, value => formatNumber(value))}; bytes lost and lines cut are the worst round's, peak RSS the highest.`);
	}

	const throughput = figureOf(outcomes, output => output.megabytesPerSecond);
	const lost = figureOf(outcomes, output => output.lost);
	const broken = figureOf(outcomes, output => output.brokenLines + output.missingLines);
	const peak = figureOf(outcomes, output => output.peakResidentMegabytes);
	delete peak.peers.limit;
	const cpu = figureOf(outcomes, output => output.cpuMillisecondsPerMegabyte);
	delete cpu.peers.limit;
	return [
		{
			workload: '4. output throughput',
			figure: `MB/s reaching the logs, ${instances} writers`,
			...throughput,
			ratios: true,
			// Issue 12: at least supervisord's, in the same run (no verdict without it).
			...(isNumber(throughput.peers.supervisord)
				? {target: '≥ supervisord', ...judge(throughput.fatc, throughput.peers.supervisord, 'at least', 'MB/s')}
				: {}),
		},
		{workload: '4. output throughput', figure: 'bytes lost', ...lost, ratios: false, target: '0', met: typeof lost.fatc === 'number' ? lost.fatc === 0 : undefined},
		{
			workload: '4. output throughput',
			figure: 'lines cut, mixed or missing',
			...broken,
			ratios: false,
			target: '0',
			met: typeof broken.fatc === 'number' ? broken.fatc === 0 : undefined,
		},
		{workload: '4. output throughput', figure: 'CPU of the tool per MB moved (ms), not its runs\'', ...cpu, ratios: true},
		{workload: '4. output throughput', figure: 'peak RSS while writing (MB)', ...peak, ratios: true, target: '≤ 150 MB (bounded)', ...judge(peak.fatc, 150, 'at most', 'MB')},
	];
}
