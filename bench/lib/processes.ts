import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {delay} from './wait.js';

/**
 * Every process a benchmark starts carries this variable, and so do their children (supervisord's and PM2's
 * daemons and their programs inherit it). `sweep()` finds them by it: whatever a failed benchmark left running
 * is found and killed, and never a process of someone else's.
 */
export const markerName = 'FATC_BENCH_MARK';
export const marker = `${markerName}=${randomUUID()}`;

export type Started = {
	readonly child: ChildProcess;
	readonly pid: number;
	/** Resolves with the exit code (null after a signal) once the process has exited. */
	readonly exited: Promise<number | null>;
	/** What it wrote to stdout and stderr, when started with `capture: true`. */
	output(): string;
	/** What it wrote to stdout alone, when started with `capture: true`. */
	stdout(): string;
	/** False once it exited: its pid may then belong to someone else, so nothing signals it any more. */
	isRunning(): boolean;
};

export type StartOptions = {
	cwd?: string;
	env?: Record<string, string>;
	/** Keep stdout and stderr in memory for `output()`; otherwise both go to `stdio`, by default nowhere. */
	capture?: boolean;
	stdio?: StdioOptions;
	/**
	 * Open-file limit (soft and hard) to start with, when allowed (raising the hard limit needs root or
	 * CAP_SYS_RESOURCE); by default, and when not allowed, the soft limit is raised to the hard one.
	 */
	openFiles?: number;
};

const started = new Set<Started>();

/** Starts a process in its own process group, marked for `sweep()`. */
export function start(command: string, args: readonly string[], options: StartOptions = {}): Started {
	const [markName, markValue] = marker.split('=') as [string, string];
	// Through sh only to raise the limit of open files (1,000 runs hold 2,000+ pipes), then exec: the pid stays the
	// command's. dash's `ulimit -n N` sets both the soft and the hard limit.
	const raise = options.openFiles === undefined ? '' : `ulimit -n ${Math.floor(options.openFiles)} 2>/dev/null || `;
	const child = spawn('/bin/sh', ['-c', `${raise}ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`, 'start', command, ...args], {
		cwd: options.cwd,
		env: {...process.env, ...options.env, [markName]: markValue},
		detached: true,
		stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : (options.stdio ?? 'ignore'),
	});
	let text = '';
	let stdout = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		text += chunk;
		stdout += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		text += chunk;
	});
	let running = child.pid !== undefined;
	const exited = new Promise<number | null>(resolve => {
		child.once('error', () => {
			running = false;
			resolve(null);
		});
		child.once('exit', () => {
			running = false;
		});
		child.once('close', code => {
			running = false;
			resolve(code);
		});
	});
	const entry: Started = {child, pid: child.pid ?? -1, exited, output: () => text, stdout: () => stdout, isRunning: () => running};
	started.add(entry);
	void exited.then(() => started.delete(entry));
	return entry;
}

/**
 * Runs a command to its end and returns what it wrote to stdout (a notice on stderr, such as `fatc status` saying the
 * daemon is slow to answer, must not land inside its JSON); throws with both streams when it fails.
 */
export async function run(
	command: string,
	args: readonly string[],
	options: Omit<StartOptions, 'capture' | 'stdio'> & {timeout?: number} = {},
): Promise<string> {
	const process = start(command, args, {...options, capture: true});
	const timer = setTimeout(() => {
		signalGroup(process.pid, 'SIGKILL');
	}, options.timeout ?? 300_000);
	const code = await process.exited.finally(() => {
		clearTimeout(timer);
	});
	if (code !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${code}: ${process.output().trim().slice(-2000)}`);
	}

	return process.stdout();
}

/** Sends `signal` to the process group led by `pid`; a group already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// ESRCH: gone already.
	}
}

/** Stops a started process: SIGTERM to it, SIGKILL to its group after `grace` ms. Resolves with its exit code. */
export async function stop(process_: Started, grace = 10_000): Promise<number | null> {
	if (!process_.isRunning()) {
		return process_.exited;
	}

	try {
		process.kill(process_.pid, 'SIGTERM');
	} catch {
		// Gone already.
	}

	const timer = setTimeout(() => {
		signalGroup(process_.pid, 'SIGKILL');
	}, grace);
	try {
		return await process_.exited;
	} finally {
		clearTimeout(timer);
	}
}

/** The pids of every process on the machine that carries this run's marker (its environment never changes). */
export function markedProcesses(): number[] {
	const pids: number[] = [];
	for (const name of readdirSync('/proc')) {
		const pid = Number(name);
		if (!Number.isInteger(pid) || pid === process.pid) {
			continue;
		}

		try {
			if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) {
				pids.push(pid);
			}
		} catch {
			// Gone, or a kernel thread.
		}
	}

	return pids;
}

/**
 * Kills everything this benchmark started that is still running: the started groups, then every marked
 * process (daemons that left their group, their programs). Returns how many marked processes it had to kill.
 */
export async function sweep(): Promise<number> {
	for (const entry of started) {
		if (entry.isRunning()) {
			signalGroup(entry.pid, 'SIGKILL');
		}
	}

	let killed = 0;
	for (let round = 0; round < 20; round++) {
		const pids = markedProcesses();
		if (pids.length === 0) {
			break;
		}

		killed = Math.max(killed, pids.length);
		for (const pid of pids) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Gone.
			}
		}

		await delay(100);
	}

	return killed;
}
