import {spawn, type ChildProcess} from 'node:child_process';
import {statSync} from 'node:fs';

export type NotifierSpec = {
	/** Run by /bin/sh -c. */
	command: string;
	cwd: string;
	/** The whole environment (fatc's, the job's and the FATC_EVENT_* variables). */
	env: Record<string, string | undefined>;
	/** Written to stdin, which is then closed. */
	input: string;
	/** Milliseconds; past it the whole process group is SIGKILLed. */
	timeout: number;
};

/** How a notifier ended: `reason` is one line for a person (the exit and the first line it wrote). */
export type NotifierOutcome = {ok: true} | {ok: false; reason: string};

/** The first line a notifier writes (stderr first, else stdout) is kept up to this length; the rest is read and dropped. */
const lineLimit = 200;

/**
 * Runs one notifier: `/bin/sh -c command` in its own process group (detached), the event on stdin. It is over when
 * its leader has exited and its output is closed — a backgrounded `mail` gets its time — or at `timeout`, when the
 * group is SIGKILLed; what is left of the group then is SIGKILLed too, so nothing outlives it. `signal` (a forced
 * shutdown) kills it at once. Resolves, never rejects.
 */
export function runNotifier(spec: NotifierSpec, signal?: AbortSignal): Promise<NotifierOutcome> {
	let child: ChildProcess;
	try {
		child = spawn('/bin/sh', ['-c', spec.command], {cwd: spec.cwd, env: spec.env, detached: true, stdio: ['pipe', 'pipe', 'pipe']});
	} catch (error) {
		// Thrown rather than emitted: ENOTDIR (cwd is a file), a NUL byte in the command or env.
		return Promise.resolve({ok: false, reason: startError(error, spec.cwd)});
	}

	return new Promise(resolve => {
		const firstLines = {stderr: '', stdout: ''};
		let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined;
		let timedOut = false;
		let aborted = false;
		const killGroup = () => {
			if (child.pid !== undefined) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// ESRCH: the group is already gone.
				}
			}
		};

		const deadline = setTimeout(() => {
			timedOut = exit === undefined;
			killGroup();
			// A leftover that left the group (setsid) may hold the output open: it is not waited for.
			child.stdout?.destroy();
			child.stderr?.destroy();
		}, spec.timeout);
		const onAbort = () => {
			aborted = exit === undefined;
			killGroup();
		};

		signal?.addEventListener('abort', onAbort, {once: true});
		if (signal?.aborted) {
			onAbort();
		}

		for (const stream of ['stdout', 'stderr'] as const) {
			let open = true;
			child[stream]!.on('data', (chunk: Buffer) => {
				if (open) {
					const text = firstLines[stream] + chunk.toString('utf8');
					const end = text.indexOf('\n');
					open = end < 0 && text.length < lineLimit;
					firstLines[stream] = (end < 0 ? text : text.slice(0, end)).slice(0, lineLimit);
				}
			});
		}

		// A notifier that does not read its stdin (EPIPE) is no failure.
		child.stdin!.on('error', () => {});
		child.stdin!.end(spec.input);
		child.on('exit', (code, exitSignal) => {
			exit = {code, signal: exitSignal};
		});
		const finish = (outcome: NotifierOutcome) => {
			clearTimeout(deadline);
			signal?.removeEventListener('abort', onAbort);
			resolve(outcome);
		};

		child.on('error', error => {
			// Also emitted for a failed kill of a live child: only a spawn that failed (no pid) ends it here.
			if (child.pid === undefined) {
				finish({ok: false, reason: startError(error, spec.cwd)});
			}
		});
		child.on('close', () => {
			if (exit === undefined) {
				// A spawn that failed closes too, after its 'error'.
				return;
			}

			killGroup();
			const said = (firstLines.stderr || firstLines.stdout).trim();
			const line = said === '' ? '' : `: ${said}`;
			if (timedOut) {
				finish({ok: false, reason: `timed out after ${describeSeconds(spec.timeout)} (its process group was killed)`});
			} else if (aborted) {
				finish({ok: false, reason: 'killed: fatc was stopped at once'});
			} else if (exit.signal !== null) {
				finish({ok: false, reason: `killed by ${exit.signal}${line}`});
			} else if (exit.code === 0) {
				finish({ok: true});
			} else {
				finish({ok: false, reason: `exit ${exit.code}${line}`});
			}
		});
	});
}

function startError(error: unknown, cwd: string): string {
	let folder;
	try {
		folder = statSync(cwd);
	} catch {}

	if (folder === undefined) {
		return `could not start: working directory ${cwd} does not exist`;
	}

	if (!folder.isDirectory()) {
		return `could not start: working directory ${cwd} is not a directory`;
	}

	return `could not start: ${error instanceof Error ? error.message : String(error)}`;
}

function describeSeconds(milliseconds: number): string {
	return milliseconds < 1000 ? `${milliseconds}ms` : `${Number((milliseconds / 1000).toFixed(1))}s`;
}
