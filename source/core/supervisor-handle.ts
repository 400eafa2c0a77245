import type {Snapshot} from './snapshot.js';
import type {SupervisorEvent} from './supervisor-event.js';

/**
 * What every face of fatc (TUI, `fatc run`, the daemon's socket) uses to see and steer the core.
 * Local (in-process) or, later, remote over the control socket: the same type.
 */
export type SupervisorHandle = {
	snapshot(): Snapshot;
	/** Calls `listener` for every event; returns the unsubscribe. */
	subscribe(listener: (event: SupervisorEvent) => void): () => void;
	/** Sets a job's instances (0 and up). Throws for an unknown job. */
	scale(job: string, instances: number): void;
	pause(job: string): void;
	resume(job: string): void;
	/** Stops every run of the job and starts afresh (also resumes a paused job). */
	restart(job: string): void;
	/** Starts one run now in a free slot, or as soon as one frees. */
	trigger(job: string): void;
	/** Stops one run; it ends as `stopped` and the job's rules decide what starts next. */
	stopRun(job: string, runId: number): void;
	/** Graceful stop of every run; resolves once every process group is gone. Idempotent. */
	shutdown(): Promise<void>;
	/** SIGKILLs every run's process group at once (a second SIGINT). */
	kill(): void;
};
