import type {QuietWindow} from '../core/job-definition.js';

const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** "Mon-Fri", "Sat,Sun", "mon" → day numbers 0 (Sunday) … 6; undefined when a name is unknown. */
function parseDays(text: string): number[] | undefined {
	const days = new Set<number>();
	for (const part of text.toLowerCase().split(',')) {
		const [first, last, ...rest] = part.split('-').map(name => dayNames.indexOf(name.trim().slice(0, 3)));
		if (first === undefined || first < 0 || (last !== undefined && last < 0) || rest.length > 0) {
			return undefined;
		}

		// Fri-Mon wraps over the weekend.
		for (let day = first; ; day = (day + 1) % 7) {
			days.add(day);
			if (day === (last ?? first)) {
				break;
			}
		}
	}

	return [...days].sort((first, second) => first - second);
}

function parseTime(text: string): {hour: number; minute: number} | undefined {
	const match = /^(\d{1,2}):(\d{2})$/.exec(text);
	const hour = Number(match?.[1]);
	const minute = Number(match?.[2]);
	return match && hour < 24 && minute < 60 ? {hour, minute} : undefined;
}

/**
 * "Mon-Fri 08:00-10:00", "12:00-13:00" or "Sat,Sun 22:00-06:00" (past midnight: it closes the next morning) → the
 * two cron expressions that open and close it, for croner to evaluate in any time zone. Undefined when not valid.
 */
export function parseQuietWindow(value: unknown): QuietWindow | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	const text = value.trim().replace(/\s+/g, ' ');
	const match = /^(?:([A-Za-z,-]+) )?(\d{1,2}:\d{2}) ?- ?(\d{1,2}:\d{2})$/.exec(text);
	const days = match?.[1] === undefined ? [0, 1, 2, 3, 4, 5, 6] : parseDays(match[1]);
	const from = parseTime(match?.[2] ?? '');
	const to = parseTime(match?.[3] ?? '');
	if (!match || !days || !from || !to) {
		return undefined;
	}

	const fromMinutes = (from.hour * 60) + from.minute;
	const toMinutes = (to.hour * 60) + to.minute;
	if (fromMinutes === toMinutes) {
		return undefined;
	}

	const closingDays = toMinutes < fromMinutes ? days.map(day => (day + 1) % 7).sort((first, second) => first - second) : days;
	return {
		text,
		opens: `${from.minute} ${from.hour} * * ${days.join(',')}`,
		closes: `${to.minute} ${to.hour} * * ${closingDays.join(',')}`,
	};
}

/** True when `name` is a time zone this Node knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en', {timeZone: name});
		return true;
	} catch {
		return false;
	}
}
