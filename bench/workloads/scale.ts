import type {Tool} from '../lib/contender.js';
import {growthExponent} from '../lib/growth.js';
import {describeLimits, readMachineLimits, tasksNow, type MachineLimits} from '../lib/machine-limits.js';
import {isNumber, judge, type Peer, type Row, type Value} from '../lib/report.js';
import {isMissing, measureEach, type WorkloadContext} from '../lib/workload.js';
import {measureLimit, measureSupervisor, type ScalePoint} from './scale-measure.js';

/** A tool that could not do N (or was not tried, having failed at a smaller N). */
export type ScaleFailure = {tool: Tool; runs: number; reason: string};

/** What bench/results/scale.json holds beside the rows; bench/scale-chart.ts draws from it. */
export type ScaleResults = {
	counts: number[];
	timeoutSeconds: number;
	limits: MachineLimits;
	points: ScalePoint[];
	/** The C program starting each run as fatc does (a session and an output pipe per run), at each N it managed. */
	limitAsFatc: ScalePoint[];
	failures: ScaleFailure[];
};

/** Pids kept free for everyone else on the machine while the benchmark holds N of them. */
const pidsToSpare = 1000;
/** Descriptors per run the hungriest tool holds (supervisord: a stdin and a stdout pipe, a log file, a spare). */
const descriptorsPerRun = 4;

/** The open-file limit to give the tools at N: enough for the hungriest, when the hard limit can be raised. */
function openFilesFor(runs: number, limits: MachineLimits): number | undefined {
	if (!limits.canRaiseHard) {
		return undefined;
	}

	return Math.max(limits.openFilesHard, Math.min(limits.openFilesCeiling, (descriptorsPerRun * runs) + 1024));
}

/**
 * 7. Scale: N runs of one job (independent, `instances: N`) that wait on one FIFO, then all end at once, under fatc,
 * supervisord, PM2 and a C program, for each N. A tool that fails or runs out of time at some N is not tried above it.
 */
export async function scale(context: WorkloadContext, counts: readonly number[], timeoutSeconds: number): Promise<{rows: Row[]; results: ScaleResults}> {
	const limits = await readMachineLimits();
	context.log(`scale: ${describeLimits(limits)}`);
	const results: ScaleResults = {counts: [...counts], timeoutSeconds, limits, points: [], limitAsFatc: [], failures: []};
	const failedAt = new Map<Tool, ScaleFailure>();
	const tools: Tool[] = ['limit', ...context.contenders.map(contender => contender.tool)];
	for (const runs of [...counts].sort((first, second) => first - second)) {
		const tasks = tasksNow();
		if (tasks + runs + pidsToSpare > limits.pidMax || tasks + runs + pidsToSpare > limits.threadsMax) {
			for (const tool of tools) {
				results.failures.push({tool, runs, reason: `${runs} runs + ${tasks} tasks already running leave fewer than ${pidsToSpare} of pid_max ${limits.pidMax}`});
			}

			continue;
		}

		const processes = Number(limits.userProcesses);
		if (!limits.isRoot && processes < runs + pidsToSpare) {
			for (const tool of tools) {
				results.failures.push({tool, runs, reason: `ulimit -u ${processes} allows fewer than ${runs} runs + ${pidsToSpare} processes for this user`});
			}

			continue;
		}

		const options = {programs: context.programs, timeoutSeconds, openFiles: openFilesFor(runs, limits), log: context.log};
		const wanted = tools.filter(tool => !failedAt.has(tool));
		const outcomes = await measureEach(context, `scale ${runs}`, async contender => measureSupervisor(contender, runs, options), {
			tools: wanted,
			measureLimit: async () => measureLimit(runs, options),
		});
		const measured = (tool: Tool) => outcomes.get(tool) !== undefined && !isMissing(outcomes.get(tool));
		if (measured('limit') && measured('fatc')) {
			const asFatc = await measureEach<ScalePoint>(context, `scale ${runs}, C program as fatc starts runs`, async () => {
				throw new Error('the C program only');
			}, {
				tools: ['limit'],
				measureLimit: async () => measureLimit(runs, options, true),
			});
			const outcome = asFatc.get('limit');
			if (outcome !== undefined && !isMissing(outcome)) {
				results.limitAsFatc.push(outcome);
			}
		}

		for (const tool of tools) {
			const outcome = outcomes.get(tool);
			const earlier = failedAt.get(tool);
			if (earlier !== undefined) {
				results.failures.push({tool, runs, reason: `not tried: failed at ${earlier.runs} runs`});
			} else if (isMissing(outcome)) {
				const failure = {tool, runs, reason: outcome.missing};
				results.failures.push(failure);
				failedAt.set(tool, failure);
			} else if (outcome !== undefined) {
				results.points.push(outcome);
			}
		}
	}

	const rows = scaleRows(results, context);
	context.notes.push(...scaleNotes(results));
	return {rows, results};
}

