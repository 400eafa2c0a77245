import type {SupervisorEvent} from '../core/supervisor-event.js';
import {describeEvent} from './describe-event.js';

type Output = {write(text: string): unknown};

/** `fatc run`: one line per event, `2026-11-24T18:30:00.123Z send-emails[0] run 5 started (pid 1234)`. */
export function createLineReporter(output: Output): (event: SupervisorEvent) => void {
	return event => {
		const slot = 'slot' in event ? `[${event.slot}]` : '';
		const subject = event.job === undefined ? 'fatc' : `${event.job}${slot}`;
		output.write(`${new Date(event.time).toISOString()} ${subject} ${describeEvent(event)}\n`);
	};
}

/** `fatc run --json`: the event itself, one JSON object per line. */
export function createJsonReporter(output: Output): (event: SupervisorEvent) => void {
	return event => {
		output.write(`${JSON.stringify(event)}\n`);
	};
}
