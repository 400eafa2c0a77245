import type {JobState} from '../job-state.js';

/** A run's result that steers its job (`stopped` never reaches a model). */
export type SteeringResult = 'done' | 'more' | 'error';

/** What a model decides at one moment: slots to start, runs to stop, and when to look again. */
export type Plan = {
	state: JobState;
	start: number[];
	/** Run ids to stop (fixed model: a start is due and no slot is free). */
	stop: number[];
	wakeAt?: number;
};

/** The rules of one thread model (SPEC §1). Pure: no clock, no I/O. */
export type ThreadModel = {
	/** State as at the job's start, and after resume and restart. */
	reset(state: JobState, now: number): JobState;
	/** A run in `slot` ended with a result that steers. */
	afterResult(state: JobState, slot: number, result: SteeringResult, now: number): JobState;
	/** There is new work (a wake file, a backlog that turned positive): a sleep after `done` ends now; an error back-off does not. */
	wake(state: JobState, now: number): JobState;
	/** Called while the job is running (not paused, not stopping). */
	plan(state: JobState, now: number): Plan;
};
