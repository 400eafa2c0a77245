import type {Effect} from './job-event.js';
import type {JobState} from './job-state.js';
import {stopRun} from './stop-runs.js';

/**
 * `warnAfter` and `timeout` (SPEC §1, every model): one warning past warnAfter; a stop past timeout, which
 * later reads as `error`. Returns the state, the effects, and the next deadline still ahead. Both limits are the same
 * for every run of the job, so deadlines come in start order: only the oldest runs not yet past each one are looked
 * at, and an event costs O(1) amortised however many runs there are.
 */
export function checkRunLimits(state: JobState, now: number): {state: JobState; effects: Effect[]; wakeAt?: number} {
	const {warnAfter, timeout, stopSignal, stopTimeout} = state.definition;
	const effects: Effect[] = [];
	let wakeAt: number | undefined;
	const later = (time: number) => {
		wakeAt = Math.min(wakeAt ?? time, time);
	};

	while (timeout > 0) {
		const run = state.runs.oldest('timeout', candidate => candidate.stopReason !== undefined);
		if (run === undefined) {
			break;
		}

		if (run.startedAt + timeout > now) {
			later(run.startedAt + timeout);
			break;
		}

		stopRun(run, 'timeout');
		effects.push(
			{type: 'notify', notice: {type: 'run-stopping', runId: run.runId, slot: run.slot, pid: run.pid, reason: 'timeout'}},
			{type: 'stop', runId: run.runId, signal: stopSignal, timeout: stopTimeout},
		);
	}

	while (warnAfter > 0) {
		const run = state.runs.oldest('warn', candidate => candidate.warned || candidate.stopReason !== undefined);
		if (run === undefined) {
			break;
		}

		if (run.startedAt + warnAfter > now) {
			later(run.startedAt + warnAfter);
			break;
		}

		run.warned = true;
		effects.push({type: 'notify', notice: {type: 'run-warning', runId: run.runId, slot: run.slot, pid: run.pid, runTime: now - run.startedAt}});
	}

	return {state, effects, wakeAt};
}
