import type {JobSnapshot} from '../core/snapshot.js';
import {conditionWord} from '../reporters/describe-condition.js';
import type {Column} from './columns.js';
import {formatDuration} from './format-cells.js';
import {runsTotal} from './runs-page.js';
import {sparkline} from './sparkline.js';

/** SIGTERM → TERM: the cell is narrow. */
function shortSignal(signal: string | null): string | null {
	return signal?.replace(/^SIG/, '') ?? null;
}

/** "more 64", "err 1", "stop TERM": how the last run ended. */
export function formatLastExit(job: JobSnapshot): string {
	const exit = job.lastExit;
	if (!exit) {
		return '-';
	}

	const word = {done: 'done', more: 'more', error: 'err', stopped: 'stop'}[exit.result];
	const how = exit.code ?? shortSignal(exit.signal);
	return how === null ? word : `${word} ${how}`;
}

/**
 * Time until the next start (a sleep, the hold after an error — marked "!" — or the fixed interval), counted from
 * the snapshot's own time so that rendering never reads the clock. Blank while paused, '-' when nothing is due.
 */
export function formatNextStart(job: JobSnapshot, takenAt: number): string {
	if (job.paused) {
		return '';
	}

	if (job.nextStartAt === null) {
		return '-';
	}

	const countdown = formatDuration(Math.max(0, job.nextStartAt - takenAt));
	return job.lastExit?.result === 'error' ? `${countdown}!` : countdown;
}

function duration(milliseconds: number | null): string {
	return milliseconds === null ? '-' : formatDuration(milliseconds);
}

const conditionColors = {paused: 'yellow', off: 'gray', held: 'magenta', quiet: 'blue', 'redis?': 'red', lease: 'cyan', '': undefined} as const;

/** The backlog a probe counted: '?' while it fails, '-' until it answered. */
function backlogCell(job: JobSnapshot): string {
	if (!job.backlog) {
		return '';
	}

	return job.backlog.failed ? '?' : String(job.backlog.count ?? '-');
}

/**
 * The jobs table, one row per job; at 80 columns DURATIONS, MODEL and LAST give way to the job's name. STATE says what keeps a
 * job from starting runs (paused, held, quiet); WAIT, the backlog its probe counts, is there when a job has one;
 * DURATIONS is a sparkline of the last runs' durations (the first to go when the terminal is narrow).
 */
export function jobColumns(takenAt: number, options: {withBacklog?: boolean; unicode?: boolean} = {}): Array<Column<JobSnapshot>> {
	const {withBacklog = false, unicode = true} = options;
	const wait: Array<Column<JobSnapshot>> = withBacklog
		? [{title: 'WAIT', width: 5, align: 'right', dropOrder: 4, cell: backlogCell, color: job => (job.backlog?.failed ? 'red' : undefined)}]
		: [];
	return [
		// A wide terminal gives the name what it needs, not everything the other columns leave (a name past 40 is cut).
		{title: 'JOB', width: 'flex', minimum: 12, maximum: 40, cell: job => job.name, color: job => (job.paused ? 'yellow' : undefined)},
		{title: 'MODEL', width: 11, dropOrder: 1, cell: job => job.model},
		{title: 'R/A/I', width: 8, cell: job => `${runsTotal(job)}/${job.allowed}/${job.instances}`},
		...wait,
		{title: 'STATE', width: 6, cell: conditionWord, color: job => conditionColors[conditionWord(job)]},
		{title: 'RUNS', width: 5, align: 'right', cell: job => String(job.runs)},
		{title: 'DONE', width: 5, align: 'right', cell: job => String(job.done)},
		{title: 'MORE', width: 5, align: 'right', cell: job => String(job.more)},
		{title: 'ERR', width: 4, align: 'right', cell: job => String(job.errors), color: job => (job.errors > 0 ? 'red' : undefined)},
		{title: 'EXIT', width: 9, cell: formatLastExit, color: job => (job.lastExit?.result === 'error' ? 'red' : undefined)},
		{title: 'NEXT', width: 7, align: 'right', cell: job => formatNextStart(job, takenAt), color: job => (job.lastExit?.result === 'error' ? 'red' : undefined)},
		{title: 'AVG', width: 6, align: 'right', dropOrder: 3, cell: job => duration(job.averageDuration)},
		{title: 'LAST', width: 6, align: 'right', dropOrder: 2, cell: job => duration(job.lastDuration)},
		{title: 'DURATIONS', width: 12, dropOrder: 0, cell: job => sparkline(job.recentDurations, 12, unicode), color: () => 'cyan'},
	];
}
