import type {Model, RunResult} from './job-definition.js';
import {holdReason} from './hold-rule.js';
import type {WindowStatistics} from './job-statistics.js';
import type {JobPhase, JobState, LastExit, StopReason} from './job-state.js';
import type {ResourceUsage} from './resource-usage.js';

/** One run as the UI and `status --json` see it. */
export type WorkerSnapshot = {
	slot: number;
	runId: number;
	pid: number | null;
	/** When fatc decided the start. */
	startedAt: number;
	/** When its process was there: its run time counts from it. Null while it waits for its spawn (`starting`). */
	spawnedAt: number | null;
	state: 'running' | 'stopping';
	stopReason: StopReason | null;
	warned: boolean;
	lastLine: string | null;
	/** CPU % of the run's whole process group over the last sample (~2 s); null until measured. Absent without a sampler. */
	cpuPercent?: number | null;
	/** Resident memory of the run's whole process group in bytes; null until measured. Absent without a sampler. */
	memoryBytes?: number | null;
};

/** A cluster pause of a job (`fatc cluster pause JOB`): when, and the host and user that gave it. */
export type ClusterPause = {since: number; from: string};

/** One job as the UI and `status --json` see it (SPEC §4 names the required fields). */
export type JobSnapshot = {
	name: string;
	model: Model;
	command: string;
	args: string[];
	instances: number;
	allowed: number;
	paused: boolean;
	phase: JobPhase;
	/** Runs started so far. */
	runs: number;
	done: number;
	more: number;
	errors: number;
	stopped: number;
	lastExit: (Omit<LastExit, 'result'> & {result: RunResult}) | null;
	/** When the next start is due (hold, sleep or fixed interval); null when starts wait on nothing or on a slot. */
	nextStartAt: number | null;
	averageDuration: number | null;
	lastDuration: number | null;
	logFile: string;
	/** Where its stderr goes when not to logFile; absent then. */
	errLogFile?: string;
	/** The job's runs under way, or a page of them (an attached TUI gets only the runs it shows), in slot order. */
	workers: WorkerSnapshot[];
	/** All the job's runs under way (stopping ones included), whether `workers` holds them all or a page. */
	runsTotal: number;
	/** Position of `workers[0]` among all of them: 0 unless `workers` is a page. */
	workersOffset: number;
	/** No new run starts: why ("load 2.6/cpu > 2") and since when; null when not held. */
	held: {reason: string; since: number} | null;
	/** Inside a quiet window: until when, and the runs it allows (0: none); null outside. */
	quiet: {until: number; instances: number} | null;
	/** With a backlog probe: the last count and the fan-out it allows (null until known, or while the probe fails). */
	backlog: {count: number | null; target: number | null; failed: string | null} | null;
	/**
	 * Paused for every fatc of the cluster key (`fatc cluster pause`): since when (the pause's time, as its issuer's
	 * clock said) and from where. Absent without a `cluster` config; null when not paused so.
	 */
	clusterPause?: ClusterPause | null;
	/**
	 * A job with a cluster limit (`cluster: {instances}` or `once`): the limit, the runs still waiting for a lease, and,
	 * while Redis cannot be reached, why (no new run starts then). Absent without one.
	 */
	cluster?: {instances: number | null; waiting: number; unreachable: string | null};
	/** A hold probe that fails (fatc goes on as without it); null when it answers, or there is none. */
	holdFailed: string | null;
	/** Runs, results and durations over the last 1 min, 15 min and 1 h (job-statistics.ts). */
	statistics: WindowStatistics[];
	/** The durations of the last runs (up to 30), oldest first: a sparkline's points. Milliseconds. */
	recentDurations: number[];
};

/** Everything a face of fatc shows: plain, JSON-serialisable data. */
export type Snapshot = {
	name: string;
	pid: number;
	configFile: string | null;
	startedAt: number;
	takenAt: number;
	/** The error of the last reload that failed (file, key path, message); null once a valid config loaded. */
	configError: string | null;
	jobs: JobSnapshot[];
	/** fatc's own CPU and memory; absent without a resource sampler. */
	usage?: ResourceUsage | null;
};

