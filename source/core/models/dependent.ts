import {freeSlots, type JobState} from '../job-state.js';
import type {Plan, SteeringResult, ThreadModel} from './thread-model.js';

/**
 * dependent: adaptive fan-out. `more` lets one more slot run (up to instances); `done` and `error` drop the
 * fan-out to 1 and hold new starts for `sleep` / `sleepOnError`. Runs under way are never killed by a drop.
 * `more` also lifts a hold: the newest result says there is work, so its slot restarts at once (SPEC §1).
 */
export const dependentModel: ThreadModel = {
	reset(state) {
		return {...state, allowed: 1, holdUntil: 0};
	},

	afterResult(state, _slot, result: SteeringResult, now) {
		const {definition} = state;
		switch (result) {
			case 'more': {
				return {...state, allowed: Math.min(state.allowed + 1, definition.instances), holdUntil: 0};
			}

			case 'done': {
				return {...state, allowed: 1, holdUntil: now + definition.sleep};
			}

			case 'error': {
				return {...state, allowed: 1, holdUntil: now + definition.sleepOnError};
			}
		}
	},

	plan(state: JobState, now: number): Plan {
		if (now < state.holdUntil) {
			return {state, start: [], stop: [], wakeAt: state.holdUntil};
		}

		const limit = Math.min(state.allowed, state.definition.instances);
		return {state, start: freeSlots(state, limit), stop: []};
	},
};
