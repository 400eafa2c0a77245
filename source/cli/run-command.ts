import {rm, writeFile} from 'node:fs/promises';
import type {Configuration} from '../core/job-definition.js';
import {createSupervisor} from '../core/supervisor.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {createProcessDriver} from '../driver/create-process-driver.js';
import {describeError} from './describe-error.js';
import {createJsonReporter, createLineReporter} from '../reporters/line-reporter.js';

export type RunOptions = {
	json: boolean;
	runOnce: boolean;
	/** The original's --pid-file: written at start, removed at exit. */
	pidFile?: string;
};

/**
 * `fatc run`: the core in the foreground, one line per event on stdout. SIGTERM/SIGINT stop gracefully, a second
 * one SIGKILLs every run; SIGHUP reopens the log files. Resolves with the exit status.
 */
export async function runCommand(configuration: Configuration, options: RunOptions): Promise<number> {
	process.stdout.on('error', () => {
		// A closed pipe (`fatc run | head`) must not stop the supervision.
	});
	const report = options.json ? createJsonReporter(process.stdout) : createLineReporter(process.stdout);
	const driver = createProcessDriver({
		onError(error) {
			report({time: Date.now(), type: 'supervisor-error', message: describeError(error)});
		},
	});
	const supervisor = createSupervisor({configuration, driver, runOnce: options.runOnce});
	const unsubscribe = supervisor.subscribe(report as (event: SupervisorEvent) => void);

	let stopSignals = 0;
	const onStopSignal = () => {
		stopSignals++;
		if (stopSignals === 1) {
			void supervisor.shutdown();
		} else {
			supervisor.kill();
		}
	};

	const onHangUp = () => {
		driver.reopenLogs();
	};

	process.on('SIGINT', onStopSignal);
	process.on('SIGTERM', onStopSignal);
	process.on('SIGHUP', onHangUp);
	if (options.pidFile) {
		await writeFile(options.pidFile, `${process.pid}\n`);
	}

	try {
		supervisor.start();
		const outcome = await supervisor.finished;
		await supervisor.shutdown();
		return options.runOnce && !outcome.ok ? 1 : 0;
	} finally {
		unsubscribe();
		process.off('SIGINT', onStopSignal);
		process.off('SIGTERM', onStopSignal);
		process.off('SIGHUP', onHangUp);
		if (options.pidFile) {
			await rm(options.pidFile, {force: true});
		}
	}
}
