import {errorDelay, freeSlots, type JobState} from '../job-state.js';
import {nextCronTime} from './cron-schedule.js';
import type {Plan, SteeringResult, ThreadModel} from './thread-model.js';

const never = Number.POSITIVE_INFINITY;

/**
 * `cluster.once`: ticks on the wall clock's multiples of `sleep` (a 1 s job at each whole second), so that every host
 * names the same tick (cluster-gate.ts claims it by that time).
 */
const aligned = (state: JobState) => state.definition.cluster?.once === true;
const nextMultiple = (interval: number, after: number) => (Math.floor(after / interval) + 1) * interval;

/**
 * fixed: a start every `sleep` counted from the previous start (or at each `schedule` time), in a free slot.
 * `more` counts as `done`; an `error` holds all new starts for `sleepOnError`. A due start with no free slot
 * waits (`fixedIntervalWait` −1), stops the oldest run at once (0), or waits N ms and then stops it.
 */
export const fixedModel: ThreadModel = {
	reset(state, now) {
		const {schedule} = state.definition;
		const first = aligned(state) ? nextMultiple(state.definition.sleep, now - 1) : now;
		return {...state, holdUntil: 0, nextDueAt: schedule ? nextCronTime(schedule, now) ?? never : first};
	},

	/**
	 * A fixed job runs on its clock: new work starts the due run now (unless an error pause holds), and the interval
	 * counts from it; not with `cluster.once`, whose ticks stay on the wall clock.
	 */
	wake(state, now) {
		return state.definition.schedule || aligned(state) ? state : {...state, nextDueAt: Math.min(state.nextDueAt, now)};
	},

	afterResult(state, _slot, result: SteeringResult, now) {
		if (result === 'error') {
			return {...state, holdUntil: now + errorDelay(state)};
		}

		return state;
	},

	plan(state: JobState, now: number): Plan {
		const {definition} = state;
		if (now < state.holdUntil) {
			return {state, start: [], stop: [], wakeAt: Math.max(state.holdUntil, state.nextDueAt)};
		}

		if (now < state.nextDueAt) {
			return {state, start: [], stop: [], wakeAt: finite(state.nextDueAt)};
		}

		const [slot] = freeSlots(state, definition.instances);
		if (slot !== undefined) {
			const interval = aligned(state) ? nextMultiple(definition.sleep, now) : now + definition.sleep;
			const nextDueAt = definition.schedule ? nextCronTime(definition.schedule, now) ?? never : interval;
			return {state: {...state, nextDueAt}, start: [slot], stop: [], wakeAt: finite(nextDueAt)};
		}

		return overdue(state, now);
	},
};

/** A start is due and every slot is taken: apply fixedIntervalWait. */
function overdue(state: JobState, now: number): Plan {
	const wait = state.definition.fixedIntervalWait;
	const alreadyStopping = state.runs.some(run => run.stopReason !== undefined);
	if (wait < 0 || alreadyStopping) {
		// Waits for a slot: the run's exit plans again.
		return {state, start: [], stop: []};
	}

	const stopAt = state.nextDueAt + wait;
	if (now < stopAt) {
		return {state, start: [], stop: [], wakeAt: stopAt};
	}

	const [oldest] = [...state.runs].sort((first, second) => first.startedAt - second.startedAt);
	return {state, start: [], stop: oldest ? [oldest.runId] : []};
}

function finite(time: number): number | undefined {
	return Number.isFinite(time) ? time : undefined;
}
