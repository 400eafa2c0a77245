import {backlogCount, countBacklog} from './backlog-rule.js';
import {holdReason, readHoldProbe, readLoad} from './hold-rule.js';
import type {Effect, JobNotice, SensorRole} from './job-event.js';
import type {JobState} from './job-state.js';
import type {RunResult} from './job-definition.js';
import {threadModels} from './models/by-name.js';
import type {Reading} from './sensors.js';
import {notify, type Reduction} from './stop-runs.js';
import type {HoldSource, WorldState} from './world-state.js';

/** A sensor's reading applied to the job: the hold's causes, the backlog and its fan-out, a wake. */
export function applyReading(state: JobState, role: SensorRole, reading: Reading, now: number): Reduction {
	const {hold, backlog} = state.definition;
	const {world} = state;
	if (role === 'load' && hold && reading.kind === 'load') {
		return withWorld(state, {...world, load: readLoad(hold, world.load, reading, now)});
	}

	if (role === 'hold-probe' && hold && reading.kind === 'probe') {
		const probe = readHoldProbe(hold, world.probe, reading, now);
		return {state: withWorld(state, {...world, probe}).state, effects: failureNotices('hold', world.probe.failed, probe.failed)};
	}

	if (role === 'backlog' && backlog && reading.kind === 'probe') {
		const count = backlogCount(reading);
		if (typeof count !== 'number') {
			const failed = {movedAt: world.backlog.movedAt, failed: count.error};
			return {state: withWorld(state, {...world, backlog: failed}).state, effects: failureNotices('backlog', world.backlog.failed, count.error)};
		}

		const counted = countBacklog(backlog, state.definition.instances, world.backlog, count, now);
		return {
			state: followBacklog(withWorld(state, {...world, backlog: counted}).state, count, now),
			effects: [...failureNotices('backlog', world.backlog.failed, undefined), ...backlogNotices(world.backlog.target, counted.target, count)],
		};
	}

	if (role === 'wake' && reading.kind === 'file') {
		// A wake says work waits: with a backlog probe, at least one item, until the probe says otherwise.
		const counted = countResult(state, 'more', now);
		const woken = threadModels[state.definition.model].wake(counted.state, now);
		// Said when it starts work from idle; an application touching the file on every insert would flood the lines.
		const effects = state.runs.length === 0 ? [notify({type: 'woken'}), ...counted.effects] : counted.effects;
		return {state: {...woken, world: {...woken.world, wokenAt: now}}, effects};
	}

	// A reading for a setting a reload just removed.
	return {state, effects: []};
}

/**
 * A run's result read as a backlog count, fresher than the probe's: `done` says nothing waits, `more` that something
 * does. Only while the probe answers (an unknown count stays unknown).
 */
export function countResult(state: JobState, result: RunResult, now: number): Reduction {
	const {backlog} = state.definition;
	const {count, target} = state.world.backlog;
	if (!backlog || count === undefined || (result !== 'done' && result !== 'more')) {
		return {state, effects: []};
	}

	const known = result === 'done' ? 0 : Math.max(count, 1);
	const counted = countBacklog(backlog, state.definition.instances, state.world.backlog, known, now);
	return {state: withWorld(state, {...state.world, backlog: counted}).state, effects: backlogNotices(target, counted.target, known)};
}

/** Notices for a hold that began or ended between two states (any event may change it: a reading, a reload). */
export function holdNotices(before: JobState, after: JobState, now: number): {state: JobState; effects: Effect[]} {
	const wasHeld = before.world.heldSince !== undefined;
	const reason = holdReason(after.definition.hold, after.world);
	if (reason !== undefined && !wasHeld) {
		return {state: withWorld(after, {...after.world, heldSince: now}).state, effects: [notify({type: 'held', reason})]};
	}

	if (reason === undefined && wasHeld) {
		const heldFor = now - (before.world.heldSince ?? now);
		return {state: withWorld(after, {...after.world, heldSince: undefined}).state, effects: [notify({type: 'released', heldFor})]};
	}

	return {state: after, effects: []};
}

/** After a reload: a cause the new definition no longer has holds nothing, a backlog no longer set counts nothing. */
export function forgetRemovedSensors(state: JobState): JobState {
	const {hold, backlog} = state.definition;
	const released: HoldSource = {held: false};
	return withWorld(state, {
		...state.world,
		load: hold?.load === undefined ? released : state.world.load,
		probe: hold?.command === undefined ? released : state.world.probe,
		backlog: backlog ? state.world.backlog : {movedAt: 0},
		// The windows may have changed: the next pass asks croner again.
		quietValidUntil: undefined,
	}).state;
}

function withWorld(state: JobState, world: WorldState): Reduction {
	return {state: {...state, world}, effects: []};
}

/** dependent: the fan-out follows the backlog; a positive count ends a sleep at once, whatever `sleep` says. */
function followBacklog(state: JobState, count: number, now: number): JobState {
	const {target} = state.world.backlog;
	if (count === 0 || target === undefined || target === 0) {
		return state;
	}

	const woken = threadModels[state.definition.model].wake(state, now);
	return state.definition.model === 'dependent' ? {...woken, allowed: target} : woken;
}

function backlogNotices(from: number | undefined, to: number | undefined, count: number): Effect[] {
	return to === undefined || from === to ? [] : [notify({type: 'backlog', count, from: from ?? null, to})];
}

function failureNotices(sensor: 'hold' | 'backlog', before: string | undefined, after: string | undefined): Effect[] {
	let notice: JobNotice | undefined;
	if (after !== undefined && before === undefined) {
		notice = {type: 'sensor-failed', sensor, message: after};
	} else if (after === undefined && before !== undefined) {
		notice = {type: 'sensor-recovered', sensor};
	}

	return notice ? [notify(notice)] : [];
}
