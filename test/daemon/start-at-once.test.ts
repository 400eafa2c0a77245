import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import {openSession} from '../../source/daemon/open-session.js';
import {onCleanup} from '../helpers/cleanup.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

test('two TUIs opening one config at the same moment: one owns the daemon it started, the other attaches to it', async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	const configuration = await loadConfiguration({cwd: daemon.folder});
	// Both find no daemon and both start one: the one whose daemon loses the pid file must attach, not fail.
	const sessions = await Promise.all([openSession(configuration), openSession(configuration)]);
	onCleanup(t, () => {
		for (const session of sessions) {
			session.handle.close();
		}
	});
	assert.deepEqual(sessions.map(session => session.mode).sort(), ['attached', 'owned']);
	assert.equal(sessions[0].daemonPid, sessions[1].daemonPid, 'one daemon');
	await waitFor(() => sessions.every(session => session.handle.snapshot().jobs[0]!.workers.length === 1), 'both to see its run');

	const owner = sessions.find(session => session.mode === 'owned')!;
	const attached = sessions.find(session => session.mode === 'attached')!;
	owner.handle.close();
	await attached.handle.closed;
	await waitFor(() => !isAlive(owner.daemonPid), 'the owned daemon to stop with its owner', 15_000);
});
