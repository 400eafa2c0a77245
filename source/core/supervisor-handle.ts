import type {HistoryEntry} from './run-history.js';
import type {RunsWindow, Snapshot, SnapshotOptions} from './snapshot.js';
import type {SupervisorEvent} from './supervisor-event.js';

export type HistoryQuery = {job?: string; since?: number; limit?: number};

/** What a reload did: a one-line summary of what changed, or why the file was not used. */
export type ReloadOutcome = {ok: true; summary: string} | {ok: false; error: string};

/**
 * What every face of fatc (TUI, `fatc run`, the daemon's socket) uses to see and steer the core: the supervisor
 * itself in the process that hosts it, a client of the control socket elsewhere (daemon/remote-handle.ts).
 */
export type SupervisorHandle = {
	/**
	 * The state of every job, with the runs `window` lists (default: all). A handle may list more than asked (a
	 * remote one lists its subscription's page): `workersOffset` says where its `workers` begin. `{usage: false}`: no
	 * CPU and memory figures (none read, no /proc scan started for them), for a face that shows none (`fatc status`).
	 */
	snapshot(window?: RunsWindow, options?: SnapshotOptions): Snapshot;
	/** Calls `listener` for every event; returns the unsubscribe. */
	subscribe(listener: (event: SupervisorEvent) => void): () => void;
	/** Sets a job's instances (0 and up). Throws for an unknown job. */
	scale(job: string, instances: number): void;
	/**
	 * Changes a job's instances by `by` (+1, -1) from the core's own current value, not a face's view of it: quick
	 * presses each count, applied in order; held to 0…the maximum, and no change is no event. Throws for an unknown job.
	 */
	scaleBy(job: string, by: number): void;
	pause(job: string): void;
	resume(job: string): void;
	/** Stops every run of the job and starts afresh (also resumes a paused job). */
	restart(job: string): void;
	/** Starts one run now in a free slot, or as soon as one frees. */
	trigger(job: string): void;
	/** Stops one run; it ends as `stopped` and the job's rules decide what starts next. */
	stopRun(job: string, runId: number): void;
	/**
	 * Reads the config file again and applies only what changed (SPEC §2.4: an invalid file changes nothing and
	 * its error shows in `snapshot().configError`). Resolves with a one-line summary or the error.
	 */
	reload(): Promise<ReloadOutcome>;
	/** The last `lines` lines of the job's log file (oldest first). */
	logTail(job: string, lines: number): Promise<string[]>;
	/** Ended runs, newest first: a job's (all jobs' without one), that ended at or after `since`, at most `limit`. */
	history(query?: HistoryQuery): Promise<HistoryEntry[]>;
	/** Graceful stop of every run; resolves once every process group is gone. Idempotent. */
	shutdown(): Promise<void>;
	/** SIGKILLs every run's process group at once (a second SIGINT). */
	kill(): void;
};
