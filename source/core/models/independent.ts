import {errorDelay, freeSlots, type JobState} from '../job-state.js';
import type {Plan, SteeringResult, ThreadModel} from './thread-model.js';

/**
 * independent: each slot loops on its own; `more` restarts it at once, `done` after sleep, `error` after sleepOnError.
 * A slot that waits rests in the run table, which wakes it when its time comes: an event costs O(log n), not a pass
 * over every slot.
 */
export const independentModel: ThreadModel = {
	reset(state) {
		state.runs.wake();
		return state;
	},

	afterResult(state, slot, result: SteeringResult, now) {
		const {definition} = state;
		const delay = result === 'more' ? 0 : (result === 'done' ? definition.sleep : errorDelay(state));
		if (delay > 0) {
			state.runs.rest(slot, now + delay, result === 'done');
		}

		return state;
	},

	wake(state) {
		state.runs.wakeSleeping();
		return state;
	},

	plan(state: JobState, now: number): Plan {
		const wakeAt = state.runs.wake(now);
		return {state, start: freeSlots(state, state.definition.instances), stop: [], wakeAt};
	},
};
