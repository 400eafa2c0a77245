import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {TestContext} from 'node:test';
import type {RunProcess, SpawnRequest} from '../../source/core/process-driver.js';

export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixture(name: string): string {
	return join(fixtures, name);
}

/** A temporary directory removed when the test ends. */
export function temporaryDirectory(t: TestContext): string {
	const directory = mkdtempSync(join(tmpdir(), 'fatc-driver-'));
	t.after(() => {
		rmSync(directory, {recursive: true, force: true});
	});
	return directory;
}

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

/** SIGKILLs the run's group when the test ends, whatever happened. */
export function killAfter(t: TestContext, run: RunProcess): RunProcess {
	t.after(async () => {
		run.stop('SIGKILL', 0);
		await run.exited;
	});
	return run;
}

/** Polls until `condition` holds; fails after `timeout` ms. */
export async function waitFor(condition: () => boolean, description: string, timeout = 10_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for ${description}`);
		}

		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

/** Live (not zombie) processes whose pgid is `pgid`, read from /proc independently of the driver. */
export function liveMembers(pgid: number): number[] {
	const members: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'latin1');
		} catch {
			continue;
		}

		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (fields[0] !== 'Z' && Number(fields[2]) === pgid) {
			members.push(Number(name));
		}
	}

	return members;
}

/** Whether a process is alive (not a zombie). */
export function isAlive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

export function readText(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}
