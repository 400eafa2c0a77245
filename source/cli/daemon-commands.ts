import type {Configuration} from '../core/job-definition.js';
import type {Snapshot} from '../core/snapshot.js';
import type {ReloadOutcome} from '../core/supervisor-handle.js';
import {connectClient, type ControlClient} from '../daemon/control-client.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import {isFatcProcess} from '../daemon/pid-file.js';
import {formatStatus} from '../reporters/format-status.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

const pastTense = {restart: 'restarted', pause: 'paused', resume: 'resumed', trigger: 'triggered'} as const;

/** The client commands of SPEC §4 that act on a running daemon. Resolves with the exit status. */
export async function daemonCommand(configuration: Configuration, command: string, args: string[], options: {json: boolean; output: Output}): Promise<number> {
	const client = await connectClient(daemonPaths(configuration).socket);
	try {
		return await execute(client, command, args, options);
	} finally {
		client.close();
	}
}

async function execute(client: ControlClient, command: string, args: string[], {json, output}: {json: boolean; output: Output}): Promise<number> {
	const [job, count] = args;
	switch (command) {
		case 'status': {
			const snapshot = await client.request('snapshot') as Snapshot;
			output.write(json ? `${JSON.stringify(snapshot, undefined, 2)}\n` : formatStatus(snapshot));
			return 0;
		}

		case 'stop': {
			await client.request('shutdown').catch(() => {
				// The daemon may close the connection as it exits.
			});
			await client.closed;
			while (isFatcProcess(client.daemon.pid)) {
				await new Promise(resolve => setTimeout(resolve, 20));
			}

			output.write(`fatc daemon "${client.daemon.name}" (pid ${client.daemon.pid}) stopped; every run is gone\n`);
			return 0;
		}

		case 'reload': {
			const outcome = await client.request('reload') as ReloadOutcome;
			output.write(outcome.ok ? `reloaded: ${outcome.summary}\n` : `reload failed, the running config stays: ${outcome.error}\n`);
			return outcome.ok ? 0 : 2;
		}

		case 'scale': {
			const instances = Number(count);
			if (!job || count === undefined || !Number.isInteger(instances) || instances < 0) {
				throw new UsageError('usage: fatc scale JOB N (N: an integer of 0 or more)');
			}

			await client.request('scale', [job, instances]);
			output.write(`${job}: instances ${instances}\n`);
			return 0;
		}

		case 'restart':
		case 'pause':
		case 'resume':
		case 'trigger': {
			if (!job || args.length !== 1) {
				throw new UsageError(`usage: fatc ${command} JOB`);
			}

			await client.request(command, [job]);
			output.write(`${job}: ${pastTense[command]}\n`);
			return 0;
		}

		default: {
			throw new UsageError(`unknown command "${command}"`);
		}
	}
}
