import assert from 'node:assert/strict';
import {readFileSync, renameSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {killOnCleanup, startCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('fatc run says once when the crash-loop back-off stretches the wait after errors, and once when it ends', async t => {
	const folder = temporaryFolder(t);
	// Six quick errors, then done; the back-off doubles from 50 ms from the second quick error on: past 100ms at the fourth.
	await writeIn(folder, '.fatcontrollerrc', `jobs:
  flaky:
    command: sh
    args: [-c, 'n=$(cat count 2>/dev/null || echo 0); n=$((n + 1)); echo $n > count; [ $n -gt 6 ]']
    sleepOnError: 100ms
    sleep: 1h
`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => cli.output().includes('run 7 ended: done'), 'the seventh run to be done', 20_000, cli.output);
	await waitFor(() => cli.output().includes('back-off ended'), 'the end of the back-off', 10_000, cli.output);
	const lines = cli.output().split('\n').filter(line => line.includes('back')).map(line => line.replace(/^\S+ /, ''));
	assert.deepEqual(lines, [
		'flaky backing off 200ms after 4 quick errors in a row (runs failing within a second wait longer each time)',
		'flaky back-off ended after 6 quick errors: 100ms after an error again',
	]);
	const order = ['run 4 ended: error', 'backing off', 'run 5 started', 'run 7 ended: done', 'back-off ended'].map(text => cli.output().indexOf(text));
	assert.deepEqual(order, order.toSorted((first, second) => first - second), cli.output());
});

test('SIGUSR1 only reopens the log files, with a line saying so; SIGHUP reopens them and reloads the config', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `jobs:\n  ticker:\n    command: sh\n    args: [-c, 'echo "tick $FATC_RUN"']\n    model: fixed\n    sleep: 100ms\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => readLog(folder).includes('tick 2'), 'two ticks in the log');
	renameSync(join(folder, 'logs/ticker.log'), join(folder, 'logs/ticker.log.1'));
	cli.child.kill('SIGUSR1');
	await waitFor(() => cli.output().includes('fatc log files reopened (SIGUSR1)'), 'the reopen line');
	await waitFor(() => readLog(folder).includes('tick'), 'a tick in the new log file');
	cli.child.kill('SIGHUP');
	await waitFor(() => cli.output().includes('config reloaded'), 'the reload after SIGHUP', 10_000, cli.output);
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	const lines = cli.output().split('\n').filter(line => /reopened|reloaded/.test(line)).map(line => line.replace(/^\S+ /, ''));
	assert.deepEqual(lines, ['fatc log files reopened (SIGUSR1)', 'fatc log files reopened (SIGHUP)', 'fatc config reloaded: 0 changed, 0 added, 0 removed']);
	assert.match(readFileSync(join(folder, 'logs/ticker.log.1'), 'utf8'), /^tick 1\ntick 2\n/);
});

function readLog(folder: string): string {
	try {
		return readFileSync(join(folder, 'logs/ticker.log'), 'utf8');
	} catch {
		return '';
	}
}