/**
 * Which of each job's runs a snapshot lists, in slot order: `limit` of them from `offset` (a TUI's page, the first 20
 * of `fatc status`); `runsTotal` counts them all. Without one, every run. Only the runs listed are built: with 10,000
 * runs under way and a TUI attached, ten snapshots a second would otherwise build 100,000 entries to send 400.
 */
export type RunsWindow = (job: string) => {offset: number; limit: number};

/** `usage: false`: a snapshot without CPU and memory figures (default true where a sampler measures them). */
export type SnapshotOptions = {usage?: boolean};

/**
 * One job as snapshots show it, with the runs `window` lists (default: all). With `usage` (the sampler's reading of
 * each run's process group, by pid), each run gets cpuPercent and memoryBytes, null when not measured; without, it
 * has neither field.
 */
export function snapshotJob(state: JobState, lastLines: ReadonlyMap<number, string>, usage?: ReadonlyMap<number, ResourceUsage>, window?: {offset: number; limit: number}): JobSnapshot {
	const {definition, counters, durations} = state;
	const offset = Math.min(window?.offset ?? 0, state.runs.length);
	const limit = window?.limit ?? state.runs.length;
	const listed = state.runs.inSlotOrder(offset, limit);
	return {
		name: definition.name,
		model: definition.model,
		command: definition.command,
		args: definition.args,
		instances: definition.instances,
		allowed: definition.model === 'dependent' ? Math.min(state.allowed, definition.instances) : definition.instances,
		paused: state.phase === 'paused',
		phase: state.phase,
		runs: counters.started,
		done: counters.done,
		more: counters.more,
		errors: counters.errors,
		stopped: counters.stopped,
		lastExit: state.lastExit ?? null,
		nextStartAt: state.wakeAt ?? null,
		averageDuration: durations.count > 0 ? durations.total / durations.count : null,
		lastDuration: durations.last ?? null,
		logFile: definition.logFile,
		...(definition.errLogFile === undefined ? {} : {errLogFile: definition.errLogFile}),
		runsTotal: state.runs.length,
		...worldOf(state),
		statistics: [],
		recentDurations: [],
		workersOffset: offset,
		workers: listed.map(run => ({
			slot: run.slot,
			runId: run.runId,
			pid: run.pid ?? null,
			startedAt: run.startedAt,
			spawnedAt: run.spawnedAt ?? null,
			state: run.stopReason === undefined ? 'running' : 'stopping',
			stopReason: run.stopReason ?? null,
			warned: run.warned,
			lastLine: lastLines.get(run.runId) ?? null,
			...(usage && measured(usage, run.pid)),
		})),
	};
}

function measured(usage: ReadonlyMap<number, ResourceUsage>, pid: number | undefined): Pick<WorkerSnapshot, 'cpuPercent' | 'memoryBytes'> {
	const group = pid === undefined ? undefined : usage.get(pid);
	return {cpuPercent: group?.cpuPercent ?? null, memoryBytes: group?.memoryBytes ?? null};
}

function worldOf(state: JobState): Pick<JobSnapshot, 'held' | 'quiet' | 'backlog' | 'holdFailed' | 'cluster'> {
	const {world, definition} = state;
	const reason = holdReason(definition.hold, world);
	const {backlog} = world;
	return {
		held: reason === undefined ? null : {reason, since: world.heldSince ?? 0},
		quiet: world.quiet ?? null,
		backlog: definition.backlog ? {count: backlog.count ?? null, target: backlog.target ?? null, failed: backlog.failed ?? null} : null,
		holdFailed: world.probe.failed ?? null,
		...(definition.cluster === undefined ? {} : {cluster: {
			instances: definition.cluster.instances ?? null,
			waiting: state.cluster?.wanting ?? 0,
			unreachable: state.cluster?.unreachable ?? null,
		}}),
	};
}
