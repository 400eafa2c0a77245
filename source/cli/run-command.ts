import {rm, writeFile} from 'node:fs/promises';
import type {Configuration} from '../core/job-definition.js';
import {serveSupervision} from '../daemon/serve-supervision.js';
import {isJournalStream} from '../reporters/journal-stream.js';
import {createJsonReporter, createLineReporter} from '../reporters/line-reporter.js';
import {version} from './version.js';

export type RunOptions = {
	json: boolean;
	runOnce: boolean;
	/** The original's --pid-file: written at start, removed at exit. */
	pidFile?: string;
	loadConfiguration?: () => Promise<Configuration>;
	/** `--fresh`: forget the scales and pauses remembered from an earlier run. */
	fresh?: boolean;
};

/**
 * `fatc run`: the core in the foreground, one line per event on stdout; the client commands (`fatc status`, `scale`…)
 * reach it through its control socket as they reach a detached daemon. Resolves with the exit status.
 */
export async function runCommand(configuration: Configuration, options: RunOptions): Promise<number> {
	process.stdout.on('error', () => {
		// A closed pipe (`fatc run | head`) must not stop the supervision.
	});
	if (options.pidFile) {
		await writeFile(options.pidFile, `${process.pid}\n`);
	}

	// Under systemd each line carries its priority; elsewhere warnings and errors are tagged.
	const journal = isJournalStream(1);
	try {
		const outcome = await serveSupervision({
			configuration,
			loadConfiguration: options.loadConfiguration,
			runOnce: options.runOnce,
			remember: {fresh: options.fresh === true},
			onEvent: options.json ? createJsonReporter(process.stdout, version, {journal}) : createLineReporter(process.stdout, {journal}),
		});
		return options.runOnce && !outcome.ok ? 1 : 0;
	} finally {
		if (options.pidFile) {
			await rm(options.pidFile, {force: true});
		}
	}
}
