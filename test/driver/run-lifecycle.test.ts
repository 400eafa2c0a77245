import assert from 'node:assert/strict';
import {chmodSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import {onCleanup} from '../helpers/cleanup.js';
import {fixture} from '../helpers/fixture.js';
import {isAlive, liveMembers} from '../helpers/processes.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {killAfter, readText, request, startWhenReady} from './helpers.js';

function driverFor(t: import('node:test').TestContext) {
	const driver = createProcessDriver();
	onCleanup(t, async () => driver.close());
	return driver;
}

test('the exit code of the leader is reported', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	for (const code of [0, 3, 64]) {
		const run = killAfter(t, driver.spawn(request(directory, fixture('exit-with.sh'), [String(code)])));
		assert.equal(typeof run.pid, 'number');
		assert.deepEqual(await run.exited, {code, signal: null});
	}
});

test('a leader killed by a signal reports the signal and no code', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', 'kill -USR1 $$'])));
	assert.deepEqual(await run.exited, {code: null, signal: 'SIGUSR1'});
});

test('a command missing from PATH resolves with a clear spawn error and no pid', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const run = driver.spawn(request(directory, 'fatc-no-such-command', []));
	assert.equal(run.pid, undefined);
	run.stop('SIGTERM', 10);
	assert.deepEqual(await run.exited, {code: null, signal: null, spawnError: 'command "fatc-no-such-command" not found on PATH'});
});

test('a file without execute permission resolves with a "not executable" spawn error', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const script = join(directory, 'plain.sh');
	writeFileSync(script, '#!/bin/sh\necho hi\n');
	chmodSync(script, 0o644);
	const run = driver.spawn(request(directory, script, []));
	assert.equal(run.pid, undefined);
	assert.deepEqual(await run.exited, {code: null, signal: null, spawnError: `command "${script}" is not executable`});
});

test('a missing working directory resolves with a spawn error naming it', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const missing = join(directory, 'gone');
	const run = driver.spawn({...request(directory, 'sh', ['-c', 'exit 0']), cwd: missing});
	assert.equal(run.pid, undefined);
	assert.deepEqual(await run.exited, {code: null, signal: null, spawnError: `working directory ${missing} does not exist`});
});

test('stop sends the signal to the whole group, grandchildren included, and nothing of the group remains', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	let grandchild: number | undefined;
	const run = killAfter(t, driver.spawn(request(directory, fixture('spawn-grandchild.sh'), ['wait'], {
		onLine(line) {
			grandchild = Number(/^grandchild (\d+)$/.exec(line)?.[1]);
		},
	})));
	await waitFor(() => grandchild !== undefined, 'the grandchild pid');
	assert.ok(isAlive(grandchild!));
	run.stop('SIGTERM', 10_000);
	const exit = await run.exited;
	assert.deepEqual(exit, {code: null, signal: 'SIGTERM'});
	assert.deepEqual(liveMembers(run.pid!), []);
	assert.equal(isAlive(grandchild!), false);
});

test('a run ignoring SIGTERM is SIGKILLed after the stop timeout, and exited waits for the empty group', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const run = await startWhenReady(t, driver, request(directory, fixture('ignore-sigterm.sh'), []));
	const stoppedAt = Date.now();
	run.stop('SIGTERM', 300);
	run.stop('SIGTERM', 10);
	const exit = await run.exited;
	assert.ok(Date.now() - stoppedAt >= 300, 'a second stop must not shorten the escalation');
	assert.deepEqual(exit, {code: null, signal: 'SIGKILL'});
	assert.deepEqual(liveMembers(run.pid!), []);
});

test('stop with SIGKILL kills at once even while a graceful stop is under way', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const run = await startWhenReady(t, driver, request(directory, fixture('ignore-sigterm.sh'), []));
	run.stop('SIGTERM', 60_000);
	run.stop('SIGKILL', 0);
	assert.deepEqual(await run.exited, {code: null, signal: 'SIGKILL'});
	assert.deepEqual(liveMembers(run.pid!), []);
});

test('a leader exiting first leaves no orphan: its group is stopped and exited reports the leader\'s code', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	let grandchild: number | undefined;
	const run = killAfter(t, driver.spawn(request(directory, fixture('spawn-grandchild.sh'), ['exit'], {
		onLine(line) {
			grandchild = Number(/^grandchild (\d+)$/.exec(line)?.[1]);
		},
	})));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.ok(grandchild !== undefined);
	assert.equal(isAlive(grandchild), false);
	assert.deepEqual(liveMembers(run.pid!), []);
});

test('a leftover ignoring the stop signal is SIGKILLed after stopTimeout before exited resolves', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const startedAt = Date.now();
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', 'trap "" TERM; sleep 1000 & exit 7'], {stopTimeout: 300})));
	assert.deepEqual(await run.exited, {code: 7, signal: null});
	assert.ok(Date.now() - startedAt >= 300);
	assert.deepEqual(liveMembers(run.pid!), []);
});

test('stop after the run ended is a harmless no-op', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const run = driver.spawn(request(directory, fixture('exit-with.sh'), ['0']));
	await run.exited;
	run.stop('SIGTERM', 10);
	run.stop('SIGKILL', 0);
	assert.deepEqual(await run.exited, {code: 0, signal: null});
});

test('a pipe held open by a process that left the group delays exited by a bounded grace only', async t => {
	const directory = temporaryFolder(t);
	const driver = driverFor(t);
	const pidFile = join(directory, 'escaped.pid');
	const script = `setsid -f sh -c 'echo $$ > "$1"; exec sleep 1000' sh "$1"; while [ ! -s "$1" ]; do sleep 0.01; done; echo leader-done`;
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', script, 'sh', pidFile])));
	const startedAt = Date.now();
	const exit = await run.exited;
	// The leader wrote the pid file before exiting; kill the escaped process even if an assertion fails.
	const escaped = Number(readText(pidFile));
	t.after(() => {
		process.kill(escaped, 'SIGKILL');
	});
	assert.deepEqual(exit, {code: 0, signal: null});
	assert.ok(Date.now() - startedAt < 5000);
	assert.ok(isAlive(escaped), 'the escaped process is not in the group, so it is not killed');
	await driver.close();
	assert.equal(readText(join(directory, 'run.log')), 'leader-done\n');
});
