import {rm, writeFile} from 'node:fs/promises';
import type {Configuration} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {serveSupervision} from '../daemon/serve-supervision.js';
import {boundedOutput, unreadLimitVariable, unreadOutputLimit} from '../reporters/bounded-output.js';
import {isJournalStream} from '../reporters/journal-stream.js';
import {createJsonReporter, createLineReporter} from '../reporters/line-reporter.js';
import {turnOutput} from '../reporters/turn-output.js';
import {watchOutputGone} from './output-gone.js';
import {version} from './version.js';

/** What a shell reports for a program killed by SIGPIPE (128 + 13): what `fatc run` exits with when its output is gone. */
export const outputGoneStatus = 141;

export type RunOptions = {
	json: boolean;
	runOnce: boolean;
	/** The original's --pid-file: written at start, removed at exit. */
	pidFile?: string;
	loadConfiguration?: () => Promise<Configuration>;
	/** `--fresh`: forget the scales and pauses remembered from an earlier run. */
	fresh?: boolean;
	/** `--keep-on-hangup`: run on when stdout's reader is gone (its lines are dropped); else stop as on SIGTERM. */
	keepOnHangUp?: boolean;
};

/**
 * `fatc run`: the core in the foreground, one line per event on stdout; the client commands (`fatc status`, `scale`…)
 * reach it through its control socket as they reach a detached daemon. Resolves with the exit status.
 * Once nobody reads its stdout (an SSH session without a terminal ended, `| head` exited) it stops gracefully and exits
 * 141, as a program killed by SIGPIPE: a foreground fatc must not outlive its session (`--detach` is the way to).
 */
export async function runCommand(configuration: Configuration, options: RunOptions): Promise<number> {
	// Whatever goes wrong writing the lines must not stop the supervision; only a reader gone does, unless told not to.
	process.stdout.on('error', () => undefined);
	process.stderr.on('error', () => undefined);
	const outputGone = new AbortController();
	const unwatch = options.keepOnHangUp ? undefined : watchOutputGone(process.stdout, () => {
		outputGone.abort();
	});
	if (options.pidFile) {
		await writeFile(options.pidFile, `${process.pid}\n`);
	}

	// Under systemd each line carries its priority; elsewhere warnings and errors are tagged.
	const journal = isJournalStream(1);
	// One write per callback, not one a line (turn-output.ts); what nobody reads waits up to a limit, then is counted.
	const limit = unreadOutputLimit();
	const lines = turnOutput(boundedOutput(process.stdout, dropped => {
		reporter({time: Date.now(), type: 'supervisor-warning', message: `${dropped} lines of fatc's output were dropped: nothing read them while ${limit} bytes waited (${unreadLimitVariable} sets how many may)`});
	}, limit));
	const reporter: (event: SupervisorEvent) => void = options.json ? createJsonReporter(lines, version, {journal}) : createLineReporter(lines, {journal});
	try {
		const outcome = await serveSupervision({
			configuration,
			loadConfiguration: options.loadConfiguration,
			runOnce: options.runOnce,
			remember: {fresh: options.fresh === true},
			onEvent: reporter,
			stop: outputGone.signal,
		});
		if (outputGone.signal.aborted) {
			return outputGoneStatus;
		}

		return options.runOnce && !outcome.ok ? 1 : 0;
	} finally {
		unwatch?.();
		if (options.pidFile) {
			await rm(options.pidFile, {force: true});
		}
	}
}
