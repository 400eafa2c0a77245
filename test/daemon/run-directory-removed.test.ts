import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive, killIfStill, seeProcess} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

// logind removes $XDG_RUNTIME_DIR (the default runDir's parent) at a user's last logout unless lingering is on; /tmp
// cleaners remove old files. A detached daemon outlives both (keep-run-directory.ts).

async function statusOf(fatc: (args: string[]) => Promise<{code: number | null; stdout: string}>): Promise<Snapshot | undefined> {
	const result = await fatc(['status', '--json']);
	return result.code === 0 ? JSON.parse(result.stdout) as Snapshot : undefined;
}

/** Waits until `fatc status` reaches a daemon again; its snapshot. */
async function statusOnceReachable(fatc: (args: string[]) => Promise<{code: number | null; stdout: string}>, description: string): Promise<Snapshot> {
	let snapshot: Snapshot | undefined;
	await waitFor(async () => {
		snapshot = await statusOf(fatc);
		return snapshot !== undefined;
	}, description);
	return snapshot!;
}

/** A detached daemon with `instances` runs under way: the folder, its first snapshot and the runs' pids. */
async function detachedWithRuns(t: TestContext, instances: number) {
	const daemon = await daemonFolder(t, {instances});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	await daemon.runsUnderWay(instances);
	const snapshot = (await statusOf(daemon.fatc))!;
	return {daemon, snapshot, runs: snapshot.jobs[0]!.workers.map(worker => worker.pid!)};
}

test('a daemon whose runDir was removed makes its pid file, socket and run registry again: fatc status reaches it, a second --detach is refused', async t => {
	const {daemon, snapshot: before, runs} = await detachedWithRuns(t, 2);
	rmSync(join(daemon.folder, 'run'), {recursive: true, force: true});

	const after = await statusOnceReachable(daemon.fatc, 'fatc status to reach the daemon again');
	assert.equal(after.pid, before.pid);
	// The same runs, untouched.
	assert.deepEqual(after.jobs[0]!.workers.map(worker => worker.pid).sort(), [...runs].sort());
	assert.equal(readFileSync(daemon.pidFile, 'utf8').trim(), String(before.pid));
	await waitFor(() => existsSync(join(daemon.folder, 'run/testd.runs')), 'the run registry to be written again');
	const registry = readFileSync(join(daemon.folder, 'run/testd.runs'), 'utf8');
	for (const pid of runs) {
		assert.match(registry, new RegExp(`^\\+ ${pid} work \\d+$`, 'm'), 'the runs under way are in the registry again, for a fatc started after a SIGKILL');
	}

	const second = await daemon.fatc(['--detach']);
	assert.equal(second.code, 1);
	assert.match(second.stderr, /already runs \(pid \d+\)/);
	const log = readFileSync(join(daemon.folder, 'logs/testd.daemon.log'), 'utf8');
	assert.match(log, /run\/testd\.pid, .*run\/testd\.sock, .*run\/testd\.runs removed by someone else .*: made again/);
});

test('a second --detach while the first one\'s files are gone is refused when its runs show it alive; the first makes them again and goes on', async t => {
	const {daemon, snapshot: first, runs} = await detachedWithRuns(t, 2);
	onCleanup(t, () => {
		process.kill(first.pid, 'SIGCONT');
	});
	// Held still, so that the second one starts before this one's next look at its runDir.
	process.kill(first.pid, 'SIGSTOP');
	rmSync(join(daemon.folder, 'run'), {recursive: true, force: true});
	const second = await daemon.fatc(['--detach']);
	process.kill(first.pid, 'SIGCONT');
	assert.equal(second.code, 1);
	assert.match(second.stderr, new RegExp(`already runs \\(pid ${first.pid}\\), though its pid file and socket .* were removed`));

	const after = await statusOnceReachable(daemon.fatc, 'fatc status to reach the first daemon again');
	assert.equal(after.pid, first.pid);
	assert.deepEqual(after.jobs[0]!.workers.map(worker => worker.pid).sort(), [...runs].sort());
	assert.ok(runs.every(pid => isAlive(pid)), 'its runs were not touched');
	assert.doesNotMatch(readFileSync(join(daemon.folder, 'logs/testd.daemon.log'), 'utf8'), /left by a fatc that was killed|killed \d+ processes that|another fatc/);
});

