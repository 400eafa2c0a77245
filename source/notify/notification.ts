import type {JobDefinition} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {KindedEvent} from './event-kinds.js';
import type {NotifierSpec} from './run-notifier.js';

/** One human sentence for an event (reporters/describe-event.ts, handed in by the host). */
export type DescribeEvent = (event: SupervisorEvent) => string;

/**
 * What a notifier is started with: the event as one JSON object on stdin — `job`, `kind`, `time` (ISO-8601),
 * `folded`, `message`, then the event's own fields (`type`, `runId`, `result`, `code`, …; `errorsBefore` for
 * `recovered`) — and the same in FATC_EVENT_* variables, beside fatc's environment and the job's `env`.
 */
export function notifierSpec(kinded: KindedEvent, definition: JobDefinition, folded: number, describe: DescribeEvent): NotifierSpec {
	const {kind, event, errorsBefore} = kinded;
	const {job, time, ...fields} = event;
	const message = describeNotification(kinded, folded, describe);
	const iso = new Date(time).toISOString();
	const payload = {job, kind, time: iso, folded, message, ...fields, ...(errorsBefore === undefined ? {} : {errorsBefore})};
	const settings = definition.notify!;
	return {
		command: settings.command,
		cwd: definition.cwd,
		env: {
			...process.env,
			...definition.env,
			FATC_EVENT_KIND: kind,
			FATC_EVENT_JOB: job,
			FATC_EVENT_MESSAGE: message,
			FATC_EVENT_TIME: iso,
			FATC_EVENT_FOLDED: String(folded),
		},
		input: `${JSON.stringify(payload)}\n`,
		timeout: settings.timeout,
	};
}

/** `send-emails[0] run 7 ended: error (exit 1) after 0.2s (3 more folded since the last notification)`. */
export function describeNotification({kind, event, errorsBefore}: KindedEvent, folded: number, describe: DescribeEvent): string {
	const slot = 'slot' in event ? `[${event.slot}]` : '';
	const recovered = kind === 'recovered' ? `recovered after ${errorsBefore} ${errorsBefore === 1 ? 'error' : 'errors'}: ` : '';
	const more = folded > 0 ? ` (${folded} more folded since the last notification)` : '';
	return `${event.job}${slot} ${recovered}${describe(event)}${more}`;
}
