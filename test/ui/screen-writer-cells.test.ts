import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lineUpdate, wholeLine} from '../../source/ui/line-update.js';
import {parseCells, type Cell} from '../../source/ui/terminal-cells.js';

/**
 * A terminal as far as the screen writer drives it: absolute and forward cursor moves, erase line (to its end or all
 * of it), erase screen, SGR colours and one-cell characters. Each cell keeps its character and the SGR state in force.
 */
class ModelTerminal {
	grid: Cell[][];
	private row = 0;
	private column = 0;
	private style = '';

	constructor(readonly columns: number, readonly rows: number) {
		this.grid = Array.from({length: rows}, () => this.blankRow());
	}

	write(text: string): void {
		let index = 0;
		while (index < text.length) {
			const control = /^\u001B\[([\d;?]*)([A-Za-z])/.exec(text.slice(index));
			if (control) {
				this.control(control[1]!, control[2]!);
				index += control[0].length;
				continue;
			}

			assert.ok(this.column < this.columns, `no character is written past the last column (row ${this.row + 1})`);
			this.grid[this.row]![this.column] = {char: text[index]!, style: this.style};
			this.column++;
			index++;
		}
	}

	/** The screen's line as the cells a frame line parses into, blanks at the end dropped. */
	line(row: number): Cell[] {
		const cells = [...this.grid[row]!];
		while (cells.length > 0 && cells.at(-1)!.char === ' ' && cells.at(-1)!.style === '') {
			cells.pop();
		}

		return cells;
	}

	private blankRow(): Cell[] {
		return Array.from({length: this.columns}, () => ({char: ' ', style: ''}));
	}

	private control(parameters: string, command: string): void {
		const numbers = parameters.split(';').map(Number);
		if (command === 'H') {
			this.row = (numbers[0] || 1) - 1;
			this.column = (numbers[1] || 1) - 1;
		} else if (command === 'C') {
			this.column += numbers[0] || 1;
		} else if (command === 'K') {
			const from = parameters === '2' ? 0 : this.column;
			assert.equal(this.style, '', 'erasing with colours off, or the erased cells would take them');
			for (let column = from; column < this.columns; column++) {
				this.grid[this.row]![column] = {char: ' ', style: ''};
			}
		} else if (command === 'J') {
			this.grid = Array.from({length: this.rows}, () => this.blankRow());
		} else if (command === 'm') {
			// SGR adds to the state in force (parseCells keeps it the same way).
			const cells = parseCells(`\u001B[${this.style}m\u001B[${parameters}mx`);
			assert.ok(cells, `SGR ${parameters} after ${this.style}`);
			this.style = cells[0]!.style;
		} else if (command !== 'h' && command !== 'l') {
			assert.fail(`unexpected control ${parameters}${command}`);
		}
	}
}

/** What the line should look like on the screen: its cells, trailing blanks dropped. */
function expected(line: string): Cell[] {
	const cells = parseCells(line)!;
	while (cells.length > 0 && cells.at(-1)!.char === ' ' && cells.at(-1)!.style === '') {
		cells.pop();
	}

	return cells;
}

// A small deterministic random source: the same cases every run.
function random(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

const colours = ['', '\u001B[32m', '\u001B[1m', '\u001B[7m', '\u001B[2m', '\u001B[31m\u001B[1m', '\u001B[38;5;208m', '\u001B[90m'];

function randomLine(next: () => number, width: number): string {
	let line = '';
	let length = 0;
	const target = Math.floor(next() * (width + 1));
	while (length < target) {
		const colour = colours[Math.floor(next() * colours.length)]!;
		const text = Array.from({length: Math.min(target - length, 1 + Math.floor(next() * 12))}, () => 'ab 01:›─~#'[Math.floor(next() * 10)]).join('');
		line += colour === '' ? text : `${colour}${text}\u001B[0m`;
		length += text.length;
	}

	return line;
}

/** Changes a few characters of a line in place, as a ticking timer or a new counter does. */
function tick(next: () => number, line: string): string {
	return line.replace(/\u001B\[[\d;]*m|\d/g, text => (text.length > 1 || next() >= 0.3 ? text : String((Number(text) + 1) % 10)));
}

test('line update: whatever the two lines, the screen shows the new one exactly, colours included', () => {
	const next = random(15);
	const width = 40;
	const terminal = new ModelTerminal(width, 1);
	let shown = '';
	for (let step = 0; step < 3000; step++) {
		const line = next() < 0.5 ? tick(next, shown) : randomLine(next, width);
		terminal.write(lineUpdate(0, shown, line));
		assert.deepEqual(terminal.line(0), expected(line), `step ${step}: ${JSON.stringify(shown)} -> ${JSON.stringify(line)}`);
		shown = line;
	}
});

test('line update: a timer ticking in a table row sends the changed cells, not the row', () => {
	const before = '\u001B[7m›    0   #105   19727 \u001B[32mrunning\u001B[39m     3s   0.0%   3.1M step 105 of slot 0   \u001B[27m';
	const after = '\u001B[7m›    0   #105   19727 \u001B[32mrunning\u001B[39m     4s   0.0%   3.1M step 105 of slot 0   \u001B[27m';
	const update = lineUpdate(6, before, after);
	assert.equal(update, '\u001B[7;35H\u001B[7m4\u001B[0m', 'a cursor move and the one cell, in the row\'s colours');
	assert.ok(update.length < wholeLine(6, after).length / 5);
	const terminal = new ModelTerminal(80, 8);
	terminal.write(wholeLine(6, before));
	terminal.write(update);
	assert.deepEqual(terminal.line(6), expected(after));
});

test('line update: a line that is not plain cells (wide characters, other escapes) is rewritten whole', () => {
	assert.equal(lineUpdate(0, 'build 1 日本', 'build 2 日本'), wholeLine(0, 'build 2 日本'));
	assert.equal(lineUpdate(0, 'a \u001B]8;;http://x\u0007link', 'b \u001B]8;;http://x\u0007link'), wholeLine(0, 'b \u001B]8;;http://x\u0007link'));
});
