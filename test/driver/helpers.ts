import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import type {RunProcess, SpawnRequest} from '../../source/core/process-driver.js';
import {onCleanup} from '../helpers/cleanup.js';

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

export function readText(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}
