import type {JobSnapshot, RunsWindow, Snapshot, WorkerSnapshot} from '../../source/core/snapshot.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import type {HistoryQuery, ReloadOutcome, SupervisorHandle} from '../../source/core/supervisor-handle.js';
import type {HistoryEntry} from '../../source/core/run-history.js';

/** A fixed point in time for snapshots: 2026-01-01T00:00:00Z. */
export const epoch = Date.UTC(2026, 0, 1);

export function makeWorker(overrides: Partial<WorkerSnapshot> = {}): WorkerSnapshot {
	return {
		slot: 0,
		runId: 1,
		pid: 4000,
		startedAt: epoch,
		spawnedAt: overrides.startedAt ?? epoch,
		state: 'running',
		stopReason: null,
		warned: false,
		lastLine: null,
		cpuPercent: null,
		memoryBytes: null,
		...overrides,
	};
}

export function makeJob(overrides: Partial<JobSnapshot> = {}): JobSnapshot {
	const workers = overrides.workers ?? [];
	return {
		name: 'job',
		model: 'dependent',
		command: 'true',
		args: [],
		instances: 1,
		allowed: 1,
		paused: false,
		phase: 'running',
		runs: 0,
		done: 0,
		more: 0,
		errors: 0,
		stopped: 0,
		lastExit: null,
		nextStartAt: null,
		averageDuration: null,
		lastDuration: null,
		logFile: '/tmp/job.log',
		held: null,
		quiet: null,
		backlog: null,
		holdFailed: null,
		statistics: [],
		recentDurations: [],
		workers,
		runsTotal: workers.length,
		workersOffset: 0,
		...overrides,
	};
}

export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
	return {
		name: 'stub',
		pid: 1234,
		configFile: '/srv/.fatcontrollerrc',
		startedAt: epoch,
		takenAt: epoch + 65_000,
		configError: null,
		jobs: [makeJob()],
		usage: {cpuPercent: 1.5, memoryBytes: 50 * 1024 * 1024},
		...overrides,
	};
}

/** `count` runs in slots 0…count−1, run ids from `firstRunId`. */
export function makeWorkers(count: number, firstRunId = 1): WorkerSnapshot[] {
	return Array.from({length: count}, (_, slot) => makeWorker({slot, runId: firstRunId + slot, pid: 10_000 + firstRunId + slot, lastLine: `line of run ${firstRunId + slot}`}));
}

export type StubCall = {method: keyof SupervisorHandle; args: unknown[]};

/** A handle with no core behind it: it records every call and shows whatever snapshot the test sets. */
export class StubHandle implements SupervisorHandle {
	readonly calls: StubCall[] = [];
	snapshotCount = 0;
	reloadOutcome: ReloadOutcome = {ok: false, error: 'reload is not built yet'};
	logLines: string[] = [];
	historyEntries: HistoryEntry[] = [];
	/** Resolves shutdown(); tests may hold it to see the "stopping" state. */
	finishShutdown: () => void = () => {};
	holdShutdown = false;
	private readonly listeners = new Set<(event: SupervisorEvent) => void>();

	constructor(public current: Snapshot = makeSnapshot()) {}

	/** Changes the snapshot and tells subscribers, as the core does when something happens. */
	change(next: Snapshot, event: SupervisorEvent = {time: next.takenAt, type: 'supervisor-error', message: 'changed'}): void {
		this.current = next;
		this.emit(event);
	}

	emit(event: SupervisorEvent): void {
		for (const listener of this.listeners) {
			listener(event);
		}
	}

	listenerCount(): number {
		return this.listeners.size;
	}

	called(method: keyof SupervisorHandle): unknown[][] {
		return this.calls.filter(call => call.method === method).map(call => call.args);
	}

	/** The runs each snapshot() asked for, job by job (undefined: every run); the stub lists every run anyway. */
	readonly windowsAsked: Array<Record<string, {offset: number; limit: number}> | undefined> = [];

	snapshot(window?: RunsWindow): Snapshot {
		this.snapshotCount++;
		this.windowsAsked.push(window && Object.fromEntries(this.current.jobs.map(job => [job.name, window(job.name)])));
		return this.current;
	}

	subscribe(listener: (event: SupervisorEvent) => void): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	scale(job: string, instances: number): void {
		this.record('scale', job, instances);
	}

	scaleBy(job: string, by: number): void {
		this.record('scaleBy', job, by);
	}

	pause(job: string): void {
		this.record('pause', job);
	}

	resume(job: string): void {
		this.record('resume', job);
	}

	restart(job: string): void {
		this.record('restart', job);
	}

	trigger(job: string): void {
		this.record('trigger', job);
	}

	stopRun(job: string, runId: number): void {
		this.record('stopRun', job, runId);
	}

	async reload(): Promise<ReloadOutcome> {
		this.record('reload');
		return this.reloadOutcome;
	}

	async history(query: HistoryQuery = {}): Promise<HistoryEntry[]> {
		this.record('history', query);
		return this.historyEntries.filter(entry => query.job === undefined || entry.job === query.job);
	}

	async logTail(job: string, lines: number): Promise<string[]> {
		this.record('logTail', job, lines);
		return this.logLines.slice(-lines);
	}

	async shutdown(): Promise<void> {
		this.record('shutdown');
		if (this.holdShutdown) {
			await new Promise<void>(resolve => {
				this.finishShutdown = resolve;
			});
		}
	}

	kill(): void {
		this.record('kill');
	}

	private record(method: keyof SupervisorHandle, ...args: unknown[]): void {
		this.calls.push({method, args});
	}
}
