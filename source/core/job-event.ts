import type {JobDefinition, RunResult} from './job-definition.js';
import type {RunExit} from './process-driver.js';
import type {StopReason} from './job-state.js';
import type {Reading} from './sensors.js';
import type {ClusterLease, ClusterReport} from './cluster-port.js';

/** What a sensor watches for a job (sensor-specs.ts). */
export type SensorRole = 'load' | 'hold-probe' | 'backlog' | 'wake';

/** What happens to a job: the input of the pure rules. */
export type JobEvent =
	| {type: 'start'}
	| {type: 'tick'}
	| {type: 'spawned'; runId: number; pid: number | undefined}
	/** `lastLine`: the run's last output line, kept for its history entry. */
	| {type: 'exited'; runId: number; exit: RunExit; lastLine?: string}
	| {type: 'scale'; instances: number}
	/** Instances changed by `by` from the job's own current value (TUI `+`/`-`: quick presses each count). */
	| {type: 'scale-by'; by: number}
	/** A reload changed the job's definition (change-definition.ts says how it applies). */
	| {type: 'redefine'; definition: JobDefinition}
	| {type: 'pause'}
	| {type: 'resume'}
	| {type: 'restart'}
	| {type: 'trigger'}
	| {type: 'stop-run'; runId: number}
	/** A sensor's reading: the load, a probe's answer, a touched wake file. */
	| {type: 'sensed'; role: SensorRole; reading: Reading}
	/** The cluster's leases and tick claims (cluster-port.ts). */
	| ClusterReport
	| {type: 'shutdown'};

/** Something worth telling a person: one line of `fatc run`, one event line of the TUI. */
export type JobNotice =
	/** `startedAt`: when fatc decided the start (its clock), which timing rules count from; `time` is when it was told. */
	| {type: 'run-started'; runId: number; slot: number; pid: number | undefined; startedAt: number}
	| {
		type: 'run-ended';
		runId: number;
		slot: number;
		pid: number | undefined;
		result: RunResult;
		code: number | null;
		signal: string | null;
		duration: number;
		/** When fatc decided the start (its clock), as in run-started. */
		startedAt: number;
		stopReason?: StopReason;
		spawnError?: string;
		/** The run's last output line, if it wrote one. */
		lastLine?: string;
	}
	| {type: 'run-warning'; runId: number; slot: number; pid: number | undefined; runTime: number}
	| {type: 'run-stopping'; runId: number; slot: number; pid: number | undefined; reason: StopReason}
	| {type: 'scaled'; from: number; to: number}
	| {type: 'fan-out'; from: number; to: number}
	| {type: 'paused'}
	| {type: 'resumed'}
	| {type: 'restarted'}
	| {type: 'triggered'}
	/** No new run starts until `released` (hold-rule.ts). */
	| {type: 'held'; reason: string}
	| {type: 'released'; heldFor: number}
	/** A quiet window opened: at most `instances` runs (0: none) until `until`. */
	| {type: 'quiet'; until: number; instances: number}
	| {type: 'quiet-ended'}
	/** The backlog moved the fan-out (`from` null: the first reading). */
	| {type: 'backlog'; count: number; from: number | null; to: number}
	/** A hold or backlog probe fails: fatc goes on as without it until it answers again. Said once. */
	| {type: 'sensor-failed'; sensor: 'hold' | 'backlog'; message: string}
	| {type: 'sensor-recovered'; sensor: 'hold' | 'backlog'}
	/** The wake file was touched: there is new work. */
	| {type: 'woken'}
	/**
	 * The crash-loop back-off (job-state.ts errorDelay) began to stretch the wait after an error beyond sleepOnError
	 * (`wait`: the first stretched wait), or ended (`wait`: sleepOnError again). Said once each way, not per error.
	 */
	| {type: 'back-off'; phase: 'began' | 'ended'; wait: number; quickErrors: number}
	/** Redis cannot be reached: no new run of this cluster-limited job starts until it is back (`reason`: one line). */
	| {type: 'cluster-unreachable'; reason: string}
	| {type: 'cluster-reachable'}
	/** A `once` tick another host runs (or Redis could not be asked): none here. Said once per tick. */
	| {type: 'tick-skipped'; tick: number};

/** What the pure rules ask the shell to do. */
export type Effect =
	| {type: 'spawn'; runId: number; slot: number; /** FATC_CLUSTER_SLOT */ clusterSlot?: number}
	| {type: 'stop'; runId: number; signal: NodeJS.Signals; timeout: number}
	/** cluster-port.ts: leases wanted beyond those held, one no longer needed, a tick to claim. */
	| {type: 'want-leases'; limit: number; count: number}
	| {type: 'release-lease'; lease: ClusterLease}
	| {type: 'claim-tick'; tick: number; keepFor: number}
	| {type: 'wake-at'; time: number | undefined}
	| {type: 'notify'; notice: JobNotice}
	/** An event the rules cannot apply (a run they do not have, a second spawn): a bug upstream, never user input. */
	| {type: 'refused'; reason: string};
