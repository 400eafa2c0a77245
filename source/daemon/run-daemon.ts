import type {Configuration} from '../core/job-definition.js';
import {createLineReporter} from '../reporters/line-reporter.js';
import {serveSupervision} from './serve-supervision.js';

export type DaemonOptions = {
	loadConfiguration?: () => Promise<Configuration>;
	/** Started by a local TUI: shut down when that TUI disconnects without handing off (SPEC §5). */
	owned: boolean;
	/** `--fresh`: forget the scales and pauses remembered from an earlier run. */
	fresh?: boolean;
};

/** The detached daemon's body: its stdout and stderr already go to its log, so events are written there. */
export async function runDaemon(configuration: Configuration, options: DaemonOptions): Promise<number> {
	process.umask(0o027);
	await serveSupervision({
		configuration,
		loadConfiguration: options.loadConfiguration,
		owned: options.owned,
		remember: {fresh: options.fresh === true},
		onEvent: createLineReporter(process.stdout),
	});
	return 0;
}
