import assert from 'node:assert/strict';
import {test} from 'node:test';
import {attachedTmux} from '../helpers/tmux.js';

/*
 * The history pane (h) and the DURATIONS sparkline in a real terminal (tmux) at 80×24 and 200×60, against a daemon:
 * the TUI asks for the history over the control socket.
 */

const config = `runDir: ./run
jobs:
  blinker:
    command: sh
    args: [-c, 'echo "blink $FATC_RUN"; sleep 0.$((FATC_RUN % 5))']
    sleep: 0
`;

for (const [columns, rows] of [[80, 24], [200, 60]] as const) {
	test(`fatc in tmux at ${columns}x${rows}: h shows the job's last runs, newest first; the sparkline of durations where it fits`, async t => {
		const {keys, waitForScreen} = await attachedTmux(t, {config, columns, rows, environment: 'LANG=C.UTF-8'});
		await waitForScreen(text => text.includes('Jobs (1)') && /blinker/.test(text), 'the jobs table');
		keys('h');
		// Five of them, whichever: on a loaded machine the TUI may come up after dozens of runs, and the pane shows the newest.
		const historyLines = (text: string) => text.split('\n').filter(line => /run \d+ +slot 0 +pid \d+/.test(line)).length;
		const shown = await waitForScreen(text => text.includes('History of blinker') && historyLines(text) >= 5, 'five runs in the history pane');
		const lines = shown.split('\n');
		assert.ok(lines.every(line => line.length <= columns), 'nothing wider than the terminal');
		const runs = lines.flatMap(line => /run (\d+) +slot 0 +pid \d+ +\S+ +done \(exit 0\) +"blink (\d+)"/.exec(line) ?? []);
		assert.ok(runs.length > 0, `history lines: ${shown}`);
		const numbers = lines.map(line => /run (\d+) +slot/.exec(line)?.[1]).filter(Boolean).map(Number);
		assert.deepEqual(numbers, [...numbers].sort((first, second) => second - first), 'newest first');
		const jobRow = lines.find(line => line.includes(' blinker ')) ?? '';
		if (columns >= 200) {
			assert.match(jobRow, /[▁▂▃▄▅▆▇█]{3,}/, 'a sparkline of the last durations');
		} else {
			assert.doesNotMatch(lines.find(line => line.includes('JOB')) ?? '', /DURATIONS/, 'the sparkline gives way at 80 columns');
		}

		keys('h');
		await waitForScreen(text => !text.includes('History of'), 'the event lines again');
	});
}
