import {eventLevel, type EventLevel} from '../core/event-level.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {describeEvent} from './describe-event.js';
import {eventRecord} from './event-record.js';

type Output = {write(text: string): unknown};

export type ReporterOptions = {
	/**
	 * The output is systemd's journal (journal-stream.ts): each line starts with the syslog priority journald reads
	 * and strips (sd-daemon(3)), so `journalctl -p warning` finds warnings and errors. Default false.
	 */
	journal?: boolean;
};

const priorities: Record<EventLevel, string> = {error: '<3>', warn: '<4>', info: '<6>'};
// Info lines untagged: they read as they always did.
const tags: Record<EventLevel, string> = {error: 'ERROR ', warn: 'WARN ', info: ''};

/**
 * `fatc run`: one line per event, `2026-11-24T18:30:00.123Z send-emails[0] run 5 started (pid 1234)`; a warning or an
 * error is tagged after the time (`… WARN send-emails[0] warn: run 5 (pid 1234) still running after 1h 00m`), or under
 * journald starts with its priority instead (`<4>2026-…`).
 */
export function createLineReporter(output: Output, options: ReporterOptions = {}): (event: SupervisorEvent) => void {
	return event => {
		const level = eventLevel(event);
		const slot = 'slot' in event ? `[${event.slot}]` : '';
		const subject = event.job === undefined ? 'fatc' : `${event.job}${slot}`;
		const [priority, tag] = options.journal ? [priorities[level], ''] : ['', tags[level]];
		output.write(`${priority}${new Date(event.time).toISOString()} ${tag}${subject} ${describeEvent(event)}\n`);
	};
}

/** `fatc run --json`: one JSON object per event (event-record.ts), with its priority first under journald. */
export function createJsonReporter(output: Output, version: string, options: ReporterOptions = {}): (event: SupervisorEvent) => void {
	return event => {
		const priority = options.journal ? priorities[eventLevel(event)] : '';
		output.write(`${priority}${JSON.stringify(eventRecord(event, version))}\n`);
	};
}
