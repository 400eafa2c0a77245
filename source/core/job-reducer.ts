import {redefineJob, scaleJob} from './change-definition.js';
import {classifyExit} from './classify-exit.js';
import {applyClusterReport, bindLeases, clusterRoom, planWithCluster, returnLease} from './cluster-gate.js';
import type {ClusterLease} from './cluster-port.js';
import type {Effect, JobEvent} from './job-event.js';
import type {RunExit} from './process-driver.js';
import {errorDelay, freeSlots, isBackingOff, quickRunLimit, type JobState} from './job-state.js';
import {checkRunLimits} from './run-limits.js';
import {refusal, moveRun} from './run-transitions.js';
import {notify, stopRunIds, stopRuns, type Reduction} from './stop-runs.js';
import {threadModels} from './models/by-name.js';
import {applyReading, countResult, forgetRemovedSensors, holdNotices} from './world-events.js';
import {quietNotices, worldGate} from './world-gate.js';

export type {Reduction} from './stop-runs.js';

/**
 * The rules of one job: (state, event, now) → (state, effects). Pure; the supervisor shell runs the effects.
 * Event-specific changes first, then one scheduling pass that every event shares.
 */
export function reduceJob(state: JobState, event: JobEvent, now: number): Reduction {
	const changed = applyEvent(state, event, now);
	const held = holdNotices(state, changed.state, now);
	const scheduled = schedule(held.state, now);
	return {state: scheduled.state, effects: [...changed.effects, ...held.effects, ...scheduled.effects]};
}

function applyEvent(state: JobState, event: JobEvent, now: number): Reduction {
	const model = threadModels[state.definition.model];
	switch (event.type) {
		case 'start': {
			return {state: model.reset(state, now), effects: []};
		}

		case 'tick': {
			return {state, effects: []};
		}

		case 'spawned': {
			const run = state.runs.get(event.runId);
			const refused = refusal(run, event);
			if (run === undefined || refused !== undefined) {
				return {state, effects: [{type: 'refused', reason: refused ?? ''}]};
			}

			if (event.pid === undefined) {
				// The spawn failed: the run stays `starting` until its exit says why.
				return {state, effects: []};
			}

			run.pid = event.pid;
			run.spawnedAt = now;
			if (run.state === 'starting') {
				moveRun(run, 'running');
			}

			return {
				state,
				effects: [notify({type: 'run-started', runId: run.runId, slot: run.slot, pid: event.pid, startedAt: run.startedAt})],
			};
		}

		case 'exited': {
			return runExited(state, event.runId, event.exit, now, event.lastLine);
		}

		case 'scale': {
			return scaleJob(state, event.instances);
		}

		case 'scale-by': {
			return scaleJob(state, state.definition.instances + event.by);
		}

		case 'redefine': {
			const redefined = redefineJob(state, event.definition, now);
			return {state: forgetRemovedSensors(redefined.state), effects: redefined.effects};
		}

		case 'sensed': {
			return applyReading(state, event.role, event.reading, now);
		}

		case 'pause': {
			if (state.phase !== 'running') {
				return {state, effects: []};
			}

			const stopped = stopRuns({...state, phase: 'paused'}, () => true, 'pause');
			return {state: stopped.state, effects: [notify({type: 'paused'}), ...stopped.effects]};
		}

		case 'resume': {
			if (state.phase !== 'paused') {
				return {state, effects: []};
			}

			return {state: model.reset({...state, phase: 'running'}, now), effects: [notify({type: 'resumed'})]};
		}

		case 'restart': {
			if (state.phase === 'stopping') {
				return {state, effects: []};
			}

			const stopped = stopRuns(model.reset({...state, phase: 'running'}, now), () => true, 'restart');
			return {state: stopped.state, effects: [notify({type: 'restarted'}), ...stopped.effects]};
		}

		case 'trigger': {
			if (state.phase === 'stopping' || state.startsLeft !== undefined) {
				return {state, effects: []};
			}

			return {state: {...state, pendingTrigger: true}, effects: [notify({type: 'triggered'})]};
		}

		case 'stop-run': {
			// A run that ended meanwhile is no error: the person saw an older view.
			return stopRunIds(state, [event.runId], 'manual');
		}

		case 'shutdown': {
			return stopRuns({...state, phase: 'stopping', pendingTrigger: false}, () => true, 'shutdown');
		}

		case 'leased':
		case 'lease-expiring':
		case 'tick-claimed':
		case 'cluster-reachable': {
			return applyClusterReport(state, event, now);
		}
	}
}

