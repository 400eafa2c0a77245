import assert from 'node:assert/strict';
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import {once} from 'node:events';
import {createServer} from 'node:net';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {cliPath, startedPids} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

const sshd = '/usr/sbin/sshd';

test('fatc over ssh without a terminal: once the client is gone, every run and fatc itself stop', {skip: existsSync(sshd) ? false : `${sshd} is missing (Debian: apt-get install openssh-server; .ci/run installs it)`}, async t => {
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
	await waitFor(() => startedPids(output).length === 2, 'both runs to start over ssh', 20_000, () => output);
	const fatcPid = Number(/fatc started \(pid (\d+)/.exec(output)?.[1]);
	const runs = startedPids(output);
	// The runs are fatc's, on the remote side: none of them is the ssh client's child.
	onCleanup(t, () => {
		for (const pid of [fatcPid, ...runs].filter(isAlive)) {
			process.kill(pid, 'SIGKILL');
		}
	});

	const exit = once(client, 'exit');
	client.kill('SIGKILL');
	await exit;
	await waitFor(() => !isAlive(fatcPid) && runs.every(pid => !isAlive(pid)), 'fatc and its runs to be gone after the session ended', 20_000, () => `alive: ${[fatcPid, ...runs].filter(isAlive).join(', ')}`);
	assert.equal(isAlive(fatcPid), false);
});

/** A throwaway OpenSSH server on a free loopback port: its own host key, config, authorized key and pid file in `folder`. */
async function startSshd(t: TestContext, folder: string): Promise<number> {
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(folder, 'host-key')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(folder, 'user-key')]);
	execFileSync('cp', [join(folder, 'user-key.pub'), join(folder, 'authorized_keys')]);
	const port = await freePort();
	const config = await writeIn(folder, 'sshd_config', [
		'ListenAddress 127.0.0.1',
		`HostKey ${join(folder, 'host-key')}`,
		`AuthorizedKeysFile ${join(folder, 'authorized_keys')}`,
		`PidFile ${join(folder, 'sshd.pid')}`,
		'StrictModes no',
		'UsePAM no',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'PermitRootLogin prohibit-password',
		'',
	].join('\n'));
	if (process.getuid?.() === 0) {
		// sshd run as root wants its privilege separation folder (the Debian service makes it at boot).
		mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
	}

	const server: ChildProcess = spawn(sshd, ['-D', '-e', '-f', config, '-p', String(port), '-h', join(folder, 'host-key')], {stdio: ['ignore', 'ignore', 'pipe']});
	let log = '';
	server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		log += chunk;
	});
	onCleanup(t, async () => {
		if (server.exitCode === null && server.signalCode === null) {
			const exit = once(server, 'exit');
			server.kill('SIGTERM');
			await exit;
		}
	});
	await waitFor(() => log.includes(`Server listening on 127.0.0.1 port ${port}`) || server.exitCode !== null, 'sshd to listen', 10_000, () => log);
	assert.equal(server.exitCode, null, `sshd exited: ${log}`);
	return port;
}

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as {port: number};
	server.close();
	await once(server, 'close');
	return port;
}
