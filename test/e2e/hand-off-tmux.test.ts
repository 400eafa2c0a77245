import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, runCli} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

const config = `name: handoff
runDir: ./run
jobs:
  sleeper:
    command: sleep
    args: ["300"]
    model: independent
    instances: 2
    stopTimeout: 5s
`;

test('D in the TUI hands every run off to the daemon with the same pids; fatc attach shows it again and q leaves it running', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const {run: tmux} = tmuxServer();
	const screen = (session: string) => tmux('capture-pane', '-p', '-t', session);
	const status = async () => JSON.parse((await runCli(['status', '--json'], {cwd: folder})).stdout) as Snapshot;
	onCleanup(t, async () => {
		await runCli(['stop'], {cwd: folder});
		tmux('kill-server');
	});

	tmux('new-session', '-d', '-s', 'first', '-x', '80', '-y', '24', '-c', folder, `${process.execPath} ${cliPath}; exec sleep 600`);
	await waitFor(() => /#2 /.test(screen('first')), 'two runs in the TUI', 20_000);
	const before = await status();
	const pids = before.jobs[0]!.workers.map(worker => worker.pid);
	assert.equal(pids.length, 2);

	tmux('send-keys', '-t', 'first', 'D');
	await waitFor(() => screen('first').includes('keeps every run going in the background'), 'the hand-off message', 20_000);
	assert.match(screen('first'), /Attach again with "fatc attach"/);
	const after = await status();
	assert.equal(after.pid, before.pid, 'the same daemon');
	assert.deepEqual(after.jobs[0]!.workers.map(worker => worker.pid), pids, 'every run kept its pid');

	tmux('new-session', '-d', '-s', 'second', '-x', '80', '-y', '24', '-c', folder, `${process.execPath} ${cliPath} attach; exec sleep 600`);
	await waitFor(() => screen('second').includes('Jobs (1)') && /#2 /.test(screen('second')), 'the attached TUI', 20_000);
	assert.match(screen('second'), new RegExp(`pid ${before.pid}`), 'it shows the same daemon');
	tmux('send-keys', '-t', 'second', 'q');
	await waitFor(() => screen('second').includes('is still running'), 'leaving the attached TUI', 20_000);
	assert.ok(isAlive(before.pid), 'q in an attached TUI leaves the daemon running');
	assert.deepEqual((await status()).jobs[0]!.workers.map(worker => worker.pid), pids);

	const stopped = await runCli(['stop'], {cwd: folder});
	assert.equal(stopped.code, 0);
	for (const pid of pids) {
		assert.equal(isAlive(pid!), false);
	}
});
