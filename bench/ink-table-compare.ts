/**
 * The runs table drawn by fatc's own Table and by @alcalzone/ink-table (issue 15 item 14), not a test:
 * `NODE_ENV=production node --import tsx bench/ink-table-compare.ts`. Both get the visible page only (8 of 1,000 runs)
 * at 80 columns, with cells already fitted to the same widths (ink-table sizes columns by their longest cell and has
 * no drop order, flex column or truncation of its own), and a new snapshot each frame (every TIME cell moves). Figures:
 * render time per frame (median, p95), lines per frame, and bytes per frame through the screen writer's line diff.
 */
import {EventEmitter} from 'node:events';
import {Table as InkTable} from '@alcalzone/ink-table';
import {render, Text} from 'ink';
import {createElement, type ReactElement} from 'react';
import type {WorkerSnapshot} from '../source/core/snapshot.js';
import {fitColumns} from '../source/ui/columns.js';
import {fit} from '../source/ui/format-cells.js';
import {lineUpdate} from '../source/ui/line-update.js';
import {runColumns} from '../source/ui/runs-columns.js';
import {Table} from '../source/ui/table.js';
import {epoch, makeWorkers} from '../test/helpers/stub-handle.js';

class FakeTerminal extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 24;
	frames: string[] = [];
	write(frame: string): boolean {
		this.frames.push(frame);
		return true;
	}
}

const workers: WorkerSnapshot[] = makeWorkers(1000).map((worker, index) => ({...worker, startedAt: epoch - index * 1700, cpuPercent: 1.5, memoryBytes: 3_000_000}));
const page = workers.slice(0, 8);

function own(takenAt: number): ReactElement {
	return createElement(Table<WorkerSnapshot>, {title: 'Runs of churn', columns: runColumns(takenAt), rows: page, total: workers.length, rowKey: worker => worker.slot, selectedIndex: 0, height: 8, width: 80, focused: true, empty: 'no runs'});
}

/** The same page through ink-table: the marker as a column, cells pre-fitted (its padding of 1 each side is extra). */
function inkTable(takenAt: number): ReactElement {
	const columns = runColumns(takenAt);
	// Its cells take 3 columns more each (padding both sides and a border): fit to what is left of 80.
	const fitted = fitColumns(columns, 80 - (columns.length + 1) * 2 - 4);
	const data = page.map((worker, index) => Object.fromEntries([
		[' ', index === 0 ? '>' : ' '],
		...fitted.map(column => [column.title, fit(column.cell(worker), column.width, column.align, '~')]),
	]));
	return createElement(InkTable<Record<string, string>>, {data});
}

async function measure(label: string, element: (takenAt: number) => ReactElement): Promise<void> {
	const terminal = new FakeTerminal();
	const instance = render(createElement(Text, null, ''), {stdout: terminal as unknown as NodeJS.WriteStream, debug: true, patchConsole: false, exitOnCtrlC: false});
	const times: number[] = [];
	let bytes = 0;
	for (let index = 0; index < 300; index++) {
		const before = terminal.frames.length;
		const start = performance.now();
		instance.rerender(element(epoch + index * 1000)); // a second a frame: every TIME cell changes
		while (terminal.frames.length === before) {
			await new Promise(resolve => setImmediate(resolve));
		}

		times.push(performance.now() - start);
		const [previous, next] = [terminal.frames.at(-2)?.split('\n') ?? [], terminal.frames.at(-1)!.split('\n')];
		if (index >= 100) {
			bytes += next.reduce((sum, line, row) => sum + (line === previous[row] ? 0 : Buffer.byteLength(lineUpdate(row, previous[row] ?? '', line))), 0);
		}
	}

	const lines = terminal.frames.at(-1)!.split('\n');
	instance.unmount();
	const sorted = times.slice(100).sort((first, second) => first - second);
	const at = (fraction: number) => sorted[Math.floor(sorted.length * fraction)]!.toFixed(2);
	console.log(`${label}: ${at(0.5)} ms a frame (p95 ${at(0.95)} ms), ${lines.length} lines for 8 runs, widest ${Math.max(...lines.map(line => line.replace(/\u001B\[[\d;]*m/g, '').length))} columns, ${(bytes / 200).toFixed(0)} bytes a frame to the terminal`);
	console.log(lines.slice(0, 5).map(line => `    ${line.replace(/\u001B\[[\d;]*m/g, '')}`).join('\n'));
}

for (let round = 0; round < 2; round++) {
	await measure('own Table', own);
	await measure('@alcalzone/ink-table', inkTable);
}

process.exit(0);
