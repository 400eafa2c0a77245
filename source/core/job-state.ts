import type {ClusterLease} from './cluster-port.js';
import type {JobDefinition, RunResult} from './job-definition.js';
import {RunTable} from './run-table.js';
import {createWorldState, type WorldState} from './world-state.js';

export type {RunRecord, RunState, StopReason} from './run-record.js';

export type LastExit = {
	result: RunResult;
	code: number | null;
	signal: string | null;
	at: number;
};

/** `running`: starts runs; `paused`: starts none (but a trigger); `stopping`: shutting down, starts nothing ever again. */
export type JobPhase = 'running' | 'paused' | 'stopping';

/**
 * Everything the pure rules know about one job. Plain data, but for its run table, which the reducer updates in place
 * (run-table.ts): keep only the newest state.
 */
export type JobState = {
	definition: JobDefinition;
	phase: JobPhase;
	/** dependent: how many slots may run now (starts at 1). */
	allowed: number;
	/** dependent: no start before this; fixed: the pause after an error. */
	holdUntil: number;
	/** dependent: holdUntil is a sleep after `done` (new work may cut it short), not an error back-off. */
	sleeping: boolean;
	/** The load, the probes, the backlog, quiet hours, wakes (world-state.ts). */
	world: WorldState;
	/** Most runs new starts may fill up to, below `instances` (quiet hours, a backlog): set for each scheduling pass. */
	capacity?: number;
	/** fixed: when the next start is due. */
	nextDueAt: number;
	runs: RunTable;
	runCounter: number;
	/** A trigger waiting for a free slot. */
	pendingTrigger: boolean;
	/** Errors in a row from runs that lasted under a second: a crash loop, backed off by errorDelay(). */
	quickErrors: number;
	/** --run-once: starts left in the one scheduling pass; undefined when not in run-once mode. */
	startsLeft?: number;
	/** When the rules next want to look again (for the "next start in" countdown). */
	wakeAt?: number;
	counters: {started: number; done: number; more: number; errors: number; stopped: number};
	lastExit?: LastExit;
	durations: {total: number; count: number; last?: number};
	/** A job with `cluster`: its leases and tick claims (cluster-gate.ts); created by the first cluster event or pass. */
	cluster?: ClusterState;
};

/** What the core knows of a job's standing in the cluster. */
export type ClusterState = {
	/** Leases held by no run: taken for a start, or given back by a run that ended, not yet used or released. */
	spare: ClusterLease[];
	/** Leases asked of the host beyond `spare` (the last want-leases count). */
	wanting: number;
	/** once: the tick asked about and, once answered, whether this host runs it. */
	claim?: {tick: number; won?: boolean};
	/** Set (one line) while Redis cannot be reached. */
	unreachable?: string;
};

export function createJobState(definition: JobDefinition, options: {runOnce?: boolean} = {}): JobState {
	return {
		definition,
		phase: 'running',
		allowed: 1,
		holdUntil: 0,
		sleeping: false,
		world: createWorldState(),
		nextDueAt: 0,
		runs: new RunTable(),
		runCounter: 0,
		pendingTrigger: false,
		quickErrors: 0,
		startsLeft: options.runOnce ? runOnceStarts(definition) : undefined,
		counters: {started: 0, done: 0, more: 0, errors: 0, stopped: 0},
		durations: {total: 0, count: 0},
	};
}

/** One scheduling pass: `instances` runs for independent, one for the others, none at 0 instances (SPEC §1 "Run once"). */
function runOnceStarts(definition: JobDefinition): number {
	return definition.model === 'independent' ? definition.instances : Math.min(1, definition.instances);
}

/**
 * Slots 0…limit−1 that no run occupies, lowest first — and never more of them than `instances` (or a lower
 * `capacity`) minus the runs still alive (stopping ones included): after a scale-down, new runs wait until the stopped ones are gone (SPEC §2.1).
 * Slots resting after their run (independent model) are left out, unless `evenResting`.
 */
export function freeSlots(state: JobState, limit: number, evenResting = false): number[] {
	const most = Math.min(state.definition.instances, state.capacity ?? Number.POSITIVE_INFINITY);
	return state.runs.freeSlots(limit, most - state.runs.length, evenResting);
}

/** True when a run-once job has used its pass and every run is gone. */
export function isFinished(state: JobState): boolean {
	return state.startsLeft === 0 && state.runs.length === 0;
}

/** A run shorter than this that ends in an error counts towards a crash loop. */
export const quickRunLimit = 1000;
const firstBackoff = 50;
const maximumBackoff = 5000;

/**
 * The wait after an error: `sleepOnError`, but at least a back-off that doubles from 50 ms to 5 s while runs keep
 * failing within a second — so `sleepOnError: 0` on a command that cannot start does not burn a core. The first
 * quick error still retries at once.
 */
export function errorDelay(state: JobState): number {
	const {sleepOnError} = state.definition;
	if (state.quickErrors < 2) {
		return sleepOnError;
	}

	return Math.max(sleepOnError, Math.min(firstBackoff * 2 ** (state.quickErrors - 2), maximumBackoff));
}

/** True while errorDelay() waits longer than sleepOnError: the back-off a `back-off` notice tells of. */
export function isBackingOff(state: JobState): boolean {
	return errorDelay(state) > state.definition.sleepOnError;
}
