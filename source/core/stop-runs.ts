import type {Effect} from './job-event.js';
import type {JobState, RunRecord, StopReason} from './job-state.js';

/** A state and what the shell must do for it: what every pure rule returns. */
export type Reduction = {state: JobState; effects: Effect[]};

/** Asks every matching run not already stopping to stop, with the job's stopSignal and stopTimeout. */
export function stopRuns(state: JobState, matches: (run: RunRecord) => boolean, reason: StopReason): Reduction {
	// Asked after many events; copying thousands of runs to change none is what made a burst of ends slow.
	if (!state.runs.some(run => run.stopReason === undefined && matches(run))) {
		return {state, effects: []};
	}

	const effects: Effect[] = [];
	const {stopSignal, stopTimeout} = state.definition;
	const runs = state.runs.map(run => {
		if (run.stopReason !== undefined || !matches(run)) {
			return run;
		}

		effects.push(
			notify({type: 'run-stopping', runId: run.runId, slot: run.slot, pid: run.pid, reason}),
			{type: 'stop', runId: run.runId, signal: stopSignal, timeout: stopTimeout},
		);
		return {...run, stopReason: reason};
	});
	return {state: effects.length > 0 ? {...state, runs} : state, effects};
}

export function notify(notice: Extract<Effect, {type: 'notify'}>['notice']): Effect {
	return {type: 'notify', notice};
}
