import {Cron} from 'croner';

const patterns = new Map<string, Cron>();

/** The first time strictly after `after` (ms since the epoch) that the cron expression names; undefined if none. */
export function nextCronTime(expression: string, after: number): number | undefined {
	let cron = patterns.get(expression);
	if (!cron) {
		// Without a callback croner schedules nothing: it only evaluates the pattern.
		cron = new Cron(expression);
		patterns.set(expression, cron);
	}

	return cron.nextRun(new Date(after))?.getTime();
}
