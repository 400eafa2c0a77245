import type {ClusterLease} from './cluster-port.js';

/** Why fatc stopped a run. Every reason but `timeout` ends the run as `stopped`. */
export type StopReason = 'scale' | 'restart' | 'pause' | 'shutdown' | 'timeout' | 'interval' | 'manual' | 'reload'
	/** Its cluster lease could not be renewed (cluster-port.ts): it must be gone before another host takes the slot. */
	| 'fenced';

/**
 * Where a run is: `starting` (decided, its process not yet there — or its spawn failed), `running`, `stopping` (fatc
 * asked it to stop). A run whose process group is gone has left the table. run-transitions.ts says what may follow what.
 */
export type RunState = 'starting' | 'running' | 'stopping';

/** A run occupying a slot, from the decision to start it until its whole process group is gone. */
export type RunRecord = {
	/** Per-job counter, 1, 2, 3…; exported to the run as FATC_RUN. */
	readonly runId: number;
	readonly slot: number;
	/** When fatc decided the start: timing rules (fixed interval, timeout, warnAfter) count from it. */
	readonly startedAt: number;
	/** When its process was there (the spawn pacer and a loaded machine may make it wait); run time counts from it. */
	spawnedAt?: number;
	state: RunState;
	/** Undefined until spawned, and for ever when the spawn failed. */
	pid?: number;
	/** Set (with state `stopping`) once fatc asked the run to stop. */
	stopReason?: StopReason;
	warned: boolean;
	/** The cluster lease it runs under (a cluster-limited job), given back when it ends. */
	lease?: ClusterLease;
	/** Its lease could not be renewed (fenced): at its end the lease is given back, never handed to the next start. */
	leaseExpiring?: boolean;
};
