import type {JobSnapshot, Snapshot} from '../core/snapshot.js';
import {conditionWord, describeConditions} from './describe-condition.js';
import {formatDuration} from './format-duration.js';

/** `fatc status`: the daemon, one line per job, one indented line per run listed, and a count of those not listed. */
export function formatStatus(snapshot: Snapshot): string {
	const now = snapshot.takenAt;
	const lines = [`fatc "${snapshot.name}" pid ${snapshot.pid}, up ${formatDuration(now - snapshot.startedAt)}, config ${snapshot.configFile ?? 'command line'}`];
	if (snapshot.configError) {
		lines.push(`config error (the running config stays): ${snapshot.configError}`);
	}

	const rows = [['JOB', 'MODEL', 'RUN/ALW/INS', 'STATE', 'RUNS', 'DONE', 'MORE', 'ERR', 'LAST', 'NEXT']];
	for (const job of snapshot.jobs) {
		rows.push([
			job.name,
			job.model,
			`${job.runsTotal}/${job.allowed}/${job.instances}`,
			conditionWord(job) || job.phase,
			String(job.runs),
			String(job.done),
			String(job.more),
			String(job.errors),
			lastExit(job),
			job.nextStartAt === null ? '-' : `in ${formatDuration(Math.max(0, job.nextStartAt - now))}`,
		]);
	}

	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	for (const [index, row] of rows.entries()) {
		lines.push(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
		const job = snapshot.jobs[index - 1];
		for (const condition of job ? describeConditions(job, now) : []) {
			lines.push(`  ${condition}`);
		}

		const figures = job ? describeStatistics(job) : undefined;
		if (figures !== undefined) {
			lines.push(`  ${figures}`);
		}

		for (const worker of job?.workers ?? []) {
			const last = worker.lastLine === null ? '' : `  ${JSON.stringify(worker.lastLine.slice(0, 60))}`;
			// Counted from the spawn, as run times are; a run whose process is not there yet is `starting`.
			const state = worker.pid === null ? 'starting' : worker.state;
			const took = worker.spawnedAt === null || worker.spawnedAt === undefined ? '-' : formatDuration(now - worker.spawnedAt);
			lines.push(`  slot ${worker.slot}  pid ${worker.pid ?? '-'}  run ${worker.runId}  ${state}  ${took}${last}`);
		}

		const unlisted = job === undefined ? 0 : job.runsTotal - job.workersOffset - job.workers.length;
		if (unlisted > 0) {
			lines.push(`  … and ${unlisted.toLocaleString('en-US')} more ${unlisted === 1 ? 'run' : 'runs'} ("fatc status --json" lists every run, the TUI pages through them)`);
		}
	}

	return `${lines.join('\n')}\n`;
}

/**
 * "last 15m: 42 runs (2.8/min), 40 done, 2 errors; took p50 1.2s, p95 3.4s, max 5.0s; held 2m 10s": the 15-minute
 * window (`--json` has all three), undefined when no run ended in it.
 */
export function describeStatistics(job: JobSnapshot): string | undefined {
	const window = job.statistics.find(figures => figures.window === '15m');
	if (!window || window.runs === 0) {
		return undefined;
	}

	const rate = window.perMinute < 10 ? window.perMinute.toFixed(1) : String(Math.round(window.perMinute));
	const results = ([['done', window.done], ['more', window.more], ['errors', window.errors], ['stopped', window.stopped]] as const)
		.filter(([, count]) => count > 0)
		.map(([name, count]) => `${count} ${name}`);
	const took = window.durationP50 === null ? '' : `; took p50 ${formatDuration(window.durationP50)}, p95 ${formatDuration(window.durationP95 ?? 0)}, max ${formatDuration(window.durationMax ?? 0)}`;
	const held = window.heldFor > 0 ? `; held ${formatDuration(window.heldFor)}` : '';
	return `last 15m: ${window.runs} ${window.runs === 1 ? 'run' : 'runs'} (${rate}/min), ${results.join(', ')}${took}${held}`;
}

function lastExit(job: JobSnapshot): string {
	if (!job.lastExit) {
		return '-';
	}

	// Neither a code nor a signal: the command never started (not found, not executable, a bad cwd).
	const {result, code, signal} = job.lastExit;
	return `${result} (${signal ?? code ?? 'not started'})`;
}
