import assert from 'node:assert/strict';
import {test} from 'node:test';
import {killOnCleanup, runCli, startCli, startedPids} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

const quietJob = 'jobs:\n  worker:\n    command: sleep\n    args: ["1000"]\n    model: independent\n    instances: 2\n';

test('fatc run whose stdout reader is gone stops every run gracefully and exits 141, as if killed by SIGPIPE', {timeout: 30_000}, async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', quietJob);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => startedPids(cli.output()).length === 2, 'both runs to start');
	const runs = startedPids(cli.output());
	// The reader goes away while the runs say nothing: no write fails, the closed pipe itself must be noticed.
	cli.child.stdout!.destroy();
	assert.equal(await cli.exited, 141, cli.errors());
	for (const pid of runs) {
		assert.equal(isAlive(pid), false, `run ${pid} is gone`);
	}
});

test('fatc run --keep-on-hangup runs on when its stdout reader is gone', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', quietJob);
	const cli = startCli(['run', '--keep-on-hangup'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => startedPids(cli.output()).length === 2, 'both runs to start');
	const runs = startedPids(cli.output());
	cli.child.stdout!.destroy();
	// A scale makes fatc write lines into the closed pipe (EPIPE), and it still does what it is told.
	assert.equal((await runCli(['scale', 'worker', '3'], {cwd: folder})).code, 0);
	const status = async () => (await runCli(['status'], {cwd: folder})).stdout;
	await waitFor(async () => /3\/3\/3\s+running/.test(await status()), 'the third run to start after the output is gone');
	assert.ok(runs.every(pid => isAlive(pid)), 'the first runs still run');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});
