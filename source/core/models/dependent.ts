import {errorDelay, freeSlots, type JobState} from '../job-state.js';
import type {Plan, SteeringResult, ThreadModel} from './thread-model.js';

/**
 * dependent: adaptive fan-out. `more` lets one more slot run (up to instances); `done` and `error` drop the
 * fan-out to 1 and hold new starts for `sleep` / `sleepOnError`. Runs under way are never killed by a drop.
 * A `more` that arrives during a hold (from a run already under way at the drop) raises the fan-out for when the
 * hold ends but does not cut it short: the start condition "i < allowed and now ≥ holdUntil" always governs, so a
 * queue that one run found empty is not hammered by the others' late results.
 */
export const dependentModel: ThreadModel = {
	reset(state) {
		return {...state, allowed: 1, holdUntil: 0, sleeping: false};
	},

	wake(state) {
		return state.sleeping ? {...state, holdUntil: 0, sleeping: false} : state;
	},

	afterResult(state, _slot, result: SteeringResult, now) {
		const {definition} = state;
		switch (result) {
			case 'more': {
				return {...state, allowed: Math.min(state.allowed + 1, definition.instances)};
			}

			case 'done': {
				return {...state, allowed: 1, holdUntil: now + definition.sleep, sleeping: true};
			}

			case 'error': {
				return {...state, allowed: 1, holdUntil: now + errorDelay(state), sleeping: false};
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
