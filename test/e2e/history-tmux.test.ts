import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

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
		const folder = temporaryFolder(t);
		await writeIn(folder, '.fatcontrollerrc', config);
		const name = `fatc-test-${randomBytes(4).toString('hex')}`;
		const tmux = (...args: string[]) => execFileSync('tmux', ['-L', name, '-f', '/dev/null', ...args], {encoding: 'utf8'});
		const screen = () => tmux('capture-pane', '-p', '-t', 'fatc');
		onCleanup(t, async () => {
			tmux('kill-server');
			await runCli(['stop'], {cwd: folder});
		});
		assert.equal((await runCli(['--detach'], {cwd: folder})).code, 0);
		tmux('new-session', '-d', '-s', 'fatc', '-x', String(columns), '-y', String(rows), '-c', folder, `LANG=C.UTF-8 ${process.execPath} ${cliPath} attach; exec sleep 600`);
		const waitForScreen = async (condition: (text: string) => boolean, description: string) => {
			await waitFor(() => condition(screen()), description, 20_000, () => `the screen:\n${screen()}`);
			return screen();
		};

		await waitForScreen(text => text.includes('Jobs (1)') && /blinker/.test(text), 'the jobs table');
		tmux('send-keys', '-t', 'fatc', 'h');
		const shown = await waitForScreen(text => text.includes('History of blinker') && /run 5 /.test(text), 'five runs in the history pane');
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

		tmux('send-keys', '-t', 'fatc', 'h');
		await waitForScreen(text => !text.includes('History of'), 'the event lines again');
	});
}
