import type {Effect} from './job-event.js';
import type {JobState, RunRecord, StopReason} from './job-state.js';
import {moveRun} from './run-transitions.js';

/** A state and what the shell must do for it: what every pure rule returns. */
export type Reduction = {state: JobState; effects: Effect[]};

/** Asks every matching run not already stopping to stop, with the job's stopSignal and stopTimeout. O(runs). */
export function stopRuns(state: JobState, matches: (run: RunRecord) => boolean, reason: StopReason): Reduction {
	return stopEach(state, state.runs.filter(run => matches(run)), reason);
}

/** The same for runs named by id: O(ids), whatever the number of runs. */
export function stopRunIds(state: JobState, runIds: readonly number[], reason: StopReason): Reduction {
	return stopEach(state, runIds.flatMap(runId => state.runs.get(runId) ?? []), reason);
}

function stopEach(state: JobState, runs: readonly RunRecord[], reason: StopReason): Reduction {
	const effects: Effect[] = [];
	const {stopSignal, stopTimeout} = state.definition;
	for (const run of runs) {
		if (run.stopReason !== undefined) {
			continue;
		}

		stopRun(run, reason);
		effects.push(
			notify({type: 'run-stopping', runId: run.runId, slot: run.slot, pid: run.pid, reason}),
			{type: 'stop', runId: run.runId, signal: stopSignal, timeout: stopTimeout},
		);
	}

	return {state, effects};
}

/** Marks a run as asked to stop (the run table is updated in place). */
export function stopRun(run: RunRecord, reason: StopReason): void {
	moveRun(run, 'stopping');
	run.stopReason = reason;
}

export function notify(notice: Extract<Effect, {type: 'notify'}>['notice']): Effect {
	return {type: 'notify', notice};
}
