import type {JobSnapshot, Snapshot, WorkerSnapshot} from '../core/snapshot.js';
import type {UiState} from './ui-state.js';

export type Selection = {
	jobIndex: number;
	job: JobSnapshot | undefined;
	runIndex: number;
	run: WorkerSnapshot | undefined;
};

/** The selected job and run in this snapshot: by name and run id, falling back to the first job and the same position. */
export function resolveSelection(snapshot: Snapshot, ui: UiState): Selection {
	const found = snapshot.jobs.findIndex(job => job.name === ui.selectedJob);
	const jobIndex = found === -1 ? 0 : found;
	const job = snapshot.jobs[jobIndex];
	const workers = job?.workers ?? [];
	const byId = ui.selectedRun.runId === undefined ? -1 : workers.findIndex(worker => worker.runId === ui.selectedRun.runId);
	const runIndex = byId === -1 ? Math.min(ui.selectedRun.index, Math.max(0, workers.length - 1)) : byId;
	return {jobIndex, job, runIndex, run: workers[runIndex]};
}

/** How many runs are under way in every job (stopping ones included: they still hold a slot). */
export function runsUnderWay(snapshot: Snapshot): number {
	return snapshot.jobs.reduce((sum, job) => sum + job.workers.length, 0);
}
