import {applyJobChanges, dropRemovedJobs} from './apply-configuration.js';
import {systemClock, type Clock} from './clock.js';
import type {ClusterPort} from './cluster-port.js';
import {createEffectRunner} from './effect-runner.js';
import {createEventBus} from './event-bus.js';
import {createJobDispatcher} from './job-dispatcher.js';
import {maximumInstances, type Configuration, type JobDefinition} from './job-definition.js';
import type {JobEvent} from './job-event.js';
import {createJobRuntime, type JobRuntime} from './job-runtime.js';
import {isFinished, type JobState} from './job-state.js';
import type {ProcessDriver} from './process-driver.js';
import {createReloader} from './reload-configuration.js';
import type {ResourceSampler} from './resource-usage.js';
import {JobStatistics} from './job-statistics.js';
import {historyEntry, RunHistory, type HistoryEntry} from './run-history.js';
import {createSensorWatch} from './sensor-watch.js';
import type {Sensors} from './sensors.js';
import {snapshotJob, type RunsWindow, type Snapshot, type SnapshotOptions} from './snapshot.js';
import {createSpawnPacer, type SpawnPacer} from './spawn-pacer.js';
import type {SupervisorHandle} from './supervisor-handle.js';

export type SupervisorOptions = {
	configuration: Configuration;
	/**
	 * Instances set by hand in an earlier life of this config (remembered): those jobs start with them. The config stays
	 * the file's, so a reload keeps them until the file's own instances changes, as any scale by hand.
	 */
	startScales?: ReadonlyMap<string, number>;
	/** Loads the config file again, for reload(); throws ConfigError for an invalid file. */
	loadConfiguration?: () => Promise<Configuration>;
	driver: ProcessDriver;
	/** All time of the core: run starts, deadlines, event stamps, snapshots. Default: the system's monotonic clock. */
	clock?: Clock;
	/** One scheduling pass, then `finished` resolves (SPEC §1 "Run once"). */
	runOnce?: boolean;
	/** Measures CPU and memory of runs and of fatc for snapshot(); without one, snapshots carry none. */
	resourceSampler?: ResourceSampler;
	/** Spreads spawns over event-loop turns. Default: createSpawnPacer(), ~10 ms of spawning a turn. */
	spawnPacer?: SpawnPacer;
	/** An event the rules refuse (a bug, never input) throws; false turns it into a supervisor-error event. Default true. */
	strict?: boolean;
	/** The pid snapshots show (fatc's own). Default: this process's. */
	pid?: number;
	/** The load, probes and wake files jobs ask for (hold, backlog, wake); without, those settings see nothing. */
	sensors?: Sensors;
	/** Runs that ended before this supervisor (a history file), oldest first: history and statistics go on from them. */
	history?: readonly HistoryEntry[];
	/** Leases and tick claims in Redis for jobs with `cluster` (cluster-port.ts); its reports come back as events. */
	cluster?: ClusterPort;
};

export type Supervisor = SupervisorHandle & {
	start(): void;
	/** Resolves when every job is over: after shutdown, or after the run-once pass. `ok`: no run ended as error or stopped. */
	readonly finished: Promise<{ok: boolean}>;
};

/**
 * The imperative shell around the pure job rules, in three parts: the dispatcher feeds events to the rules
 * (job-dispatcher.ts), the effect runner does what they decide (effect-runner.ts), the event bus tells the faces
 * (event-bus.ts). This file wires them and implements the handle every face uses.
 */
