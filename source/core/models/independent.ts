import {errorDelay, freeSlots, type JobState} from '../job-state.js';
import type {Plan, SteeringResult, ThreadModel} from './thread-model.js';

/** independent: each slot loops on its own; `more` restarts it at once, `done` after sleep, `error` after sleepOnError. */
export const independentModel: ThreadModel = {
	reset(state) {
		return {...state, slotWakeAt: []};
	},

	afterResult(state, slot, result: SteeringResult, now) {
		const {definition} = state;
		const delay = result === 'more' ? 0 : (result === 'done' ? definition.sleep : errorDelay(state));
		const slotWakeAt = [...state.slotWakeAt];
		slotWakeAt[slot] = now + delay;
		return {...state, slotWakeAt};
	},

	plan(state: JobState, now: number): Plan {
		const start: number[] = [];
		let wakeAt: number | undefined;
		for (const slot of freeSlots(state, state.definition.instances)) {
			const due = state.slotWakeAt[slot] ?? 0;
			if (now >= due) {
				start.push(slot);
			} else {
				wakeAt = Math.min(wakeAt ?? due, due);
			}
		}

		return {state, start, stop: [], wakeAt};
	},
};
