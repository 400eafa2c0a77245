import type {JobSnapshot, Snapshot} from '../core/snapshot.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {maximumRunsLimit, type PagedSnapshot, type RunsView} from './protocol.js';

/** A client's view as sent; throws with what was expected and what arrived. */
export function parseRunsView(value: unknown): RunsView {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new TypeError(`view: expected an object {job, offset, limit}, got ${describe(value)}`);
	}

	const {job, offset, limit, events} = value as Record<string, unknown>;
	if (job !== null && (typeof job !== 'string' || job === '')) {
		throw new TypeError(`view.job: expected a job name or null, got ${describe(job)}`);
	}

	if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
		throw new TypeError(`view.offset: expected an integer of 0 or more, got ${describe(offset)}`);
	}

	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > maximumRunsLimit) {
		throw new TypeError(`view.limit: expected an integer from 1 to ${maximumRunsLimit}, got ${describe(limit)}`);
	}

	if (events !== undefined && typeof events !== 'boolean') {
		throw new TypeError(`view.events: expected true or false, got ${describe(events)}`);
	}

	return events === false ? {job, offset, limit, events} : {job, offset, limit};
}

/** Views with the same key get the same bytes: one serialisation per tick serves them all (`events` changes none). */
export function viewKey(view: RunsView): string {
	return JSON.stringify([view.job, view.offset, view.limit]);
}

/**
 * A snapshot of the view's runs and no others (each job's `runsTotal` counts them all): the core builds only those
 * (RunsWindow), and a handle that listed more is cut to the page here.
 */
export function pagedSnapshot(handle: SupervisorHandle, view: RunsView): PagedSnapshot {
	// With no job named, the first job's page: the core asks the window for its jobs in order.
	let first: string | undefined;
	const snapshot = handle.snapshot(job => {
		first ??= job;
		return job === (view.job ?? first) ? {offset: view.offset, limit: view.limit} : {offset: 0, limit: 0};
	});
	const shown = view.job ?? snapshot.jobs[0]?.name;
	return {...snapshot, jobs: snapshot.jobs.map(job => page(job, job.name === shown ? view.offset : 0, job.name === shown ? view.limit : 0))};
}

/**
 * Each job with only its first `limit` runs in slot order (`fatc status`); `runsTotal` still counts them all. No CPU
 * or memory figures: `fatc status` prints none, and reading them keeps the sampler scanning /proc for every status.
 */
export function firstRunsOfEachJob(handle: SupervisorHandle, limit: number): Snapshot {
	const snapshot = handle.snapshot(() => ({offset: 0, limit}), {usage: false});
	return {...snapshot, jobs: snapshot.jobs.map(job => page(job, 0, limit))};
}

/** `limit` runs from position `offset`, out of the runs the job lists from its `workersOffset` (all, or a window). */
function page(job: JobSnapshot, offset: number, limit: number): JobSnapshot {
	const start = Math.min(offset, job.runsTotal);
	const from = Math.max(0, start - job.workersOffset);
	return {...job, workers: job.workers.slice(from, from + limit), workersOffset: job.workersOffset + from};
}

function describe(value: unknown): string {
	return JSON.stringify(value)?.slice(0, 40) ?? String(value);
}
