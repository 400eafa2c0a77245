const unitMilliseconds = {ms: 1, s: 1000, m: 60_000, h: 3_600_000} as const;

// A non-negative decimal number, then an optional unit; bare numbers are seconds, as in the original.
const durationPattern = /^(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h)?$/;

/** What a duration may look like, for error messages. */
export const durationDescription = 'a duration (seconds, or "500ms", "30s", "5m", "1h")';

/**
 * Parses a duration into whole milliseconds: a number is seconds (may be fractional), a string is a
 * number with an optional unit (`ms`, `s`, `m`, `h`; none = seconds). Undefined when it is not one,
 * or is negative.
 */
export function parseDuration(value: unknown): number | undefined {
	if (typeof value === 'number') {
		return Number.isFinite(value) && value >= 0 ? toSafeMilliseconds(value * 1000) : undefined;
	}

	if (typeof value !== 'string') {
		return undefined;
	}

	const match = durationPattern.exec(value.trim());
	if (!match) {
		return undefined;
	}

	const [, amount = '', unit = 's'] = match;
	return toSafeMilliseconds(Number(amount) * unitMilliseconds[unit as keyof typeof unitMilliseconds]);
}

function toSafeMilliseconds(milliseconds: number): number | undefined {
	const rounded = Math.round(milliseconds);
	return Number.isSafeInteger(rounded) ? rounded : undefined;
}
