import {parseCells, type Cell} from './terminal-cells.js';

const escape = '\u001B[';
const blank: Cell = {char: ' ', style: ''};

/** Unchanged cells between two changes that are written again rather than jumped over (a jump costs ~4 bytes). */
const mergeGap = 3;

/** Rewrites a whole line: erase first, then write (erasing after a full-width line would take its last character). */
export function wholeLine(row: number, line: string): string {
	return `${escape}${row + 1};1H${escape}2K${line}`;
}

/**
 * What turns the terminal's line `shown` into `line` at `row` (0-based): only the cells that changed — a cursor move
 * and the changed span, in its colours — or the whole line when that is as short, or when either line holds something
 * other than one-cell characters and colours. A timer ticking in a table cell then costs a few bytes, not the row.
 */
export function lineUpdate(row: number, shown: string, line: string): string {
	const whole = wholeLine(row, line);
	const before = parseCells(shown);
	const after = parseCells(line);
	if (!before || !after) {
		return whole;
	}

	const same = (index: number) => {
		const old = before[index] ?? blank;
		const next = after[index]!;
		return old.char === next.char && old.style === next.style;
	};

	// Spans of changed cells within the new line, joined across short unchanged gaps.
	const spans: Array<[start: number, end: number]> = [];
	for (let index = 0; index < after.length; index++) {
		if (same(index)) {
			continue;
		}

		const last = spans.at(-1);
		if (last && index - last[1] <= mergeGap) {
			last[1] = index + 1;
		} else {
			spans.push([index, index + 1]);
		}
	}

	// Cells past the new line's end that still show something other than a blank are erased.
	const erase = before.slice(after.length).some(cell => cell.char !== ' ' || cell.style !== '');
	let out = '';
	let cursor = -1; // column the cursor is at after the last span, -1 before the first
	for (const [start, end] of spans) {
		out += cursor === -1 ? `${escape}${row + 1};${start + 1}H` : `${escape}${start - cursor}C`;
		let style = '';
		for (let index = start; index < end; index++) {
			const cell = after[index]!;
			if (cell.style !== style) {
				out += style === '' ? `${escape}${cell.style}m` : `${escape}0${cell.style === '' ? '' : `;${cell.style}`}m`;
				style = cell.style;
			}

			out += cell.char;
		}

		if (style !== '') {
			out += `${escape}0m`;
		}

		cursor = end;
	}

	if (erase) {
		// After the last span the cursor is where the new line ends unless a span stopped short of it.
		out += cursor === after.length ? '' : `${escape}${row + 1};${after.length + 1}H`;
		out += `${escape}K`;
	}

	return Buffer.byteLength(out) < Buffer.byteLength(whole) ? out : whole;
}
