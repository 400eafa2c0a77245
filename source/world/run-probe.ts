import {spawn, type ChildProcess} from 'node:child_process';
import {statSync} from 'node:fs';
import type {Reading, SensorSpec, StartProbe} from '../core/sensors.js';

export type ProbeSpec = Extract<SensorSpec, {kind: 'probe'}>;
export type ProbeReading = Extract<Reading, {kind: 'probe'}>;

/** The start of stdout a reading keeps; the rest is read and dropped, so a chatty probe never blocks on its pipe. */
export const probeOutputLimit = 4096;

/** One probe process, from its spawn to its reading. */
export type ProbeRun = {
	/** The leader's pid, which is also its process group's id; undefined when it could not be started. */
	readonly pid: number | undefined;
	/** Resolves (never rejects) with the reading once the leader has exited and its stdout is closed. */
	readonly finished: Promise<ProbeReading>;
	/** SIGKILLs the whole group (a stop or close); `finished` still resolves, once the leader has exited. */
	kill(): void;
};

/** child_process.spawn, for a host that passes no starter: libuv forks fatc for each probe. */
export const startWithNode: StartProbe = probe => {
	let child: ChildProcess;
	try {
		child = spawn('/bin/sh', ['-c', probe.command], {cwd: probe.cwd, env: {...process.env, ...probe.env}, detached: true, stdio: ['ignore', 'pipe', 'ignore']});
	} catch (error) {
		// Thrown rather than emitted: ENOTDIR (cwd is a file), a NUL byte in the command or env.
		return {failure: Promise.resolve(error)};
	}

	if (child.pid === undefined) {
		return {failure: new Promise(resolve => child.once('error', resolve))};
	}

	// Also emitted for a failed kill of a live child: nothing to do then.
	child.on('error', () => {});
	let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	const listeners: Array<(ended: typeof exit & {}) => void> = [];
	child.once('exit', (code, signal) => {
		exit = {code, signal};
		for (const listener of listeners) {
			listener(exit);
		}
	});
	return {
		started: {
			pid: child.pid,
			stdout: child.stdout!,
			onExit(listener) {
				if (exit === undefined) {
					listeners.push(listener);
				} else {
					listener(exit);
				}
			},
		},
	};
};

/**
 * Runs `/bin/sh -c command` once, in its own process group, through `start` (the host's posix_spawn engine, or
 * child_process.spawn). Past `timeout` ms the group gets SIGKILL; when the leader exits the group gets SIGKILL too, so
 * that a probe's background leftovers (`sleep 100 &`) never outlive it. The environment is fatc's own plus `env`, as a
 * run's is.
 */
export function runProbe(spec: ProbeSpec, start: StartProbe = startWithNode): ProbeRun {
	const attempt = start({command: spec.command, cwd: spec.cwd, env: spec.env});
	if ('failure' in attempt) {
		const finished = attempt.failure.then((error): ProbeReading => ({kind: 'probe', code: null, output: '', error: startErrorMessage(error, spec.cwd)}));
		return {pid: undefined, finished, kill() {}};
	}

	const {pid, stdout} = attempt.started;
	const chunks: Buffer[] = [];
	let kept = 0;
	let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined;
	let outputClosed = false;
	let timedOut = false;
	let killed = false;
	let settle: (reading: ProbeReading) => void = () => {};
	const finished = new Promise<ProbeReading>(resolve => {
		settle = resolve;
	});
	const killGroup = () => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// ESRCH: the group is already gone.
		}
	};

	// A leftover outside the group (setsid) may hold stdout open: once the leader is gone and the probe is over
	// (timed out or killed), its output is whatever arrived.
	const dropOutput = () => {
		stdout.destroy();
	};

	const finish = () => {
		if (exit === undefined || !outputClosed) {
			return;
		}

		clearTimeout(deadline);
		const output = Buffer.concat(chunks).toString('utf8');
		if (timedOut) {
			settle({kind: 'probe', code: null, output, error: `timed out after ${describeDuration(spec.timeout)}`});
		} else if (exit.signal !== null) {
			settle({kind: 'probe', code: null, output, error: `killed by ${exit.signal}`});
		} else {
			settle({kind: 'probe', code: exit.code, output});
		}
	};

	// After the leader's exit its group was killed at once, and its pid may since name another group: no kill then.
	const deadline = setTimeout(() => {
		if (exit === undefined) {
			timedOut = true;
			killGroup();
		} else {
			dropOutput();
		}
	}, spec.timeout);

	stdout.on('data', (chunk: Buffer) => {
		if (kept < probeOutputLimit) {
			const part = chunk.subarray(0, probeOutputLimit - kept);
			chunks.push(part);
			kept += part.length;
		}
	});
	stdout.on('error', () => {});
	stdout.once('close', () => {
		outputClosed = true;
		finish();
	});
	attempt.started.onExit(ended => {
		exit = ended;
		killGroup();
		if (timedOut || killed) {
			dropOutput();
		}

		finish();
	});

	return {
		pid,
		finished,
		kill() {
			killed = true;
			if (exit === undefined) {
				killGroup();
			} else {
				dropOutput();
			}
		},
	};
}

/** One line a user can act on, for a probe that could not be started. */
function startErrorMessage(error: unknown, cwd: string): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	let folder;
	try {
		folder = statSync(cwd);
	} catch {}

	if (folder === undefined) {
		return `could not start the probe: working directory ${cwd} does not exist`;
	}

	if (!folder.isDirectory()) {
		return `could not start the probe: working directory ${cwd} is not a directory`;
	}

	if (code === 'EACCES') {
		return `could not start the probe: working directory ${cwd} (or /bin/sh) is not accessible`;
	}

	const detail = error instanceof Error ? error.message : String(error);
	return `could not start the probe: ${detail}`;
}

/** "2s", "1.5s", "250ms": how long a probe was given, for a person. */
export function describeDuration(milliseconds: number): string {
	if (milliseconds < 1000) {
		return `${Math.round(milliseconds)}ms`;
	}

	return `${Number((milliseconds / 1000).toFixed(1))}s`;
}
