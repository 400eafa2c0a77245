import assert from 'node:assert/strict';
import {createServer, type Socket} from 'node:net';
import {join} from 'node:path';
import {test} from 'node:test';
import {daemonCommand} from '../../source/cli/daemon-commands.js';
import {NoDaemonError} from '../../source/daemon/control-client.js';
import {onCleanup} from '../helpers/cleanup.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('a daemon whose socket accepts but never answers (stopped with SIGSTOP): fatc status says once that it still waits, and goes on waiting', async t => {
	// What a SIGSTOPped daemon looks like from outside: the kernel accepts the connection, nobody reads or answers.
	const connections = new Set<Socket>();
	const silent = createServer(socket => {
		connections.add(socket);
	});
	const socket = join(temporaryFolder(t), 'silent.sock');
	await new Promise<void>(resolve => {
		silent.listen(socket, resolve);
	});
	onCleanup(t, () => {
		for (const connection of connections) {
			connection.destroy();
		}

		silent.close();
	});

	let printed = '';
	let errors = '';
	let settled = false;
	const status = daemonCommand(socket, 'status', [], {
		json: true,
		output: {write: (text: string) => (printed += text)},
		errors: {write: (text: string) => (errors += text)},
		slowAfter: 50,
	}).finally(() => {
		settled = true;
	});
	await waitFor(() => errors.length > 0, 'the notice that fatc still waits');
	assert.match(errors, new RegExp(`^fatc: no answer yet from the daemon at ${socket} after 0\\.05 s \\(stopped with SIGSTOP.*still waiting — Ctrl-C to give up\\n$`));
	assert.equal(settled, false, 'it still waits: a daemon that is only slow answers late');

	// The daemon goes away: the waiting ends with the usual error, and the notice was said once.
	for (const connection of connections) {
		connection.destroy();
	}

	await assert.rejects(status, NoDaemonError);
	assert.equal(printed, '');
	assert.equal(errors.match(/no answer yet/g)?.length, 1);
});