export function createSupervisor(options: SupervisorOptions): Supervisor {
	const {configuration, driver, clock = systemClock, spawnPacer = createSpawnPacer(), pid = process.pid} = options;
	const startedAt = clock.now();
	const bus = createEventBus(clock);
	const createRuntime = (definition: JobDefinition) => createJobRuntime(definition, {runOnce: options.runOnce});
	const jobs = new Map<string, JobRuntime>(configuration.jobs.map(definition => {
		const instances = options.startScales?.get(definition.name) ?? definition.instances;
		return [definition.name, createRuntime({...definition, instances})];
	}));
	let shuttingDown: Promise<void> | undefined;
	let configError: string | null = null;
	let resolveFinished: (outcome: {ok: boolean}) => void = () => {};
	const finished = new Promise<{ok: boolean}>(resolve => {
		resolveFinished = resolve;
	});

	const history = new RunHistory();
	const statistics = new Map<string, JobStatistics>();
	const statisticsOf = (job: string) => {
		let figures = statistics.get(job);
		if (!figures) {
			figures = new JobStatistics();
			statistics.set(job, figures);
		}

		return figures;
	};

	for (const entry of options.history ?? []) {
		history.add(entry);
		statisticsOf(entry.job).ended(entry.result, entry.spawnError === null ? entry.duration : undefined, entry.endedAt);
	}

	// First of the bus's listeners: history and statistics see every event before any face does.
	bus.subscribe(event => {
		if (event.type === 'run-ended') {
			history.add(historyEntry(event));
			statisticsOf(event.job).ended(event.result, event.spawnError === undefined ? event.duration : undefined, event.time);
		} else if (event.type === 'held') {
			statisticsOf(event.job).held(event.time);
		} else if (event.type === 'released') {
			statisticsOf(event.job).released(event.time);
		}
	});

	const dispatch = createJobDispatcher({
		jobs,
		now: () => clock.now(),
		apply: (job, runtime, effect) => {
			effects.apply(job, runtime, effect);
		},
		afterDrain() {
			dropRemovedJobs(table, shuttingDown !== undefined);
			sensorWatch.sync(jobs);
			// A job a reload removed, once its runs are gone: its history and figures go with it.
			for (const job of statistics.keys()) {
				if (!jobs.has(job)) {
					statistics.delete(job);
					history.forget(job);
				}
			}

			if ([...jobs.values()].every(runtime => isOver(runtime.state))) {
				resolveFinished({ok: effects.failures === 0});
			}
		},
	});
	const sensorWatch = createSensorWatch(options.sensors, (job, event) => {
		dispatch(job, event);
	});
	const effects = createEffectRunner({driver, clock, spawnPacer, emit: bus.emit, dispatch, strict: options.strict ?? true, cluster: options.cluster});
	options.cluster?.attach((job, report) => {
		if (jobs.has(job)) {
			dispatch(job, report);
		}
	});
	const table = {jobs, create: createRuntime, dispatch};
	const reload = createReloader({
		configuration,
		load: options.loadConfiguration,
		apply: diff => applyJobChanges(table, diff.jobs),
		emit: bus.emit,
		setConfigError(message) {
			configError = message;
		},
		isStopping: () => shuttingDown !== undefined,
	});

	function runtimeOf(job: string): JobRuntime {
		const runtime = jobs.get(job);
		if (!runtime) {
			throw new Error(`No job named "${job}" (jobs: ${[...jobs.keys()].join(', ')})`);
		}

		return runtime;
	}

	function act(job: string, event: JobEvent) {
		runtimeOf(job);
		dispatch(job, event);
	}

	return {
		finished,
		start() {
			bus.emit({type: 'supervisor-started', pid, jobs: jobs.size, spawnsWith: driver.spawnsWith});
			for (const job of jobs.keys()) {
				dispatch(job, {type: 'start'});
			}
		},
		snapshot(window?: RunsWindow, snapshotOptions?: SnapshotOptions): Snapshot {
			const takenAt = clock.now();
			// Each run's usage filled in as its entry is built: at 10,000 runs a second pass copied every entry again.
			// Not read when not wanted: a read starts the sampler's /proc scans, 0.3 s each with 10,000 runs.
			const reading = snapshotOptions?.usage === false ? undefined : options.resourceSampler?.read();
			return {
				name: configuration.name,
				pid,
				configFile: configuration.configFile ?? null,
				startedAt,
				takenAt,
				configError,
				jobs: [...jobs.values()].map(runtime => {
					const {name} = runtime.state.definition;
					return {
						...snapshotJob(runtime.state, runtime.lastLines, reading?.groups, window?.(name)),
						statistics: statisticsOf(name).figures(takenAt),
						recentDurations: history.recentDurations(name, 30),
					};
				}),
				...(reading && {usage: reading.self}),
			};
		},
		subscribe: bus.subscribe,
		scale(job, instances) {
			if (!Number.isInteger(instances) || instances < 0 || instances > maximumInstances) {
				throw new Error(`instances: expected an integer from 0 to ${maximumInstances}, got ${instances}`);
			}

			act(job, {type: 'scale', instances});
		},
		scaleBy(job, by) {
			if (!Number.isInteger(by)) {
				throw new TypeError(`scale by: expected an integer, got ${by}`);
			}

			act(job, {type: 'scale-by', by});
		},
		pause: job => act(job, {type: 'pause'}),
		resume: job => act(job, {type: 'resume'}),
		restart: job => act(job, {type: 'restart'}),
		trigger: job => act(job, {type: 'trigger'}),
		stopRun: (job, runId) => act(job, {type: 'stop-run', runId}),
		reload,
		async history(query = {}) {
			if (query.job !== undefined) {
				runtimeOf(query.job);
			}

			return history.entries(query);
		},
		async logTail(job, lines) {
			return driver.logTail(runtimeOf(job).state.definition.logFile, lines);
		},
		shutdown() {
			shuttingDown ??= (async () => {
				bus.emit({type: 'supervisor-stopping', force: false});
				for (const job of jobs.keys()) {
					dispatch(job, {type: 'shutdown'});
				}

				await finished;
				for (const runtime of jobs.values()) {
					runtime.cancelTimer?.();
				}

				await sensorWatch.close();
				await driver.close();
				bus.emit({type: 'supervisor-stopped'});
			})();
			return shuttingDown;
		},
		kill() {
			bus.emit({type: 'supervisor-stopping', force: true});
			effects.killAll(jobs);
		},
	};
}

function isOver(state: JobState): boolean {
	return state.runs.length === 0 && (state.phase === 'stopping' || isFinished(state));
}
