import type {BacklogSettings} from './job-definition.js';
import type {Reading} from './sensors.js';
import type {BacklogState} from './world-state.js';

/**
 * Backlog (SPEC §6): a probe prints how much work waits; the fan-out follows ceil(count / perRun) within min…max
 * (never above instances), moving at most `step` per `cooldown` — but from 0 to a first run at once. A target of 0
 * starts nothing. Run results are readings too, and fresher than the probe's: `done` says nothing waits, `more`
 * that something does. A probe that fails leaves the count unknown: fatc goes on as without it, and says so once.
 */

/** The first number the probe printed, or why there is none. */
export function backlogCount(reading: Extract<Reading, {kind: 'probe'}>): number | {error: string} {
	if (reading.code !== 0) {
		return {error: reading.error ?? `exit status ${reading.code ?? 'unknown'}`};
	}

	const number = /-?\d+(?:\.\d+)?/.exec(reading.output)?.[0];
	if (number === undefined) {
		const output = reading.output.trim().slice(0, 40);
		return {error: output ? `printed no number: "${output}"` : 'printed nothing'};
	}

	return Math.max(0, Math.ceil(Number(number)));
}

/** `count` as known now (a probe's, or 0 after `done`, ≥ 1 after `more`) → the state with its target moved. */
export function countBacklog(backlog: BacklogSettings, instances: number, state: BacklogState, count: number, now: number): BacklogState {
	const most = Math.min(backlog.max ?? instances, instances);
	const wanted = Math.max(Math.min(backlog.min, most), Math.min(Math.ceil(count / backlog.perRun), most));
	const from = state.target;
	if (from === undefined || wanted === from) {
		return {count, target: wanted, movedAt: from === wanted ? state.movedAt : now};
	}

	const firstRun = from === 0 && wanted > 0;
	if (!firstRun && now - state.movedAt < backlog.cooldown) {
		return {...state, count, failed: undefined};
	}

	const step = backlog.step ?? Number.POSITIVE_INFINITY;
	const target = wanted > from ? Math.min(wanted, from + step) : Math.max(wanted, from - step);
	return {count, target, movedAt: now};
}
