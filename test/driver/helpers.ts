import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import type {ProcessDriver, RunProcess, SpawnRequest} from '../../source/core/process-driver.js';
import {onCleanup} from '../helpers/cleanup.js';
import {waitFor} from '../helpers/wait-for.js';

export function request(directory: string, command: string, args: string[], extra: Partial<SpawnRequest> = {}): SpawnRequest {
	return {
		job: 'test',
		runId: 1,
		command,
		args,
		cwd: directory,
		env: {...process.env} as Record<string, string>,
		logFile: join(directory, 'run.log'),
		stopSignal: 'SIGTERM',
		stopTimeout: 10_000,
		...extra,
	};
}

/** SIGKILLs the run's group when the test ends, whatever happened (before its temporary folder is removed). */
export function killAfter(t: TestContext, run: RunProcess): RunProcess {
	onCleanup(t, async () => {
		run.stop('SIGKILL', 0);
		await run.exited;
	});
	return run;
}

/** Starts `started` (SIGKILLed when the test ends, see killAfter) and resolves once it printed the line "ready". */
export async function startWhenReady(t: TestContext, driver: ProcessDriver, started: SpawnRequest): Promise<RunProcess> {
	let ready = false;
	const run = killAfter(t, driver.spawn({
		...started,
		onLine(line, stream) {
			ready ||= line === 'ready';
			started.onLine?.(line, stream);
		},
	}));
	await waitFor(() => ready, `${started.command} to print "ready"`);
	return run;
}

export function readText(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}
