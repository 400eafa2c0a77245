import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, startedPids} from '../helpers/cli.js';
import {isAlive, killIfStill, seeProcess} from '../helpers/processes.js';
import {skipWithoutSshd, startSshd} from '../helpers/sshd.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('fatc over ssh without a terminal: once the client is gone, every run and fatc itself stop', {skip: skipWithoutSshd}, async t => {
	const folder = temporaryFolder(t);
	const app = join(folder, 'app');
	// Quiet runs: fatc writes nothing after the start, so it must notice the closed pipe without a failing write.
	await writeIn(app, '.fatcontrollerrc', 'jobs:\n  worker:\n    command: sleep\n    args: ["1000"]\n    model: independent\n    instances: 2\n');
	// `fatc` on the session's PATH, exec'd so that the pid fatc prints is the process to watch.
	await writeIn(folder, 'bin/fatc', `#!/bin/sh\nexec ${process.execPath} ${cliPath} "$@"\n`);
	execFileSync('chmod', ['+x', join(folder, 'bin/fatc')]);
	const port = await startSshd(t, folder);

	const client = spawn('ssh', [
		'-i', join(folder, 'user-key'), '-p', String(port), '-T',
		'-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR',
		`${userInfo().username}@127.0.0.1`,
		`cd ${app} && XDG_RUNTIME_DIR=${app} PATH=${folder}/bin:$PATH fatc`,
	], {stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	client.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	client.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	onCleanup(t, () => {
		client.kill('SIGKILL');
	});
	// An ssh login, its shell's start-up files and a node start: a minute on a loaded machine is not too long.
	await waitFor(() => startedPids(output).length === 2, 'both runs to start over ssh', 60_000, () => output);
	const fatcPid = Number(/fatc started \(pid (\d+)/.exec(output)?.[1]);
	const runs = startedPids(output);
	// The runs are fatc's, on the remote side: none of them is the ssh client's child.
	const seen = [fatcPid, ...runs].map(pid => seeProcess(pid));
	onCleanup(t, () => {
		for (const left of seen) {
			killIfStill(left);
		}
	});

	const exit = once(client, 'exit');
	client.kill('SIGKILL');
	await exit;
	await waitFor(() => !isAlive(fatcPid) && runs.every(pid => !isAlive(pid)), 'fatc and its runs to be gone after the session ended', 20_000, () => `alive: ${[fatcPid, ...runs].filter(isAlive).join(', ')}`);
	assert.equal(isAlive(fatcPid), false);
});
