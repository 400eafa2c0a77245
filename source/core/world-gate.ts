import type {Effect} from './job-event.js';
import type {JobState} from './job-state.js';
import {quietAt} from './quiet-hours.js';
import {notify} from './stop-runs.js';
import type {WorldState} from './world-state.js';

export type Gate = {
	/** No new run starts now (held, a quiet window with no runs, nothing in the backlog); a trigger still does. */
	closed: boolean;
	/** Most runs new starts may fill up to, when below `instances`. */
	capacity?: number;
	/** The next time a quiet window opens or closes. */
	wakeAt?: number;
	quiet?: WorldState['quiet'];
};

/** What the world allows this scheduling pass: hold, quiet hours and the backlog, over the model's own plan. */
export function worldGate(state: JobState, now: number): Gate {
	const {definition, world} = state;
	const gate: Gate = {closed: world.heldSince !== undefined};
	if (definition.quiet && world.quietValidUntil !== undefined && now < world.quietValidUntil) {
		gate.wakeAt = world.quietValidUntil;
		gate.quiet = world.quiet;
		gate.capacity = world.quiet?.instances;
	} else if (definition.quiet) {
		const moment = quietAt(definition.quiet, now);
		gate.wakeAt = moment.nextChange;
		if (moment.until !== undefined) {
			gate.quiet = {until: moment.until, instances: definition.quiet.instances};
			gate.capacity = definition.quiet.instances;
		}
	}

	const {target} = world.backlog;
	if (definition.backlog && target !== undefined) {
		// dependent: the fan-out follows it already (world-events.ts); independent: it caps the slots that loop.
		gate.capacity = definition.model === 'independent' ? Math.min(gate.capacity ?? target, target) : gate.capacity;
		gate.closed ||= target === 0;
	}

	gate.closed ||= gate.capacity === 0;
	return gate;
}

/** A quiet window that opened or closed since the last pass. */
export function quietNotices(before: WorldState['quiet'], after: WorldState['quiet']): Effect[] {
	if (after && before?.until !== after.until) {
		return [notify({type: 'quiet', until: after.until, instances: after.instances})];
	}

	return before && !after ? [notify({type: 'quiet-ended'})] : [];
}
