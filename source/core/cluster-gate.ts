import type {ClusterLease, ClusterReport} from './cluster-port.js';
import type {Effect} from './job-event.js';
import type {ClusterState, JobState} from './job-state.js';
import type {Plan} from './models/thread-model.js';
import {threadModels} from './models/by-name.js';
import {notify, stopRun, type Reduction} from './stop-runs.js';

/*
 * A job's `cluster` over the model's plan (issue 17), as world-gate.ts is the world's: a run of a job with
 * `cluster.instances` starts only on a lease this host holds (taken in Redis by the host, told by a `leased` report),
 * and a `once` tick only once this host won its claim. The core never waits: it plans what it would start, asks for
 * what it lacks, and the report's event plans again.
 */

const emptyCluster: ClusterState = {spare: [], wanting: 0};
const minute = 60_000;
const week = 7 * 24 * 60 * minute;

export const clusterOf = (state: JobState): ClusterState => state.cluster ?? emptyCluster;

/** Whether starts of this job need a lease. */
const leased = (state: JobState) => state.definition.cluster?.instances !== undefined;

export type ClusterPlan = {
	plan: Plan;
	/** New runs the job would start now were leases no object (the model's plan under local limits). */
	wanted: number;
	effects: Effect[];
};

/** The model's plan, gated by the tick claim (once) and the leases held (instances). */
export function planWithCluster(state: JobState, now: number): ClusterPlan {
	const model = threadModels[state.definition.model];
	const free = model.plan(state, now);
	const settings = state.definition.cluster;
	if (!settings) {
		return {plan: free, wanted: free.start.length, effects: []};
	}

	let cluster = clusterOf(state);
	let plan = free;
	const effects: Effect[] = [];
	if (settings.once && free.start.length > 0) {
		const tick = state.nextDueAt;
		if (cluster.claim?.tick !== tick) {
			// The next tick's distance says how long the claim must outlive it: a late host must still find it.
			const keepFor = Math.min(week, Math.max(minute, 3 * (free.state.nextDueAt - tick)));
			effects.push({type: 'claim-tick', tick, keepFor: Number.isFinite(keepFor) ? keepFor : minute});
			cluster = {...cluster, claim: {tick}};
			plan = {state, start: [], stop: []};
		} else if (cluster.claim.won === undefined) {
			plan = {state, start: [], stop: []};
		} else if (!cluster.claim.won) {
			// Another host runs this tick: this one moves on to the next.
			cluster = {...cluster, claim: undefined};
			plan = {...free, start: []};
		}
	}

	const wanted = plan.start.length;
	if (leased(state) && plan.start.length > cluster.spare.length) {
		// As many starts as leases: the model plans again within them (a fixed job's tick then stays due).
		const room = state.runs.length + cluster.spare.length;
		const capped = model.plan({...state, capacity: Math.min(state.capacity ?? room, room)}, now);
		plan = {
			state: {...capped.state, capacity: state.capacity},
			start: capped.start.slice(0, cluster.spare.length),
			// fixedIntervalWait stops the oldest run for want of a slot, not for want of a lease.
			stop: capped.stop.filter(runId => free.stop.includes(runId)),
			wakeAt: capped.wakeAt,
		};
	}

	if (settings.once && cluster.claim?.won === true && plan.start.length > 0) {
		cluster = {...cluster, claim: undefined};
	}

	return {plan: {...plan, state: {...plan.state, cluster}}, wanted, effects};
}

/** Room for one more start (a trigger) beyond `starts` already planned: a spare lease. */
export function clusterRoom(state: JobState, starts: number): boolean {
	return !leased(state) || clusterOf(state).spare.length > starts;
}

/**
 * Binds a spare lease to each start; keeps the spare leases still wanted, gives back the others, and asks for the
 * ones lacking (want-leases, only when that count changed).
 */