test('a fatc whose pid file another live fatc took while it was gone stops its runs as on SIGTERM and leaves that fatc\'s pid file, socket and registry alone', async t => {
	const {daemon, snapshot: first, runs} = await detachedWithRuns(t, 2);
	const seenDaemon = seeProcess(first.pid);
	const seenRuns = runs.map(run => seeProcess(run));
	// Another fatc, as the pid file sees one (a live process whose command line says fatc), holding it now: what a fatc
	// started while this one's pid file was gone and its runs between two starts (nothing to tell it by) looks like.
	const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'fatc-other'], {stdio: 'ignore'});
	const otherSocket = createServer();
	// Before the helper's cleanup, which runs `fatc stop` while the pid file names a live process: the other must be
	// dead (not only sent SIGKILL: under load it lives on for a while) and its socket closed, or that stop waits forever
	// for an answer from a socket that never gives one.
	onCleanup(t, async () => {
		otherSocket.close();
		if (other.exitCode === null && other.signalCode === null) {
			const exited = once(other, 'exit');
			other.kill('SIGKILL');
			await exited;
		}

		// Gone, as they should be, unless the test failed: then whatever still is the daemon and its runs' groups.
		killIfStill(seenDaemon);
		for (const run of seenRuns) {
			killIfStill(run, {group: true});
		}
	});
	await waitFor(() => /fatc-other/.test(readFileSync(`/proc/${other.pid!}/cmdline`, 'latin1')), 'the other fatc to be there');
	// The other's socket, listening before it is moved into place with the rest in one go.
	const listening = join(daemon.folder, 'other.sock');
	await new Promise<void>(resolve => {
		otherSocket.listen(listening, resolve);
	});
	const registry = join(daemon.folder, 'run/testd.runs');
	rmSync(join(daemon.folder, 'run'), {recursive: true, force: true});
	mkdirSync(join(daemon.folder, 'run'), {mode: 0o700});
	writeFileSync(daemon.pidFile, `${other.pid!}\n`);
	renameSync(listening, daemon.socket);
	writeFileSync(registry, '');

	await waitFor(() => !isAlive(first.pid), 'the first fatc to give way and exit');
	assert.ok(runs.every(pid => !isAlive(pid)), 'its runs are gone with it');
	assert.equal(readFileSync(daemon.pidFile, 'utf8').trim(), String(other.pid), 'the other\'s pid file is left alone');
	assert.ok(statSync(daemon.socket).isSocket(), 'the other\'s socket is left alone');
	assert.ok(existsSync(registry), 'the other\'s run registry is left alone');
	const log = readFileSync(join(daemon.folder, 'logs/testd.daemon.log'), 'utf8');
	assert.match(log, new RegExp(`another fatc \\(pid ${other.pid!}\\) took .*testd\\.pid while this one's was gone`));
	for (const pid of runs) {
		assert.match(log, new RegExp(`\\(pid ${pid}\\) stopping \\(shutdown\\)`));
	}
});

test('a runDir whose parent was removed too waits for the parent (logind makes /run/user/UID at the next login): said once, then made again', async t => {
	const daemon = await daemonFolder(t, {instances: 1, runDir: 'runtime/fatc'});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	await daemon.runsUnderWay(1);
	const {pid} = (await statusOf(daemon.fatc))!;
	onCleanup(t, () => {
		// Should the parent never come back, the daemon is unreachable by `fatc stop`.
		try {
			process.kill(pid, 'SIGTERM');
		} catch {
			// Stopped by the helper's cleanup already.
		}
	});
	rmSync(join(daemon.folder, 'runtime'), {recursive: true, force: true});
	const log = () => readFileSync(join(daemon.folder, 'logs/testd.daemon.log'), 'utf8');
	await waitFor(() => /cannot be made again \(ENOENT\)/.test(log()), 'the daemon to say it cannot make its runDir again');
	assert.equal(existsSync(join(daemon.folder, 'runtime')), false, 'the parent is not made by fatc');
	assert.equal(await statusOf(daemon.fatc), undefined);

	mkdirSync(join(daemon.folder, 'runtime'));
	const after = await statusOnceReachable(daemon.fatc, 'fatc status to reach the daemon once the parent is back');
	assert.equal(after.pid, pid);
	assert.equal(log().match(/cannot be made again/g)?.length, 1, 'said once, not every second');
	assert.match(log(), /: made again/);
});
