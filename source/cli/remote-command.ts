import type {SshAddress} from '../daemon/control-address.js';
import {runOverSsh} from '../daemon/ssh-command.js';
import {daemonCommand} from './daemon-commands.js';
import {metricsCommand} from './metrics-command.js';
import {UsageError} from './usage-error.js';

export type RemoteOptions = {json?: boolean; follow?: boolean; lines?: string; since?: string; limit?: string};

/**
 * A client command with `--host ssh://…` (or FATC_HOST): the same command for the daemon on that server, with the
 * same output and exit statuses. The ones that steer or ask the daemon go through `fatc proxy` and the control
 * protocol, as they would here; `logs` and `history` read the server's files (a log to follow, the history of a
 * stopped daemon), so the server's own fatc runs them, over ssh.
 */
export async function remoteCommand(address: SshAddress, command: string, args: string[], options: RemoteOptions): Promise<number> {
	const streams = {output: process.stdout, errors: process.stderr};
	const at = address.path === undefined ? [] : ['--at', address.path];
	switch (command) {
		case 'logs': {
			const lines = options.lines === undefined ? [] : ['-n', options.lines];
			return runOverSsh(address, ['logs', ...args, ...options.follow ? ['-f'] : [], ...lines, ...at], streams);
		}

		case 'history': {
			const since = options.since === undefined ? [] : ['--since', options.since];
			const limit = options.limit === undefined ? [] : ['--limit', options.limit];
			return runOverSsh(address, ['history', ...args, ...since, ...limit, ...options.json ? ['--json'] : [], ...at], streams);
		}

		case 'metrics': {
			return metricsCommand(address, args, process.stdout);
		}

		case 'attach': {
			if (!(process.stdin.isTTY && process.stdout.isTTY)) {
				throw new UsageError('attach needs a terminal; use "fatc status --host" and "fatc logs -f --host" from a script');
			}

			const {tuiCommand} = await import('./tui-command.js');
			return tuiCommand(address, {attachOnly: true, configArgument: ` --host ${address.url}`});
		}

		default: {
			return daemonCommand(address, command, args, {json: options.json === true, output: process.stdout});
		}
	}
}
