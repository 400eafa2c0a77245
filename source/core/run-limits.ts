import type {Effect} from './job-event.js';
import type {JobState} from './job-state.js';

/**
 * `warnAfter` and `timeout` (SPEC §1, every model): one warning past warnAfter; a stop past timeout, which
 * later reads as `error`. Returns the new state, the effects, and the next deadline still ahead.
 */
export function checkRunLimits(state: JobState, now: number): {state: JobState; effects: Effect[]; wakeAt?: number} {
	const {warnAfter, timeout, stopSignal, stopTimeout} = state.definition;
	// Checked after every event: without limits, not even a pass over the runs (thousands of them end at once).
	if (warnAfter <= 0 && timeout <= 0) {
		return {state, effects: []};
	}

	// Most events change no run: find that out, and the next deadline, without copying thousands of runs.
	let due = false;
	let nextDeadline = Number.POSITIVE_INFINITY;
	const deadline = (time: number) => {
		due ||= time <= now;
		nextDeadline = Math.min(nextDeadline, time);
	};

	for (const run of state.runs) {
		if (run.stopReason === undefined && timeout > 0) {
			deadline(run.startedAt + timeout);
		}

		if (run.stopReason === undefined && warnAfter > 0 && !run.warned) {
			deadline(run.startedAt + warnAfter);
		}
	}

	if (!due) {
		return {state, effects: [], wakeAt: Number.isFinite(nextDeadline) ? nextDeadline : undefined};
	}

	const effects: Effect[] = [];
	let wakeAt: number | undefined;
	const later = (time: number) => {
		wakeAt = Math.min(wakeAt ?? time, time);
	};

	const runs = state.runs.map(run => {
		if (run.stopReason !== undefined) {
			return run;
		}

		const runTime = now - run.startedAt;
		if (timeout > 0 && runTime >= timeout) {
			effects.push(
				{type: 'notify', notice: {type: 'run-stopping', runId: run.runId, slot: run.slot, pid: run.pid, reason: 'timeout'}},
				{type: 'stop', runId: run.runId, signal: stopSignal, timeout: stopTimeout},
			);
			return {...run, stopReason: 'timeout' as const};
		}

		if (timeout > 0) {
			later(run.startedAt + timeout);
		}

		if (warnAfter > 0 && !run.warned) {
			if (runTime >= warnAfter) {
				effects.push({type: 'notify', notice: {type: 'run-warning', runId: run.runId, slot: run.slot, pid: run.pid, runTime}});
				return {...run, warned: true};
			}

			later(run.startedAt + warnAfter);
		}

		return run;
	});

	return {state: effects.length > 0 ? {...state, runs} : state, effects, wakeAt};
}
