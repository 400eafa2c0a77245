import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

const config = `name: lines
runDir: ./run
jobs:
  sleeper:
    command: sleep
    args: ["300"]
`;

test("the daemon's log has a line for each TUI that attaches or leaves, and for a hand-off (D)", async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const {run: tmux} = tmuxServer();
	const screen = (session: string) => tmux('capture-pane', '-p', '-t', session);
	const daemonLog = () => {
		try {
			return readFileSync(join(folder, 'logs/lines.daemon.log'), 'utf8');
		} catch {
			return '';
		}
	};

	onCleanup(t, async () => {
		await runCli(['stop'], {cwd: folder});
		tmux('kill-server');
	});

	tmux('new-session', '-d', '-s', 'first', '-x', '80', '-y', '24', '-c', folder, `${process.execPath} ${cliPath}; exec sleep 600`);
	await waitFor(() => /#1 /.test(screen('first')), 'the run in the TUI', 20_000);
	await waitFor(() => daemonLog().includes('a TUI attached (1 TUI attached)'), 'the first TUI in the log', 10_000, daemonLog);
	tmux('send-keys', '-t', 'first', 'D');
	await waitFor(() => daemonLog().includes('a TUI detached (0 TUIs attached)'), 'the hand-off in the log', 20_000, daemonLog);
	assert.match(daemonLog(), /handed off: the TUI that started this fatc left it running \(1 TUI attached\)/);

	tmux('new-session', '-d', '-s', 'second', '-x', '80', '-y', '24', '-c', folder, `${process.execPath} ${cliPath} attach; exec sleep 600`);
	await waitFor(() => /#1 /.test(screen('second')), 'the attached TUI', 20_000);
	tmux('send-keys', '-t', 'second', 'q');
	await waitFor(() => (daemonLog().match(/a TUI detached \(0 TUIs attached\)/g) ?? []).length === 2, 'the attached TUI leaving, in the log', 20_000, daemonLog);
	const lines = daemonLog().split('\n').filter(line => /TUI/.test(line)).map(line => line.replace(/^\S+ /, ''));
	assert.deepEqual(lines.map(line => line.replace(/: the TUI that started.*$/, '')), [
		'fatc a TUI attached (1 TUI attached)',
		'fatc handed off',
		'fatc a TUI detached (0 TUIs attached)',
		'fatc a TUI attached (1 TUI attached)',
		'fatc a TUI detached (0 TUIs attached)',
	]);
});
