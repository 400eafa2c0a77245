import type {QuietSettings} from './job-definition.js';
import {nextCronTime} from './models/cron-schedule.js';

export type QuietMoment = {
	/** Inside a window: when it closes (the latest close of the windows open now). */
	until?: number;
	/** The next time a window opens or closes: the rules look again then. */
	nextChange?: number;
};

/**
 * Quiet hours (SPEC §6): windows such as "Mon-Fri 08:00-10:00" with no new runs, or at most `instances`. Each window
 * is a pair of cron expressions (config/quiet-window.ts), evaluated by croner in the window's time zone: `now` is
 * inside a window when its next close comes before its next opening.
 */
export function quietAt(quiet: QuietSettings, now: number): QuietMoment {
	const moment: QuietMoment = {};
	for (const window of quiet.windows) {
		const opens = nextCronTime(window.opens, now, quiet.timezone) ?? Number.POSITIVE_INFINITY;
		const closes = nextCronTime(window.closes, now, quiet.timezone) ?? Number.POSITIVE_INFINITY;
		if (closes < opens) {
			moment.until = Math.max(moment.until ?? closes, closes);
		}

		const change = Math.min(opens, closes);
		if (Number.isFinite(change)) {
			moment.nextChange = Math.min(moment.nextChange ?? change, change);
		}
	}

	return moment;
}
