import assert from 'node:assert/strict';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

const config = `name: site
runDir: ./run
jobs:
  sleeper:
    command: sleep
    args: ["300"]
    model: independent
    instances: 1
    stopTimeout: 5s
`;

test('D from a TUI started with -c in another folder prints attach and stop hints that work from that folder as written', async t => {
	const folder = temporaryFolder(t);
	const file = await writeIn(folder, 'site/jobs.yml', config);
	const elsewhere = path.join(folder, 'elsewhere');
	await mkdir(elsewhere);
	const {run: tmux} = tmuxServer();
	const screen = (session: string) => tmux('capture-pane', '-p', '-J', '-t', session);
	onCleanup(t, async () => {
		await runCli(['stop', '-c', file], {cwd: elsewhere});
		tmux('kill-server');
	});

	tmux('new-session', '-d', '-s', 'first', '-x', '200', '-y', '24', '-c', elsewhere, `${process.execPath} ${cliPath} -c ${file}; exec sleep 600`);
	await waitFor(() => /#1 /.test(screen('first')), 'a run in the TUI', 20_000);
	tmux('send-keys', '-t', 'first', 'D');
	await waitFor(() => screen('first').includes('keeps every run going in the background'), 'the hand-off message', 20_000);
	const hint = /Attach again with "fatc (attach[^"]*)"; stop it with "fatc (stop[^"]*)"/.exec(screen('first'));
	assert.ok(hint, screen('first'));
	assert.equal(hint[1], `attach -c ${file}`);
	assert.equal(hint[2], `stop -c ${file}`);

	tmux('new-session', '-d', '-s', 'second', '-x', '200', '-y', '24', '-c', elsewhere, `${process.execPath} ${cliPath} ${hint[1]}; exec sleep 600`);
	await waitFor(() => /#1 /.test(screen('second')), 'the hinted attach to show the run', 20_000);
	tmux('send-keys', '-t', 'second', 'q');
	await waitFor(() => screen('second').includes('is still running'), 'leaving the attached TUI', 20_000);
	assert.match(screen('second'), new RegExp(`Attach again with "fatc attach -c ${file}"`));

	const stopped = await runCli(hint[2].split(' '), {cwd: elsewhere});
	assert.equal(stopped.code, 0, stopped.stderr);
	assert.match(stopped.stdout, /stopped; every run is gone/);
});
