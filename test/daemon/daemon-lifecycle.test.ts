import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive} from '../helpers/processes.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {waitFor} from '../helpers/wait-for.js';

test('detach → status → scale → stop: the daemon answers, obeys, and leaves no process behind', async t => {
	const daemon = await daemonFolder(t, {instances: 2});
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
	assert.match(started.stdout, /fatc daemon "testd" started: pid (\d+), socket .*run\/testd\.sock/);
	await daemon.runsUnderWay(2);

	const status = await daemon.fatc(['status', '--json']);
	assert.equal(status.code, 0, status.stderr);
	const snapshot = JSON.parse(status.stdout) as Snapshot;
	assert.equal(snapshot.name, 'testd');
	assert.equal(snapshot.pid, daemon.daemonPid());
	const [job] = snapshot.jobs;
	assert.equal(job!.name, 'work');
	assert.equal(job!.instances, 2);
	assert.deepEqual(job!.workers.map(worker => worker.slot), [0, 1]);
	const pids = job!.workers.map(worker => worker.pid!);

	const scaled = await daemon.fatc(['scale', 'work', '3']);
	assert.equal(scaled.code, 0, scaled.stderr);
	await daemon.runsUnderWay(3);
	const text = await daemon.fatc(['status']);
	assert.match(text.stdout, /work\s+independent\s+3\/3\/3\s+running/);

	const stopped = await daemon.fatc(['stop']);
	assert.equal(stopped.code, 0, stopped.stderr);
	assert.match(stopped.stdout, /stopped; every run is gone/);
	for (const pid of pids) {
		assert.equal(isAlive(pid), false, `run ${pid} is gone`);
	}

	assert.equal(isAlive(snapshot.pid), false, 'the daemon is gone');
	assert.throws(() => statSync(daemon.pidFile), /ENOENT/, 'the pid file is removed');
	assert.throws(() => statSync(daemon.socket), /ENOENT/, 'the socket is removed');
	assert.ok(maxConcurrentRuns(readRunRecords(daemon.records)) <= 3);
	assert.equal((await daemon.fatc(['status'])).code, 3, 'status exits 3 once no daemon runs');
});

test('a second daemon of the same name is refused and the first one\'s pid file stays intact', async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	const before = readFileSync(daemon.pidFile, 'utf8');
	const second = await daemon.fatc(['--detach']);
	assert.equal(second.code, 1);
	assert.match(second.stderr, /fatc daemon "testd" already runs \(pid \d+\)/);
	assert.equal(readFileSync(daemon.pidFile, 'utf8'), before);
	assert.equal((await daemon.fatc(['status'])).code, 0, 'the first daemon still answers');
});

test('a stale pid file and socket from a dead daemon are replaced', async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	const first = daemon.daemonPid()!;
	process.kill(first, 'SIGKILL');
	await waitFor(() => !isAlive(first), 'the daemon to die');
	assert.ok(statSync(daemon.socket).isSocket(), 'the dead daemon left its socket');
	writeFileSync(daemon.pidFile, `${first}\n`);
	const again = await daemon.fatc(['--detach']);
	assert.equal(again.code, 0, again.stderr);
	assert.notEqual(daemon.daemonPid(), first);
});

test('the run folder is 0700 and the control socket 0600: only the owner may steer the daemon', async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	assert.equal(statSync(daemon.socket).mode & 0o777, 0o600);
	assert.equal(statSync(`${daemon.folder}/run`).mode & 0o777, 0o700);
});

test('another user cannot connect to the control socket: not through the 0700 folder, nor to the 0600 socket itself', {skip: process.getuid?.() === 0 ? false : 'needs root, to connect as another user'}, async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	// The temporary folder itself is 0700: open it, so that only fatc's own permissions stand in the way.
	chmodSync(daemon.folder, 0o755);
	const connectAsNobody = () => execFileSync(process.execPath, ['-e', `
		require('node:net').connect(${JSON.stringify(daemon.socket)})
			.on('connect', () => { console.log('connected'); process.exit(0); })
			.on('error', error => { console.log(error.code); process.exit(0); });
	`], {uid: 65_534, gid: 65_534, encoding: 'utf8'}).trim();
	assert.equal(connectAsNobody(), 'EACCES', 'the 0700 run folder keeps other users out');
	chmodSync(`${daemon.folder}/run`, 0o755);
	assert.equal(connectAsNobody(), 'EACCES', 'and the 0600 socket, should the folder be opened');
	chmodSync(`${daemon.folder}/run`, 0o700);
	assert.equal((await daemon.fatc(['status'])).code, 0, 'the owner still steers it');
});

test('without a daemon, the client commands exit 3 and say how to start one', async t => {
	const daemon = await daemonFolder(t);
	for (const command of [['status'], ['stop'], ['reload'], ['scale', 'work', '2'], ['pause', 'work']]) {
		const result = await daemon.fatc(command);
		assert.equal(result.code, 3, `${command.join(' ')}: ${result.stderr}`);
		assert.match(result.stderr, /no fatc daemon answers on .*testd\.sock; start one with "fatc --detach"/);
	}
});
