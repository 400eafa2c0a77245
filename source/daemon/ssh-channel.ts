import {spawn} from 'node:child_process';
import type {Channel} from './channel.js';
import type {SshAddress} from './control-address.js';
import {NoDaemonError, NoRemoteFatcError, RemoteCommandError, UnreachableError} from './control-errors.js';

/** The ssh program and its options, as GIT_SSH_COMMAND (run by sh, so it may hold -F FILE, -i KEY, -o OPTION…). */
export const sshCommandVariable = 'FATC_SSH_COMMAND';

/** The fatc to run on the server (default `fatc` on the SSH user's PATH), e.g. `/opt/node/bin/node /opt/fatc/dist/cli.js`. */
export const remoteFatcVariable = 'FATC_REMOTE_FATC';

/**
 * The command line that runs `fatc WORDS…` on the server through the system's ssh, so ~/.ssh/config, agents and jump
 * hosts apply: `ssh -T -o BatchMode=yes [-p PORT] [USER@]HOST -- fatc WORDS…`. BatchMode: a password prompt would
 * land in the protocol's stream (or a TUI); keys and agents only. The remote words go through the server's shell.
 */
export function sshInvocation(address: SshAddress, words: string[], environment: NodeJS.ProcessEnv = process.env): {command: string; args: string[]} {
	const remote = [environment[remoteFatcVariable]?.trim() || 'fatc', ...words.map(shellWord)].join(' ');
	const args = [
		'-T',
		'-o',
		'BatchMode=yes',
		...address.port === undefined ? [] : ['-p', String(address.port)],
		address.user === undefined ? address.host : `${address.user}@${address.host}`,
		'--',
		remote,
	];
	const custom = environment[sshCommandVariable]?.trim();
	// As git runs GIT_SSH_COMMAND: sh -c 'COMMAND "$@"' COMMAND ARGS…
	return custom ? {command: '/bin/sh', args: ['-c', `${custom} "$@"`, custom, ...args]} : {command: 'ssh', args};
}

/** `fatc proxy [PATH]` on the server: the daemon of the app there (its folder or config file), or of the login folder. */
export function proxyWords(address: SshAddress): string[] {
	return ['proxy', ...address.path === undefined ? [] : [address.path]];
}

/** A channel through `ssh … fatc proxy`: the proxy's stdin and stdout are the daemon's socket. */
export function openSshChannel(address: SshAddress): Channel {
	const {command, args} = sshInvocation(address, proxyWords(address));
	const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']});
	let errors = '';
	let spawnError: Error | undefined;
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		errors = (errors + chunk).slice(-8192);
	});
	child.stdout.setEncoding('utf8');
	child.stdin.on('error', () => {
		// ssh is gone: reported through `closed` and the pending requests.
	});
	const closed = new Promise<void>(resolve => {
		child.once('close', () => {
			resolve();
		});
		child.once('error', error => {
			spawnError = error;
			resolve();
		});
	});
	return {
		where: address.url,
		write: text => child.stdin.write(text),
		end: () => child.stdin.end(),
		destroy: () => child.kill('SIGTERM'),
		get open() {
			return child.exitCode === null && child.signalCode === null && spawnError === undefined && child.stdin.writable;
		},
		onData(listener) {
			child.stdout.on('data', listener);
		},
		closed,
		async failure() {
			await closed;
			if (spawnError) {
				return new UnreachableError(`${address.url}: cannot run ${command}: ${spawnError.message}`);
			}

			return remoteFailure(address, child.exitCode, errors, {command, args});
		},
	};
}

/**
 * What ssh's exit status and last stderr line mean for the user: 255 ssh's own failure; 127 no fatc on the server; 3
 * `fatc proxy` found no daemon; anything else the remote fatc's own line and status. 0 with no hello: no fatc proxy.
 */
export function remoteFailure(address: SshAddress, code: number | null, errors: string, invocation: {command: string; args: string[]}): Error | undefined {
	const line = lastLine(errors);
	// FATC_SSH_COMMAND runs through sh: a program of it that is not found is this machine's 127, not the server's.
	const custom = invocation.command === 'ssh' ? undefined : invocation.args[2]?.split(/\s+/)[0];
	switch (code) {
		case 255: {
			return new UnreachableError(`${address.url}: ${line || `${custom === undefined ? 'ssh' : sshCommandVariable} could not connect`}`);
		}

		case 127: {
			if (custom !== undefined && line.includes(`${custom}: not found`)) {
				return new UnreachableError(`${address.url}: cannot run ${sshCommandVariable}: ${line}`);
			}

			const user = address.user === undefined ? 'the SSH user' : `user ${address.user}`;
			const said = line ? ` (it said: ${line})` : '';
			return new NoRemoteFatcError(`${address.url}: no fatc on the server for ${user}${said}; install fatc on that user's PATH there (npm install -g fatc), or name it with ${remoteFatcVariable}`);
		}

		case 3: {
			const error = new NoDaemonError(`${address.url}: ${line || 'no fatc daemon answers there'}`);
			error.hinted = line.includes('--detach');
			return error;
		}

		case 0:
		case null: {
			return undefined;
		}

		default: {
			return new RemoteCommandError(`${address.url}: ${line || `ssh exited with status ${code}`}`, code);
		}
	}
}

/** The last line the remote side printed, without the remote fatc's own "fatc: " (the local one adds it again). */
function lastLine(text: string): string {
	const lines = text.split('\n').map(line => line.trim()).filter(line => line !== '');
	return (lines.at(-1) ?? '').replace(/^fatc: /, '');
}

/** A word for a POSIX shell: as it is when it is plain, else single-quoted. */
export function shellWord(text: string): string {
	return /^[\w./@%+=:,~-]+$/.test(text) && !text.startsWith('~') ? text : `'${text.replaceAll('\'', '\'\\\'\'')}'`;
}
