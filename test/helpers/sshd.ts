import assert from 'node:assert/strict';
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import {once} from 'node:events';
import {createServer} from 'node:net';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import {onCleanup} from './cleanup.js';
import {waitFor} from './wait-for.js';
import {writeIn} from './temporary-folder.js';

export const sshd = '/usr/sbin/sshd';

/** A test's `skip` when there is no OpenSSH server to start. */
export const skipWithoutSshd = existsSync(sshd) ? false : `${sshd} is missing (Debian: apt-get install openssh-server; .ci/run installs it)`;

/**
 * A throwaway OpenSSH server on a free loopback port: its own host key, config, authorized key (`folder`/user-key) and
 * pid file in `folder`, never /etc/ssh. Stopped when the test ends.
 */
export async function startSshd(t: TestContext, folder: string): Promise<number> {
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
		// Several connections at once (a test's commands, a TUI), without sshd's throttling of unauthenticated ones.
		'MaxStartups 100',
		// Debian's bash reads ~/.bashrc for a command over ssh unless it is a nested shell (SHLVL 2): the tests then
		// do not run the user's start-up files (a pyenv init took seconds a login on a loaded machine).
		'SetEnv SHLVL=1',
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

/** The ssh client for a server of startSshd's (its user key, no known-hosts file): what FATC_SSH_COMMAND holds. */
export function sshClientCommand(folder: string): string {
	return `ssh -i ${join(folder, 'user-key')} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;
}

export async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as {port: number};
	server.close();
	await once(server, 'close');
	return port;
}
