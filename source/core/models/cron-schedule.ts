import {Cron} from 'croner';

const patterns = new Map<string, Cron>();

/**
 * The first time strictly after `after` (ms since the epoch) that the cron expression names, in `timezone` (default:
 * the machine's); undefined if none.
 */
export function nextCronTime(expression: string, after: number, timezone?: string): number | undefined {
	const key = timezone === undefined ? expression : `${timezone} ${expression}`;
	let cron = patterns.get(key);
	if (!cron) {
		// Without a callback croner schedules nothing: it only evaluates the pattern.
		cron = new Cron(expression, timezone === undefined ? {} : {timezone});
		patterns.set(key, cron);
	}

	return cron.nextRun(new Date(after))?.getTime();
}