function runExited(state: JobState, runId: number, exit: RunExit, now: number, lastLine?: string): Reduction {
	const run = state.runs.remove(runId);
	if (run === undefined) {
		return {state, effects: [{type: 'refused', reason: refusal(run, {type: 'exited', runId, exit}) ?? ''}]};
	}

	const result = classifyExit(state.definition, run, exit);
	// Run time counts from the spawn: a wait for it is not the run's (a run never spawned ran for 0).
	const duration = now - (run.spawnedAt ?? now);
	const counter = result === 'error' ? 'errors' : result;
	const returned = returnLease(state, run.lease, run.leaseExpiring);
	let next: JobState = {
		...returned.state,
		counters: {...state.counters, [counter]: state.counters[counter] + 1},
		lastExit: {result, code: exit.code, signal: exit.signal, at: now},
		durations: {total: state.durations.total + duration, count: state.durations.count + 1, last: duration},
	};
	const effects: Effect[] = [notify({
		type: 'run-ended',
		runId,
		slot: run.slot,
		pid: run.pid,
		result,
		code: exit.code,
		signal: exit.signal,
		duration,
		startedAt: run.startedAt,
		stopReason: run.stopReason,
		spawnError: exit.spawnError,
		...(lastLine === undefined ? {} : {lastLine}),
	}), ...returned.effects];

	if (result !== 'stopped') {
		// A spawn that failed never ran, however long it waited for its turn to start: still a crash loop.
		const quick = duration < quickRunLimit || exit.spawnError !== undefined;
		next = {...next, quickErrors: result === 'error' && quick ? next.quickErrors + 1 : 0};
		effects.push(...backOffNotices(state, next));
	}

	if (result !== 'stopped' && next.phase !== 'stopping') {
		const from = next.allowed;
		const model = threadModels[next.definition.model];
		next = model.afterResult(next, run.slot, result, now);
		// A wake came while this run was under way: it may not have seen the new work, so no sleep.
		if (result === 'done' && (next.world.wokenAt ?? -Infinity) > run.startedAt) {
			next = model.wake(next, now);
		}

		const counted = countResult(next, result, now);
		next = counted.state;
		effects.push(...counted.effects);
		if (next.allowed !== from) {
			effects.push(notify({type: 'fan-out', from, to: next.allowed}));
		}
	}

	return {state: next, effects};
}

/** A line when the crash-loop back-off starts to stretch the wait after errors, and one when it ends: not one per error. */
function backOffNotices(before: JobState, after: JobState): Effect[] {
	const was = isBackingOff({...before, definition: after.definition});
	const is = isBackingOff(after);
	if (is === was) {
		return [];
	}

	return [notify(is
		? {type: 'back-off', phase: 'began', wait: errorDelay(after), quickErrors: after.quickErrors}
		: {type: 'back-off', phase: 'ended', wait: after.definition.sleepOnError, quickErrors: before.quickErrors})];
}

/**
 * The pass every event ends with: run-time limits, what the world allows (world-gate.ts), the model's plan, a waiting
 * trigger (a person's: the world does not hold it), run-once's budget.
 */
function schedule(state: JobState, now: number): Reduction {
	const limits = checkRunLimits(state, now);
	let next = limits.state;
	const effects = [...limits.effects];
	let starts: number[] = [];
	let wanted = 0;
	let nextStartAt: number | undefined;
	const gate = worldGate(next, now);
	effects.push(...quietNotices(next.world.quiet, gate.quiet));
	// Most jobs watch nothing: their state is not copied on every event for a gate that never changes.
	if (next.world.quiet !== gate.quiet || next.world.quietValidUntil !== gate.wakeAt) {
		next = {...next, world: {...next.world, quiet: gate.quiet, quietValidUntil: gate.wakeAt}};
	}

	if (next.capacity !== gate.capacity) {
		next = {...next, capacity: gate.capacity};
	}

	if (next.phase === 'running' && !gate.closed) {
		const {plan, wanted: planned, effects: asked} = planWithCluster(next, now);
		wanted = planned;
		effects.push(...asked);
		next = plan.state;
		starts = plan.start;
		nextStartAt = plan.wakeAt;
		if (plan.stop.length > 0) {
			const stopped = stopRunIds(next, plan.stop, 'interval');
			next = stopped.state;
			effects.push(...stopped.effects);
		}
	}

	if (next.pendingTrigger && next.phase !== 'stopping') {
		const [slot] = freeSlots({...next, capacity: undefined}, next.definition.instances, true).filter(free => !starts.includes(free));
		if (slot !== undefined && next.runs.length + starts.length < next.definition.instances) {
			wanted++;
			if (clusterRoom(next, starts.length)) {
				starts = [...starts, slot];
				next = {...next, pendingTrigger: false};
			}
		}
	}

	if (next.startsLeft !== undefined) {
		starts = starts.slice(0, next.startsLeft);
		const startsLeft = next.startsLeft - starts.length;
		next = {...next, startsLeft};
		nextStartAt = startsLeft > 0 ? nextStartAt : undefined;
	}

	const bound = bindLeases(next, starts.length, wanted);
	effects.push(...bound.effects);
	const started = startRuns(bound.state, starts, now, bound.leases);
	effects.push(...started.effects);
	next = {...started.state, wakeAt: nextStartAt};
	effects.push({type: 'wake-at', time: earliest(earliest(nextStartAt, limits.wakeAt), gate.wakeAt)});
	return {state: next, effects};
}

/** `leases`: a cluster-limited job's, one per slot in order. */
function startRuns(state: JobState, slots: number[], now: number, leases: ClusterLease[]): Reduction {
	if (slots.length === 0) {
		return {state, effects: []};
	}

	let {runCounter} = state;
	const effects: Effect[] = [];
	for (const [index, slot] of slots.entries()) {
		runCounter++;
		const lease = leases[index];
		state.runs.add({runId: runCounter, slot, startedAt: now, state: 'starting', warned: false, ...(lease ? {lease} : {})});
		effects.push(lease ? {type: 'spawn', runId: runCounter, slot, clusterSlot: lease.slot} : {type: 'spawn', runId: runCounter, slot});
	}

	return {
		state: {...state, runCounter, counters: {...state.counters, started: state.counters.started + slots.length}},
		effects,
	};
}

function earliest(first: number | undefined, second: number | undefined): number | undefined {
	if (first === undefined) {
		return second;
	}

	return second === undefined ? first : Math.min(first, second);
}
