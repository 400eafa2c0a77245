import {changedFields, changesLaunch} from './definition-changes.js';
import {maximumInstances, type JobDefinition} from './job-definition.js';
import type {JobState} from './job-state.js';
import {notify, stopRuns, type Reduction} from './stop-runs.js';
import {threadModels} from './models/by-name.js';

/**
 * A new `instances`, held to 0…maximumInstances (the one place that bounds a scale, relative ones included): runs in
 * slots past it are stopped (reason `scale`); the others go on untouched. The same number is no change and no event.
 */
export function scaleJob(state: JobState, instances: number): Reduction {
	const to = Math.min(maximumInstances, Math.max(0, Math.floor(instances)));
	const from = state.definition.instances;
	if (to === from) {
		return {state, effects: []};
	}

	const resized = {
		...state,
		definition: {...state.definition, instances: to},
		allowed: Math.min(state.allowed, Math.max(to, 1)),
	};
	const stopped = stopRuns(resized, run => run.slot >= to, 'scale');
	return {state: stopped.state, effects: [notify({type: 'scaled', from, to}), ...stopped.effects]};
}

/**
 * A reload changed the job (live reload, readme "Live reload"). Only `instances` → a scale. Otherwise the
 * definition is replaced: new runs use it, timing fields apply from the next delay on (a wait under way keeps
 * its end), and a run under way is judged by the new rules (exit codes, warnAfter, timeout) when it ends. When what a
 * run is started with changed (command, args, cwd, env…), runs under way finish (`onChange: finish`), or are
 * stopped with reason `reload` and their old stopSignal (`restart`). A new model or schedule starts its scheduling
 * afresh. Starts always wait for a free slot, counting stopping runs, so never more than `instances` run at once.
 */
export function redefineJob(state: JobState, definition: JobDefinition, now: number): Reduction {
	if (state.phase === 'stopping') {
		return {state, effects: []};
	}

	const fields = changedFields(state.definition, definition);
	let {state: next, effects} = fields.includes('instances') ? scaleJob(state, definition.instances) : {state, effects: []};
	if (definition.onChange === 'restart' && changesLaunch(fields)) {
		const stopped = stopRuns(next, () => true, 'reload');
		next = stopped.state;
		effects = [...effects, ...stopped.effects];
	}

	next = {...next, definition};
	if (fields.includes('model') || fields.includes('schedule')) {
		// Only the independent model rests slots: no other may find them resting.
		next.runs.wake();
		next = threadModels[definition.model].reset(next, now);
	}

	return {state: next, effects};
}
