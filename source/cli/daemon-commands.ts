import {didYouMean} from '../config/did-you-mean.js';
import {maximumInstances} from '../core/job-definition.js';
import type {Snapshot} from '../core/snapshot.js';
import type {ReloadOutcome} from '../core/supervisor-handle.js';
import type {ControlAddress} from '../daemon/control-address.js';
import {connectClient, type ControlClient} from '../daemon/control-client.js';
import {statusSnapshotArguments} from '../daemon/protocol.js';
import {isFatcProcess} from '../daemon/pid-file.js';
import {formatStatus} from '../reporters/format-status.js';
import {scaleUsage} from './usage.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

const pastTense = {restart: 'restarted', pause: 'paused', resume: 'resumed', trigger: 'triggered'} as const;

/**
 * The client commands of SPEC §4 that act on a running daemon. Resolves with the exit status. A wrong command line
 * exits 2 whether a daemon runs or not: its arguments are checked first, then the job's name against the daemon's.
 * `address`: the daemon's socket here, or an ssh:// address (`--host`): the same output and exit statuses.
 */
export async function daemonCommand(address: ControlAddress, command: string, args: string[], options: {json: boolean; output: Output}): Promise<number> {
	checkArguments(command, args);
	const client = await connectClient(address);
	try {
		const [job] = args;
		if (job !== undefined) {
			await checkJob(client, command, job);
		}

		return await execute(client, command, args, options);
	} finally {
		client.close();
	}
}

function checkArguments(command: string, args: string[]): void {
	const [job, count] = args;
	if (command === 'scale') {
		if (!job || args.length !== 2) {
			throw new UsageError(scaleUsage);
		}

		const instances = Number(count);
		if (!/^\d+$/.test(count!) || instances > maximumInstances) {
			throw new UsageError(`${scaleUsage}; got ${JSON.stringify(count)}`);
		}
	} else if (command in pastTense) {
		if (!job || args.length !== 1) {
			throw new UsageError(`usage: fatc ${command} JOB`);
		}
	} else if (args.length > 0) {
		throw new UsageError(`unexpected argument "${job}"; usage: fatc ${command}`);
	}
}

/** An unknown job is a wrong command line (exit 2, nothing was done), named with the daemon's jobs. */
async function checkJob(client: ControlClient, command: string, job: string): Promise<void> {
	const snapshot = await client.request('snapshot', [{runsPerJob: 0}]) as Snapshot;
	const names = snapshot.jobs.map(each => each.name);
	const found = snapshot.jobs.find(each => each.name === job);
	if (!found) {
		throw new UsageError(`no job named "${job}"${didYouMean(job, names)}; jobs: ${names.join(', ') || 'none'}`);
	}

	if (command === 'trigger' && found.instances === 0) {
		throw new Error(`${job}: not triggered: it has 0 instances, so no run can start; "fatc scale ${job} N" starts it`);
	}
}

async function execute(client: ControlClient, command: string, args: string[], {json, output}: {json: boolean; output: Output}): Promise<number> {
	const [job, count] = args;
	switch (command) {
		case 'status': {
			const snapshot = await client.request('snapshot', json ? undefined : statusSnapshotArguments) as Snapshot;
			output.write(json ? `${JSON.stringify(snapshot, undefined, 2)}\n` : formatStatus(snapshot));
			return 0;
		}

		case 'stop': {
			await client.request('shutdown').catch(() => {
				// The daemon may close the connection as it exits.
			});
			// The daemon closes the connection once every run is gone; over ssh its pid is not one of this machine.
			await client.closed;
			while (client.local && isFatcProcess(client.daemon.pid)) {
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
			await client.request('scale', [job, instances]);
			output.write(`${job}: instances ${instances}\n`);
			return 0;
		}

		case 'restart':
		case 'pause':
		case 'resume':
		case 'trigger': {
			await client.request(command, [job]);
			output.write(`${job}: ${pastTense[command]}\n`);
			return 0;
		}

		default: {
			throw new UsageError(`unknown command "${command}"`);
		}
	}
}
