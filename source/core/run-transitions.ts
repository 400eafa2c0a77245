import type {JobEvent} from './job-event.js';
import type {RunRecord, RunState} from './run-record.js';

/** What may follow what; a run that ends leaves the table from any state. */
const next: Record<RunState, readonly RunState[]> = {
	starting: ['running', 'stopping'],
	running: ['stopping'],
	stopping: [],
};

/** Why an event about a run cannot apply to it, or undefined when it can (supervisord refuses what it does not know too). */
export function refusal(run: RunRecord | undefined, event: Extract<JobEvent, {runId: number}>): string | undefined {
	if (run === undefined) {
		return `${event.type} for run ${event.runId}, which the job does not have`;
	}

	if (event.type === 'spawned' && run.pid !== undefined) {
		return `spawned for run ${event.runId}, which already has pid ${run.pid}`;
	}

	return undefined;
}

/** Moves a run to `to`; throws for a move the table above does not allow (a bug in the rules, never input). */
export function moveRun(run: RunRecord, to: RunState): void {
	if (!next[run.state].includes(to)) {
		throw new Error(`run ${run.runId}: no transition from ${run.state} to ${to}`);
	}

	run.state = to;
}
