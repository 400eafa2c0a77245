import type {Configuration} from '../core/job-definition.js';
import {isJournalStream} from '../reporters/journal-stream.js';
import {createJsonReporter, createLineReporter} from '../reporters/line-reporter.js';
import {turnOutput} from '../reporters/turn-output.js';
import {serveSupervision} from './serve-supervision.js';

export type DaemonOptions = {
	loadConfiguration?: () => Promise<Configuration>;
	/** Started by a local TUI: shut down when that TUI disconnects without handing off (SPEC §5). */
	owned: boolean;
	/** `--fresh`: forget the scales and pauses remembered from an earlier run. */
	fresh?: boolean;
	/** `fatc --detach --json`: the log's event lines are JSON records naming this fatc version. Default: text lines. */
	json?: {version: string};
};

/** The detached daemon's body: its stdout and stderr already go to its log, so events are written there. */
export async function runDaemon(configuration: Configuration, options: DaemonOptions): Promise<number> {
	process.umask(0o027);
	// Its stdout is its log file; JOURNAL_STREAM, inherited from a systemd unit, names another stream then.
	const journal = isJournalStream(1);
	// One write per callback, not one a line (turn-output.ts).
	const lines = turnOutput(process.stdout);
	await serveSupervision({
		configuration,
		loadConfiguration: options.loadConfiguration,
		owned: options.owned,
		remember: {fresh: options.fresh === true},
		onEvent: options.json ? createJsonReporter(lines, options.json.version, {journal}) : createLineReporter(lines, {journal}),
	});
	return 0;
}
