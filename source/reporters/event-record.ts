import {eventLevel} from '../core/event-level.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';

// Named by field, not by event type: an event type added later with one of these fields is converted too.
/** Points in time: milliseconds since the epoch in events, ISO-8601 strings in records. */
const timeFields = new Set(['time', 'startedAt', 'until']);
/** How long something took: milliseconds in events, seconds in records. */
const durationFields = new Set(['duration', 'runTime', 'heldFor']);

/**
 * An event as `fatc run --json` prints it, for log systems: `time` (ISO-8601) and `level` first, then the event's own
 * fields (times as ISO-8601, durations in seconds), then the fatc `version` that wrote it.
 */
export function eventRecord(event: SupervisorEvent, version: string): Record<string, unknown> {
	const record: Record<string, unknown> = {time: undefined, level: eventLevel(event)};
	for (const [key, value] of Object.entries(event)) {
		if (typeof value === 'number' && timeFields.has(key)) {
			record[key] = Number.isFinite(value) ? new Date(value).toISOString() : null;
		} else if (typeof value === 'number' && durationFields.has(key)) {
			record[key] = value / 1000;
		} else {
			record[key] = value;
		}
	}

	record['version'] = version;
	return record;
}
