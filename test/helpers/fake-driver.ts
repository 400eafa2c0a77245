import type {ProcessDriver, RunExit, RunProcess, SpawnRequest} from '../../source/core/process-driver.js';

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
