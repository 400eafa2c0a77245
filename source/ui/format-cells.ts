import {formatDuration} from '../reporters/format-duration.js';

export {formatDuration};

/** 512K · 51.2M · 1.2G: short, for a 7-wide cell; '-' when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
	if (bytes === null || bytes === undefined) {
		return '-';
	}

	const units = ['B', 'K', 'M', 'G', 'T'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}

/** 0.4% · 12% · 150%; '-' when unknown. */
export function formatPercent(percent: number | null | undefined): string {
	if (percent === null || percent === undefined) {
		return '-';
	}

	return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** HH:MM:SS of a timestamp, local time, for event lines. */
export function formatClock(time: number): string {
	const date = new Date(time);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

// ANSI escape sequences (CSI, OSC, single-character) and C0/C1 controls: a run's output must not steer the terminal.
const escapes = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])|[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** A line of a run's output made safe to show: escapes and controls removed, tabs as spaces. */
export function cleanLine(line: string): string {
	return line.replace(escapes, '').replaceAll('\t', '  ');
}

/** Exactly `width` characters: padded, or cut with `ellipsis`. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
	if (width <= 0) {
		return '';
	}

	if (text.length > width) {
		return width <= ellipsis.length ? text.slice(0, width) : text.slice(0, width - ellipsis.length) + ellipsis;
	}

	return align === 'right' ? text.padStart(width) : text.padEnd(width);
}