export function bindLeases(state: JobState, starts: number, wanted: number): {state: JobState; leases: ClusterLease[]; effects: Effect[]} {
	if (!leased(state)) {
		return {state, leases: [], effects: []};
	}

	const cluster = clusterOf(state);
	const effects: Effect[] = [];
	const leases = cluster.spare.slice(0, starts);
	const lacking = Math.max(0, wanted - starts);
	const left = cluster.spare.slice(starts);
	const kept = left.slice(0, lacking);
	for (const lease of left.slice(lacking)) {
		effects.push({type: 'release-lease', lease});
	}

	const wanting = state.phase === 'stopping' ? 0 : lacking - kept.length;
	if (wanting !== cluster.wanting) {
		effects.push({type: 'want-leases', limit: state.definition.cluster!.instances!, count: wanting});
	}

	if (effects.length === 0 && leases.length === 0 && cluster === state.cluster) {
		return {state, leases, effects};
	}

	return {state: {...state, cluster: {...cluster, spare: kept, wanting}}, leases, effects};
}

/** A run's lease back among the spare ones when it ends: the pass that follows uses it (a `more` loop) or gives it back. */
export function returnLease(state: JobState, lease: ClusterLease | undefined, expiring = false): {state: JobState; effects: Effect[]} {
	if (lease === undefined) {
		return {state, effects: []};
	}

	if (expiring) {
		// A lease that could not be renewed may be gone from Redis already: no run may start on it.
		return {state, effects: [{type: 'release-lease', lease}]};
	}

	const cluster = clusterOf(state);
	return {state: {...state, cluster: {...cluster, spare: [...cluster.spare, lease]}}, effects: []};
}

/** What the host reports: a lease taken, one expiring, a claim's answer, Redis gone or back. */
export function applyClusterReport(state: JobState, report: ClusterReport, now: number): Reduction {
	const cluster = clusterOf(state);
	switch (report.type) {
		case 'leased': {
			if (!leased(state) || state.phase === 'stopping') {
				return {state, effects: [{type: 'release-lease', lease: report.lease}]};
			}

			return {state: {...state, cluster: {...cluster, spare: [...cluster.spare, report.lease], wanting: Math.max(0, cluster.wanting - 1)}}, effects: []};
		}

		case 'lease-expiring': {
			return fence(state, report.token, report.deadline, report.kill, now);
		}

		case 'tick-claimed': {
			if (cluster.claim?.tick !== report.tick) {
				return {state, effects: []};
			}

			const effects = report.won ? [] : [notify({type: 'tick-skipped', tick: report.tick})];
			return {state: {...state, cluster: {...cluster, claim: {tick: report.tick, won: report.won}}}, effects};
		}

		case 'cluster-reachable': {
			if (report.reachable === (cluster.unreachable === undefined)) {
				return {state, effects: []};
			}

			const unreachable = report.reachable ? undefined : report.reason ?? 'Redis cannot be reached';
			return {
				state: {...state, cluster: {...cluster, unreachable}},
				effects: [notify(unreachable === undefined ? {type: 'cluster-reachable'} : {type: 'cluster-unreachable', reason: unreachable})],
			};
		}
	}
}

/** The run on an expiring lease stops in time: its stopSignal with what time is left, or SIGKILL at the deadline. */
function fence(state: JobState, token: string, deadline: number, kill: boolean, now: number): Reduction {
	const cluster = clusterOf(state);
	if (cluster.spare.some(lease => lease.token === token)) {
		// No run uses it: it is lost, nothing to stop.
		return {state: {...state, cluster: {...cluster, spare: cluster.spare.filter(lease => lease.token !== token)}}, effects: []};
	}

	const run = state.runs.find(candidate => candidate.lease?.token === token);
	if (run === undefined) {
		return {state, effects: []};
	}

	const effects: Effect[] = [];
	run.leaseExpiring = true;
	if (run.stopReason === undefined) {
		stopRun(run, 'fenced');
		effects.push(notify({type: 'run-stopping', runId: run.runId, slot: run.slot, pid: run.pid, reason: 'fenced'}));
		if (!kill) {
			const timeout = Math.max(0, Math.min(state.definition.stopTimeout, deadline - now));
			return {state, effects: [...effects, {type: 'stop', runId: run.runId, signal: state.definition.stopSignal, timeout}]};
		}
	}

	return kill ? {state, effects: [...effects, {type: 'stop', runId: run.runId, signal: 'SIGKILL', timeout: 0}]} : {state, effects};
}