function valueFor(results: ScaleResults, tool: Tool, runs: number, pick: (point: ScalePoint) => number | undefined): Value | undefined {
	const point = results.points.find(candidate => candidate.tool === tool && candidate.runs === runs);
	if (point !== undefined) {
		return pick(point) ?? {missing: 'no samples'};
	}

	const failure = results.failures.find(candidate => candidate.tool === tool && candidate.runs === runs);
	return failure === undefined ? undefined : {missing: `${runs} runs: ${failure.reason}`};
}

function row(results: ScaleResults, context: WorkloadContext, runs: number, figure: string, pick: (point: ScalePoint) => number | undefined, peersToo = true): Row {
	const peers: Partial<Record<Peer, Value>> = {};
	if (peersToo) {
		for (const peer of ['limit', 'supervisord', 'pm2'] as const) {
			const unavailable = context.unavailable.find(entry => entry.tool === peer);
			const value = valueFor(results, peer, runs, pick) ?? (unavailable && {missing: unavailable.reason});
			if (value !== undefined) {
				peers[peer] = value;
			}
		}
	}

	return {
		workload: `7. scale, ${runs.toLocaleString('en-US')} runs`,
		figure,
		fatc: valueFor(results, 'fatc', runs, pick) ?? {missing: 'not measured'},
		peers,
		ratios: peersToo,
	};
}

function scaleRows(results: ScaleResults, context: WorkloadContext): Row[] {
	const rows: Row[] = [];
	for (const runs of results.counts) {
		const limit = results.points.find(point => point.tool === 'limit' && point.runs === runs);
		const starts = row(results, context, runs, 'time to start all (s)', point => point.startSeconds);
		const ends = row(results, context, runs, 'ends taken in, from the release (s)', point => point.endSeconds);
		const asFatc = results.limitAsFatc.find(point => point.runs === runs);
		const statusStarts = row(results, context, runs, 'fatc status during starts, max / p99 (ms)', point => point.statusStarts?.maximum, false);
		const statusEnds = row(results, context, runs, 'fatc status during ends, max / p99 (ms)', point => point.statusEnds?.maximum, false);
		const fatcPoint = results.points.find(point => point.tool === 'fatc' && point.runs === runs);
		const latency = (phase: 'statusStarts' | 'statusEnds') => fatcPoint?.[phase];
		const idleMaximum = (phase: 'idleStatusStarts' | 'idleStatusEnds') => fatcPoint?.[phase]?.maximum;
		const resident = row(results, context, runs, 'RSS peak of the tool (MB)', point => point.residentPeakMegabytes);
		rows.push(
			{...starts, target: '≤ 1.5× the C program', ...(limit && judge(starts.fatc, 1.5 * limit.startSeconds, 'at most', 's'))},
			{...ends, target: '≤ the C program + 1 s', ...(limit && judge(ends.fatc, limit.endSeconds + 1, 'at most', 's'))},
			...(asFatc === undefined ? [] : [
				{
					...starts,
					figure: 'time to start all, beside the C program starting each run as fatc does: a session and an output pipe (s)',
					peers: {limit: asFatc.startSeconds},
					target: '≤ 1.5× that C program',
					...judge(starts.fatc, 1.5 * asFatc.startSeconds, 'at most', 's'),
				},
				{
					...ends,
					figure: 'ends taken in, beside the C program starting each run as fatc does (s)',
					peers: {limit: asFatc.endSeconds},
					target: '≤ that C program + 1 s',
					...judge(ends.fatc, asFatc.endSeconds + 1, 'at most', 's'),
				},
			]),
			statusRow(statusStarts, 'starts', latency('statusStarts'), idleMaximum('idleStatusStarts')),
			row(results, context, runs, 'an idle fatc beside it: status during starts, max (ms)', point => point.idleStatusStarts?.maximum, false),
			statusRow(statusEnds, 'ends', latency('statusEnds'), idleMaximum('idleStatusEnds')),
			row(results, context, runs, 'an idle fatc beside it: status during ends, max (ms)', point => point.idleStatusEnds?.maximum, false),
			{
				...row(results, context, runs, 'a program beside the runs (a session sleeping 10 ms at a time): worst wake-up delay while they end (ms)', point => point.neighbourLateEnds),
				ratios: false,
				...(asFatc?.neighbourLateEnds === undefined ? {} : {peers: {limit: asFatc.neighbourLateEnds}, figure: 'a program beside the runs (a session sleeping 10 ms at a time): worst wake-up delay while they end (ms); C: as fatc starts them'}),
			},
			{...row(results, context, runs, 'the benchmark\'s own event loop (where the status probes run): longest delay while they end (ms)', point => point.benchLoopDelayEnds), ratios: false},
			{...resident, target: '≤ 400 MB', ...judge(resident.fatc, 400, 'at most', 'MB')},
			row(results, context, runs, 'CPU of the tool while starting (s)', point => point.cpuStartSeconds),
			row(results, context, runs, 'CPU of the tool taking in the ends (s)', point => point.cpuEndSeconds),
			{
				...row(results, context, runs, 'ends recorded (of N)', point => point.endsRecorded),
				ratios: false,
				target: `= ${runs.toLocaleString('en-US')}, nothing lost`,
				met: results.points.some(point => point.tool === 'fatc' && point.runs === runs) ? results.points.some(point => point.tool === 'fatc' && point.runs === runs && point.lost === undefined) : undefined,
			},
		);
	}

	for (const [phase, pick] of [['starts', (point: ScalePoint) => point.startSeconds], ['ends', (point: ScalePoint) => point.endSeconds]] as const) {
		const exponent = (tool: Tool): Value => {
			const points = results.points.filter(point => point.tool === tool).map(point => ({runs: point.runs, seconds: pick(point)}));
			return growthExponent(points) ?? {missing: 'fewer than two N measured'};
		};

		const fatc = exponent('fatc');
		const measured = results.points.filter(point => point.tool === 'fatc').map(point => point.runs);
		const range = measured.length > 1 ? ` from ${Math.min(...measured)} to ${Math.max(...measured)} runs` : '';
		rows.push({
			workload: '7. scale, growth',
			figure: `k of time ~ N^k, ${phase}${range}`,
			fatc,
			peers: {limit: exponent('limit'), ...(context.contenders.some(contender => contender.tool === 'supervisord') ? {supervisord: exponent('supervisord')} : {}), ...(context.contenders.some(contender => contender.tool === 'pm2') ? {pm2: exponent('pm2')} : {})},
			ratios: false,
			target: '≤ 1.1',
			...judge(fatc, 1.1, 'at most', ''),
		});
	}

	return rows;
}

