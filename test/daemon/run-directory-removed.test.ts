import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

// logind removes $XDG_RUNTIME_DIR (the default runDir's parent) at a user's last logout unless lingering is on; /tmp
// cleaners remove old files. A detached daemon outlives both (keep-run-directory.ts).

async function statusOf(fatc: (args: string[]) => Promise<{code: number | null; stdout: string}>): Promise<Snapshot | undefined> {
	const result = await fatc(['status', '--json']);
	return result.code === 0 ? JSON.parse(result.stdout) as Snapshot : undefined;
}

test('a daemon whose runDir was removed makes its pid file, socket and run registry again: fatc status reaches it, a second --detach is refused', async t => {
	const daemon = await daemonFolder(t, {instances: 2});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	await daemon.runsUnderWay(2);
	const before = (await statusOf(daemon.fatc))!;
	const runs = before.jobs[0]!.workers.map(worker => worker.pid!);
	rmSync(join(daemon.folder, 'run'), {recursive: true, force: true});

	let after: Snapshot | undefined;
	await waitFor(async () => {
		after = await statusOf(daemon.fatc);
		return after !== undefined;
	}, 'fatc status to reach the daemon again');
	assert.equal(after!.pid, before.pid);
	// The same runs, untouched.
	assert.deepEqual(after!.jobs[0]!.workers.map(worker => worker.pid).sort(), [...runs].sort());
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

test('when another fatc took the pid file while this one\'s was gone, this one stops its own runs and leaves the other\'s and its files alone', async t => {
	const daemon = await daemonFolder(t, {instances: 2});
	assert.equal((await daemon.fatc(['--detach'])).code, 0);
	await daemon.runsUnderWay(2);
	const first = (await statusOf(daemon.fatc))!;
	const firstRuns = first.jobs[0]!.workers.map(worker => worker.pid!);
	onCleanup(t, () => {
		for (const pid of [first.pid, ...firstRuns.map(run => -run)]) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Gone, as it should be.
			}
		}
	});
	// Held still, so that the second one starts before this one's next look at its runDir.
	process.kill(first.pid, 'SIGSTOP');
	rmSync(join(daemon.folder, 'run'), {recursive: true, force: true});
	const started = await daemon.fatc(['--detach']);
	process.kill(first.pid, 'SIGCONT');
	assert.equal(started.code, 0, started.stderr);

	await waitFor(() => !isAlive(first.pid), 'the first fatc to give way and exit');
	assert.ok(firstRuns.every(pid => !isAlive(pid)), 'its runs are gone with it');
	await daemon.runsUnderWay(4);
	const second = (await statusOf(daemon.fatc))!;
	assert.notEqual(second.pid, first.pid);
	assert.equal(readFileSync(daemon.pidFile, 'utf8').trim(), String(second.pid));
	assert.ok(existsSync(daemon.socket) && existsSync(join(daemon.folder, 'run/testd.runs')), 'the second fatc\'s socket and registry are still there');
	const log = readFileSync(join(daemon.folder, 'logs/testd.daemon.log'), 'utf8');
	assert.match(log, new RegExp(`another fatc \\(pid ${second.pid}\\) took .*testd\\.pid while this one's was gone`));
	// The first one stopped its runs as a shutdown does; neither killed the other's as leftovers or escaped processes.
	for (const pid of firstRuns) {
		assert.match(log, new RegExp(`\\(pid ${pid}\\) stopping \\(shutdown\\)`));
	}

	assert.doesNotMatch(log, /left by a fatc that was killed|killed \d+ processes that/);
	assert.equal(second.jobs[0]!.workers.filter(worker => typeof worker.pid === 'number' && isAlive(worker.pid)).length, 2, 'the second one\'s runs were never touched');
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
	let after: Snapshot | undefined;
	await waitFor(async () => {
		after = await statusOf(daemon.fatc);
		return after !== undefined;
	}, 'fatc status to reach the daemon once the parent is back');
	assert.equal(after!.pid, pid);
	assert.equal(log().match(/cannot be made again/g)?.length, 1, 'said once, not every second');
	assert.match(log(), /: made again/);
});
