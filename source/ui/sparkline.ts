import sparkly from 'sparkly';

const asciiLevels = '_.-=+*#';

/**
 * The last `width` values as a sparkline, scaled from 0 to their largest: sparkly's bars `▁▂▃▅▂▇` on a Unicode
 * terminal, `_.-=+*#` on an ASCII one. Empty without values.
 */
export function sparkline(values: readonly number[], width: number, unicode: boolean): string {
	const shown = values.slice(-width);
	if (shown.length === 0) {
		return '';
	}

	const maximum = Math.max(...shown, 1);
	if (unicode) {
		return sparkly(shown, {minimum: 0, maximum});
	}

	return shown.map(value => asciiLevels[Math.min(asciiLevels.length - 1, Math.floor((value / maximum) * asciiLevels.length))]).join('');
}
