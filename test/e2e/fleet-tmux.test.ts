import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath} from '../helpers/cli.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {skipWithoutSshd, sshClientCommand, startSshd} from '../helpers/sshd.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {tmuxServer} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * Issue 16: two daemons in one fleet table in a real terminal (tmux) — one on this machine by its config file, one
 * through a throwaway OpenSSH server and fatc proxy (ssh://). The one over ssh is SIGKILLed: its rows are marked
 * unreachable within 5 s while the other stays steerable (+ on its row, checked by its fatc status); started again
 * with fatc --detach, it is reconnected. q leaves both daemons running.
 */

const rowOf = (screen: string, pattern: RegExp) => screen.split('\n').find(line => pattern.test(line)) ?? '';

test('fleet view in tmux: a local daemon and one over ssh://; one killed is unreachable within 5 s, the other steerable; back, reconnected', {skip: skipWithoutSshd}, async t => {
	const local = await daemonFolder(t, {name: 'fleet-a', instances: 1});
	const remote = await daemonFolder(t, {name: 'fleet-b', instances: 1});
	for (const daemon of [local, remote]) {
		assert.equal((await daemon.fatc(['--detach'])).code, 0);
	}

	const ssh = temporaryFolder(t);
	// The server's fatc (FATC_REMOTE_FATC): the built CLI, as a login would find it on PATH.
	await writeIn(ssh, 'bin/fatc', `#!/bin/sh\nexec ${process.execPath} ${cliPath} "$@"\n`);
	execFileSync('chmod', ['+x', join(ssh, 'bin/fatc')]);
	const port = await startSshd(t, ssh);
	const url = `ssh://${userInfo().username}@127.0.0.1:${port}${remote.folder}`;

	const tmux = tmuxServer();
	onCleanup(t, () => {
		tmux.run('kill-server');
	});
	const fleet = await writeIn(ssh, 'fleet.yaml', `hosts:\n  - {address: ${join(local.folder, '.fatcontrollerrc')}, name: fleet-a}\n  - {address: "${url}", name: fleet-b}\n`);
	const environment = `FATC_ASCII=1 FATC_SSH_COMMAND='${sshClientCommand(ssh)}' FATC_REMOTE_FATC=${join(ssh, 'bin/fatc')}`;
	const command = `${environment} ${process.execPath} ${cliPath} fleet -f ${fleet}; exec sleep 600`;
	tmux.run('new-session', '-d', '-s', 'fatc', '-x', '100', '-y', '30', '-c', local.folder, command);

	// The start (node, Ink, ssh, fatc proxy there) may take a while on a loaded machine.
	await waitFor(() => /fleet-a +up since/.test(tmux.screen()) && /fleet-b +up since/.test(tmux.screen()), 'both hosts up', 60_000, () => tmux.screen());
	const hosts = await tmux.waitForScreen(text => /\+ work +2 hosts +2\/2\/2/.test(text), 'work on both hosts, collapsed');
	assert.match(hosts, /fleet \| 2 hosts \| 2 up \| 1 job \| 2 runs/);
	tmux.keys('Enter');
	await tmux.waitForScreen(text => /^ {4}work +fleet-a +1\/1\/1/m.test(text) && /^ {4}work +fleet-b +1\/1\/1/m.test(text), 'each host\'s row of work');

	const killedAt = Date.now();
	process.kill(remote.daemonPid()!, 'SIGKILL');
	const down = await tmux.waitForScreen(text => /^ {4}work +fleet-b +down/m.test(text) && /fleet-b +unreachable since \d\d:\d\d:\d\d/.test(text), 'fleet-b marked unreachable');
	// Marked within 5 s of the kill, by the time the view shows (the screen may come later on a loaded machine).
	const [hours, minutes, seconds] = /fleet-b +unreachable since (\d\d):(\d\d):(\d\d)/.exec(down)!.slice(1).map(Number);
	const since = new Date(killedAt).setHours(hours!, minutes, seconds, 0);
	assert.ok(since - killedAt <= 5000 && since - killedAt > -1000, `marked unreachable at ${new Date(since).toISOString()}, killed at ${new Date(killedAt).toISOString()}`);
	assert.match(rowOf(down, /- work +1 of 2/), /1 of 2 +1\/1\/1/, 'the totals count the host that answers');

	// The local daemon stays steerable: select its row, +.
	tmux.keys('j', '+');
	await tmux.waitForScreen(text => /^> {3}work +fleet-a +2\/2\/2/m.test(text), 'fleet-a scaled to 2');
	const status = JSON.parse((await local.fatc(['status', '--json'])).stdout) as Snapshot;
	assert.equal(status.jobs[0]!.instances, 2);

	assert.equal((await remote.fatc(['--detach'])).code, 0);
	await waitFor(() => /fleet-b +up since/.test(tmux.screen()) && /^ {4}work +fleet-b +1\/1\/1/m.test(tmux.screen()), 'fleet-b reconnected', 60_000, () => tmux.screen());
	await tmux.waitForScreen(text => /- work +2 hosts +3\/3\/3/.test(text), 'the totals of both again');

	tmux.keys('q');
	await tmux.waitForScreen(text => text.includes('left the fleet view; its 2 daemons go on running'), 'the leaving line');
	for (const daemon of [local, remote]) {
		assert.equal((await daemon.fatc(['status'])).code, 0, 'the daemon still runs');
	}
});
