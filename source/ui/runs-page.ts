import type {JobSnapshot, WorkerSnapshot} from '../core/snapshot.js';

/**
 * A job's runs as the snapshot holds them: all of them (a handle on the core itself), or the page the TUI asked for —
 * the daemon sends an attached TUI only the runs it shows, with their count and where the page starts.
 */
export type RunsPage = {
	workers: readonly WorkerSnapshot[];
	/** Position of `workers[0]` among all the job's runs (slot order). */
	offset: number;
	/** All the job's runs under way, shown or not. */
	total: number;
};

export function runsPage(job: JobSnapshot | undefined): RunsPage {
	const workers = job?.workers ?? [];
	return {workers, offset: job?.workersOffset ?? 0, total: job?.runsTotal ?? workers.length};
}

/** Runs under way in the job (stopping ones included: they still hold a slot), whether or not the snapshot holds them. */
export function runsTotal(job: JobSnapshot): number {
	return job.runsTotal;
}

/** Which of a job's runs the runs table needs: `limit` of them from position `offset` (slot order). */
export type RunsWindow = {job: string; offset: number; limit: number};

/**
 * The runs to ask for while `selected` is the selected run and the table shows `rows` of them: the screen the
 * selection is on with a screen either side, aligned to screens so that moving within it asks for nothing new.
 * Whatever the table scrolled to, the rows it shows are inside (they lie within `rows` of the selection).
 */
export function windowAround(job: string, selected: number, rows: number): RunsWindow {
	const screen = Math.max(1, rows);
	const offset = Math.max(0, (Math.floor(Math.max(0, selected) / screen) - 1) * screen);
	return {job, offset, limit: 3 * screen};
}
