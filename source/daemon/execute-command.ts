import type {HistoryQuery, SupervisorHandle} from '../core/supervisor-handle.js';
import type {Request} from './protocol.js';
import {firstRunsOfEachJob} from './runs-view.js';

/** Runs one socket command against the handle, checking its arguments; throws with a message for the client. */
export async function executeCommand(handle: SupervisorHandle, request: Request): Promise<unknown> {
	const args = request.args ?? [];
	switch (request.command) {
		case 'snapshot': {
			// `{runsPerJob}`: each job's first runs only (what `fatc status` prints); without it, every run (`--json`).
			const runsPerJob = args[0] === undefined ? undefined : snapshotOptions(args[0]).runsPerJob;
			return runsPerJob === undefined ? handle.snapshot() : firstRunsOfEachJob(handle, runsPerJob);
		}

		case 'scale': {
			handle.scale(text(args[0], 'job'), integer(args[1], 'instances'));
			return null;
		}

		case 'scale-by': {
			const by = args[1];
			if (typeof by !== 'number' || !Number.isInteger(by)) {
				throw new TypeError('by: expected an integer');
			}

			handle.scaleBy(text(args[0], 'job'), by);
			return null;
		}

		case 'pause':
		case 'resume':
		case 'restart':
		case 'trigger': {
			handle[request.command](text(args[0], 'job'));
			return null;
		}

		case 'stop-run': {
			handle.stopRun(text(args[0], 'job'), integer(args[1], 'run'));
			return null;
		}

		case 'reload': {
			return handle.reload();
		}

		case 'log-tail': {
			return handle.logTail(text(args[0], 'job'), Math.min(integer(args[1], 'lines'), 10_000));
		}

		case 'history': {
			return handle.history(historyQuery(args[0]));
		}

		case 'shutdown': {
			await handle.shutdown();
			return null;
		}

		case 'kill': {
			handle.kill();
			return null;
		}

		default: {
			throw new Error(`unknown command "${String(request.command).slice(0, 40)}"`);
		}
	}
}

function snapshotOptions(value: unknown): {runsPerJob?: number} {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new TypeError('snapshot: expected {runsPerJob}');
	}

	const {runsPerJob} = value as Record<string, unknown>;
	return runsPerJob === undefined ? {} : {runsPerJob: integer(runsPerJob, 'runsPerJob')};
}

function text(value: unknown, name: string): string {
	if (typeof value !== 'string' || value === '') {
		throw new TypeError(`${name}: expected a name`);
	}

	return value;
}

function integer(value: unknown, name: string): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new TypeError(`${name}: expected an integer of 0 or more`);
	}

	return value;
}

/** `{job?, since?, limit?}`: a job name, a time in ms since the epoch, at most 10,000 entries. */
function historyQuery(value: unknown): HistoryQuery {
	if (value === undefined) {
		return {limit: 10_000};
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new TypeError('history: expected {job?, since?, limit?}');
	}

	const {job, since, limit} = value as Record<string, unknown>;
	const query: HistoryQuery = {limit: limit === undefined ? 10_000 : Math.min(integer(limit, 'limit'), 10_000)};
	if (job !== undefined) {
		query.job = text(job, 'job');
	}

	if (since !== undefined) {
		query.since = integer(since, 'since');
	}

	return query;
}