/**
 * fatc's status answers in one burst: within 250 ms; where even an idle fatc beside it took longer than 250 ms at the
 * same moments, within 250 ms of that. With N runs each in a session of its own, a kernel with autogroup scheduling
 * gives each session an equal share of the CPU: while thousands are runnable at once no process is scheduled for a
 * while, the benchmark's own included, and that wait is the machine's, not fatc's. Below 250 ms the idle fatc's time
 * is not added: the allowance is for a machine that stalls everything, not a second margin.
 */
function statusRow(status: Row, phase: string, latency: {p99?: number; maximumSince?: number} | undefined, idle: number | undefined): Row {
	const allowed = 250 + (isNumber(idle) && idle > 250 ? idle : 0);
	const since = isNumber(latency?.maximumSince) ? `, asked ${latency.maximumSince.toFixed(1)} s after ${phase === 'starts' ? 'fatc listened' : 'the release'}` : '';
	return {
		...status,
		figure: `fatc status during ${phase}, max (p99 ${formatOptional(latency?.p99)}${since}) (ms)`,
		target: '≤ 250 ms (the idle fatc + 250 ms where it took over 250)',
		...judge(status.fatc, allowed, 'at most', 'ms'),
	};
}

function formatOptional(value: number | undefined): string {
	return isNumber(value) ? value.toFixed(0) : 'n/a';
}

function scaleNotes(results: ScaleResults): string[] {
	const limits = results.points.map(point => `${point.tool} at ${point.runs} ${point.openFiles}`);
	const lost = results.points.filter(point => point.lost !== undefined).map(point => `${point.tool} at ${point.runs}: ${point.lost}`);
	return [
		'Scale: N runs of bench/await-release.c (one independent job, `instances: N`; supervisord numprocs, PM2 instances in '
		+ 'fork mode; bench/spawn-all.c posix_spawns them) each mark their start in a file and block reading one FIFO the '
		+ 'benchmark holds; closing it ends every run at once with exit 0. Start: from the tool\'s launch to the last start mark. '
		+ 'Ends: from the release to the last end the tool recorded, by its own time stamp (fatc\'s run-ended events, '
		+ 'supervisord\'s "exited:" log lines, PM2\'s "exited with code" lines with ms), or spawn-all\'s last waitpid. '
		+ 'fatc status: the question `fatc status` sends (connect, hello, snapshot) straight to the control socket every '
		+ '200 ms after the last answer (and once at the release), without the CLI\'s node start; fatc\'s counters checked after the ends. '
		+ 'The same question goes at the same moments to a second fatc with one sleeping run, started beside it: its answer '
		+ 'time is what waiting for the CPU costs any process then (each run is a session of its own, and with autogroup '
		+ 'scheduling each session gets an equal share of the CPU). '
		+ `Each phase is given ${results.timeoutSeconds} s per tool; a tool that fails is not tried at larger N. `
		+ 'CPU and RSS: the tool\'s own processes (fatc, supervisord, PM2\'s daemon; spawn-all\'s getrusage), not the runs.',
		`Scale limits: ${describeLimits(results.limits)}. Open files (soft/hard) each tool ran with: ${limits.join(', ') || 'none measured'}.`,
		...(lost.length > 0 ? [`Scale, lost: ${lost.join('; ')}.`] : []),
	];
}
