import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import {openSession} from '../../source/daemon/open-session.js';
import {onCleanup} from '../helpers/cleanup.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

test('an owned session stops every run when its TUI vanishes without handing off', async t => {
	const daemon = await daemonFolder(t, {instances: 2});
	const configuration = await loadConfiguration({cwd: daemon.folder});
	const session = await openSession(configuration);
	assert.equal(session.mode, 'owned');
	await waitFor(() => session.handle.snapshot().jobs[0]!.workers.filter(worker => worker.pid !== null).length === 2, 'two runs');
	const pids = session.handle.snapshot().jobs[0]!.workers.map(worker => worker.pid!);
	session.handle.close();
	await waitFor(() => !isAlive(session.daemonPid), 'the owned daemon to exit', 15_000);
	assert.ok(pids.every(pid => !isAlive(pid)), 'every run is gone');
});

test('a hand-off leaves every run going, same pids, under the daemon; a new session attaches to it', async t => {
	const daemon = await daemonFolder(t, {instances: 2});
	const configuration = await loadConfiguration({cwd: daemon.folder});
	const session = await openSession(configuration);
	await waitFor(() => session.handle.snapshot().jobs[0]!.workers.filter(worker => worker.pid !== null).length === 2, 'two runs');
	const pids = session.handle.snapshot().jobs[0]!.workers.map(worker => worker.pid);
	await session.handle.release();
	await session.handle.closed;

	const attached = await openSession(configuration);
	onCleanup(t, () => {
		attached.handle.close();
	});
	assert.equal(attached.mode, 'attached');
	assert.equal(attached.daemonPid, session.daemonPid);
	assert.deepEqual(attached.handle.snapshot().jobs[0]!.workers.map(worker => worker.pid), pids);
	assert.deepEqual(
		attached.handle.earlierEvents.filter(event => event.type === 'run-started').map(event => 'pid' in event && event.pid),
		pids,
		'an attached session shows the event lines from before it',
	);
	attached.handle.close();
	await attached.handle.closed;
	const status = await daemon.fatc(['status', '--json']);
	assert.equal(status.code, 0, 'leaving an attached session leaves the daemon running');
});
