import type {JobSnapshot, Snapshot, WorkerSnapshot} from '../core/snapshot.js';
import {runsPage, runsTotal, type RunsPage} from './runs-page.js';
import type {UiState} from './ui-state.js';

export type Selection = {
	jobIndex: number;
	job: JobSnapshot | undefined;
	/** The selected job's runs the snapshot holds: all, or the page around the selected run. */
	runs: RunsPage;
	/** Position of the selected run among all the job's runs (it may lie outside `runs` until its page arrives). */
	runIndex: number;
	run: WorkerSnapshot | undefined;
};

/** The selected job and run in this snapshot: by name and run id, falling back to the first job and the same position. */
export function resolveSelection(snapshot: Snapshot, ui: UiState): Selection {
	const found = snapshot.jobs.findIndex(job => job.name === ui.selectedJob);
	const jobIndex = found === -1 ? 0 : found;
	const job = snapshot.jobs[jobIndex];
	const runs = runsPage(job);
	const byId = ui.selectedRun.runId === undefined ? -1 : runs.workers.findIndex(worker => worker.runId === ui.selectedRun.runId);
	const runIndex = byId === -1 ? Math.min(ui.selectedRun.index, Math.max(0, runs.total - 1)) : runs.offset + byId;
	return {jobIndex, job, runs, runIndex, run: runs.workers[runIndex - runs.offset]};
}

/** How many runs are under way in every job (stopping ones included: they still hold a slot). */
export function runsUnderWay(snapshot: Snapshot): number {
	return snapshot.jobs.reduce((sum, job) => sum + runsTotal(job), 0);
}
