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
export async function daemonCommand(
	address: ControlAddress,
	command: string,
	args: string[],
	options: {json: boolean; output: Output; errors?: Output; slowAfter?: number},
): Promise<number> {
	checkArguments(command, args);
	const client = await saidWhenSlow(connectClient(address), address, options.errors ?? process.stderr, options.slowAfter ?? slowHelloAfter);
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

/** How long a daemon may take to say hello before the user is told that fatc is still waiting. */
const slowHelloAfter = 5000;

/**
 * A daemon whose socket accepts but that never answers (stopped with SIGSTOP, a debugger, a blocked loop) would leave
 * `fatc status` or `fatc stop` silent for ever: after `after` ms one line says what it waits for. It goes on waiting —
 * a daemon under a burst of 10,000 ends answers late but answers — until it answers or the user presses Ctrl-C.
 */
async function saidWhenSlow<T>(connecting: Promise<T>, address: ControlAddress, errors: Output, after: number): Promise<T> {
	const where = typeof address === 'string' ? address : address.url;
	const timer = setTimeout(() => {
		errors.write(`fatc: no answer yet from the daemon at ${where} after ${after / 1000} s (stopped with SIGSTOP, or its event loop held up?); still waiting — Ctrl-C to give up\n`);
	}, after);
	try {
		return await connecting;
	} finally {
		clearTimeout(timer);
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
