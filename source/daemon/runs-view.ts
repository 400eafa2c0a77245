import type {Snapshot} from '../core/snapshot.js';
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

/** The snapshot with only the view's runs, and each job's count of runs beside them. */
export function pageSnapshot(snapshot: Snapshot, view: RunsView): PagedSnapshot {
	const shown = view.job ?? snapshot.jobs[0]?.name;
	return {
		...snapshot,
		jobs: snapshot.jobs.map(job => {
			const offset = job.name === shown ? Math.min(view.offset, job.workers.length) : 0;
			const workers = job.name === shown ? job.workers.slice(offset, offset + view.limit) : [];
			return {...job, workers, runsTotal: job.workers.length, workersOffset: offset};
		}),
	};
}

/** Each job with only its first `limit` runs in slot order (`fatc status`); `runsTotal` still counts them all. */
export function firstRunsOfEachJob(snapshot: Snapshot, limit: number): Snapshot {
	return {
		...snapshot,
		jobs: snapshot.jobs.map(job => (job.workers.length <= limit ? job : {...job, workers: job.workers.slice(0, limit), workersOffset: 0})),
	};
}

function describe(value: unknown): string {
	return JSON.stringify(value)?.slice(0, 40) ?? String(value);
}
