import type {ProcessDriver, RunExit, RunProcess, SpawnRequest} from '../../source/core/process-driver.js';
import {createSpawnPacer, type SpawnPacer} from '../../source/core/spawn-pacer.js';

export type FakeRun = {
	request: SpawnRequest;
	pid: number;
	signals: NodeJS.Signals[];
	finish(exit: RunExit): void;
};

/** A driver whose runs end when the test says so; `stop` records the signal and ends the run as killed by it. */
export class FakeDriver implements ProcessDriver {
	readonly runs: FakeRun[] = [];
	closed = false;
	reopened = 0;
	private nextPid = 5000;

	spawn(request: SpawnRequest): RunProcess {
		let resolve: (exit: RunExit) => void = () => {};
		const exited = new Promise<RunExit>(done => {
			resolve = done;
		});
		const run: FakeRun = {request, pid: this.nextPid++, signals: [], finish: exit => resolve(exit)};
		this.runs.push(run);
		return {
			pid: run.pid,
			exited,
			stop(signal) {
				run.signals.push(signal);
				resolve({code: null, signal});
			},
		};
	}

	async logTail(): Promise<string[]> {
		return [];
	}

	reopenLogs(): void {
		this.reopened++;
	}

	async close(): Promise<void> {
		this.closed = true;
	}
}

/** Lets pending promise callbacks (a run's `exited`) run. */
export async function settle(): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/**
 * A pacer that never defers a start: with a fake clock, whether a start waits for the next loop turn must not depend on
 * how long a loaded machine took over the one before.
 */
export function immediateSpawns(): SpawnPacer {
	return createSpawnPacer({sliceMilliseconds: Number.POSITIVE_INFINITY});
}
