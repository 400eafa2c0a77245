import type {ProcessDriver, RunProcess} from './process-driver.js';
import {systemClock, type Clock} from './clock.js';
import {maximumInstances, type Configuration, type JobDefinition} from './job-definition.js';
import type {Effect, JobEvent} from './job-event.js';
import {reduceJob} from './job-reducer.js';
import {createJobState, isFinished, type JobState} from './job-state.js';
import {snapshotJob, type Snapshot} from './snapshot.js';
import type {ResourceSampler} from './resource-usage.js';
import {withResourceUsage} from './snapshot-usage.js';
import type {SupervisorEvent} from './supervisor-event.js';
import type {SupervisorHandle} from './supervisor-handle.js';
import {buildSpawnRequest} from './spawn-request.js';
import {applyJobChanges, dropRemovedJobs, type ReloadableJob} from './apply-configuration.js';
import {createReloader} from './reload-configuration.js';
import {createSpawnPacer, type CancelStart, type SpawnPacer} from './spawn-pacer.js';

export type SupervisorOptions = {
	configuration: Configuration;
	/** Loads the config file again, for reload(); throws ConfigError for an invalid file. */
	loadConfiguration?: () => Promise<Configuration>;
	driver: ProcessDriver;
	clock?: Clock;
	/** One scheduling pass, then `finished` resolves (SPEC §1 "Run once"). */
	runOnce?: boolean;
	/** Measures CPU and memory of runs and of fatc for snapshot(); without one, snapshots carry none. */
	resourceSampler?: ResourceSampler;
	/** Spreads spawns over event-loop turns. Default: createSpawnPacer(), ~50 ms of spawning a turn. */
	spawnPacer?: SpawnPacer;
};

export type Supervisor = SupervisorHandle & {
	start(): void;
	/** Resolves when every job is over: after shutdown, or after the run-once pass. `ok`: no run ended as error or stopped. */
	readonly finished: Promise<{ok: boolean}>;
};

type JobRuntime = ReloadableJob & {
	processes: Map<number, RunProcess>;
	/** Runs decided (they hold their slot) but waiting for the pacer: a stop cancels them unspawned. */
	queuedStarts: Map<number, CancelStart>;
	lastLines: Map<number, string>;
};

/** The imperative shell: runs the pure rules' effects against a process driver and a clock. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
	const {configuration, driver, clock = systemClock, spawnPacer = createSpawnPacer()} = options;
	const startedAt = Date.now();
	const listeners = new Set<(event: SupervisorEvent) => void>();
	const createRuntime = (definition: JobDefinition): JobRuntime => ({
		state: createJobState(definition, {runOnce: options.runOnce}),
		processes: new Map(),
		queuedStarts: new Map(),
		lastLines: new Map(),
	});
	const jobs = new Map<string, JobRuntime>(configuration.jobs.map(definition => [definition.name, createRuntime(definition)]));
	const queue: Array<{job: string; event: JobEvent}> = [];
	let draining = false;
	let shuttingDown: Promise<void> | undefined;
	let failures = 0;
	let configError: string | null = null;
	let resolveFinished: (outcome: {ok: boolean}) => void = () => {};
	const finished = new Promise<{ok: boolean}>(resolve => {
		resolveFinished = resolve;
	});
	const table = {jobs, create: createRuntime, dispatch};
	const reload = createReloader({
		configuration,
		load: options.loadConfiguration,
		apply: diff => applyJobChanges(table, diff.jobs),
		emit,
		setConfigError(message) {
			configError = message;
		},
		isStopping: () => shuttingDown !== undefined,
	});

	function emit(event: SupervisorEvent) {
		for (const listener of listeners) {
			listener(event);
		}
	}

	function dispatch(job: string, event: JobEvent) {
		queue.push({job, event});
		if (draining) {
			return;
		}

		draining = true;
		try {
			for (let next = queue.shift(); next; next = queue.shift()) {
				const runtime = jobs.get(next.job);
				if (!runtime) {
					continue;
				}

				const reduction = reduceJob(runtime.state, next.event, clock.now());
				runtime.state = reduction.state;
				for (const effect of reduction.effects) {
					apply(next.job, runtime, effect);
				}
			}
		} finally {
			draining = false;
		}

		dropRemovedJobs(table, shuttingDown !== undefined);
		if ([...jobs.values()].every(runtime => isOver(runtime.state))) {
			resolveFinished({ok: failures === 0});
		}
	}

	function isOver(state: JobState): boolean {
		return state.runs.length === 0 && (state.phase === 'stopping' || isFinished(state));
	}

	function apply(job: string, runtime: JobRuntime, effect: Effect) {
		switch (effect.type) {
			case 'spawn': {
				const cancel = spawnPacer.schedule(() => {
					runtime.queuedStarts.delete(effect.runId);
					spawnRun(job, runtime, effect.runId, effect.slot);
				});
				if (cancel) {
					runtime.queuedStarts.set(effect.runId, cancel);
				}

				break;
			}

			case 'stop': {
				if (!cancelQueuedStart(job, runtime, effect.runId)) {
					runtime.processes.get(effect.runId)?.stop(effect.signal, effect.timeout);
				}

				break;
			}

			case 'wake-at': {
				runtime.cancelTimer?.();
				runtime.cancelTimer = effect.time === undefined ? undefined : clock.setTimer(effect.time, () => {
					runtime.cancelTimer = undefined;
					dispatch(job, {type: 'tick'});
				});
				break;
			}

			case 'notify': {
				if (effect.notice.type === 'run-ended' && (effect.notice.result === 'error' || effect.notice.result === 'stopped')) {
					failures++;
				}

				emit({...effect.notice, time: Date.now(), job});
				break;
			}
		}
	}

	// The definition as it is when the pacer gets to it: a reload meanwhile either kept this run or stopped it.
	function spawnRun(job: string, runtime: JobRuntime, runId: number, slot: number) {
		const request = buildSpawnRequest(runtime.state.definition, slot, runId, line => {
			runtime.lastLines.set(runId, line);
		});
		const process = driver.spawn(request);
		runtime.processes.set(runId, process);
		dispatch(job, {type: 'spawned', runId, pid: process.pid});
		void process.exited.then(exit => {
			runtime.processes.delete(runId);
			runtime.lastLines.delete(runId);
			dispatch(job, {type: 'exited', runId, exit});
		});
	}

	/** A stopped run that was never spawned ends at once, with no process and no signal. */
	function cancelQueuedStart(job: string, runtime: JobRuntime, runId: number): boolean {
		const cancel = runtime.queuedStarts.get(runId);
		if (cancel === undefined) {
			return false;
		}

		runtime.queuedStarts.delete(runId);
		cancel();
		dispatch(job, {type: 'exited', runId, exit: {code: null, signal: null}});
		return true;
	}

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
			emit({time: Date.now(), type: 'supervisor-started', pid: process.pid, jobs: jobs.size});
			for (const job of jobs.keys()) {
				dispatch(job, {type: 'start'});
			}
		},
		snapshot(): Snapshot {
			return withResourceUsage({
				name: configuration.name,
				pid: process.pid,
				configFile: configuration.configFile ?? null,
				startedAt,
				takenAt: clock.now(),
				configError,
				jobs: [...jobs.values()].map(runtime => snapshotJob(runtime.state, runtime.lastLines)),
			}, options.resourceSampler?.read());
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		scale(job, instances) {
			if (!Number.isInteger(instances) || instances < 0 || instances > maximumInstances) {
				throw new Error(`instances: expected an integer from 0 to ${maximumInstances}, got ${instances}`);
			}

			act(job, {type: 'scale', instances});
		},
		pause: job => act(job, {type: 'pause'}),
		resume: job => act(job, {type: 'resume'}),
		restart: job => act(job, {type: 'restart'}),
		trigger: job => act(job, {type: 'trigger'}),
		stopRun: (job, runId) => act(job, {type: 'stop-run', runId}),
		reload,
		async logTail(job, lines) {
			return driver.logTail(runtimeOf(job).state.definition.logFile, lines);
		},
		shutdown() {
			shuttingDown ??= (async () => {
				emit({time: Date.now(), type: 'supervisor-stopping', force: false});
				for (const job of jobs.keys()) {
					dispatch(job, {type: 'shutdown'});
				}

				await finished;
				for (const runtime of jobs.values()) {
					runtime.cancelTimer?.();
				}

				await driver.close();
				emit({time: Date.now(), type: 'supervisor-stopped'});
			})();
			return shuttingDown;
		},
		kill() {
			emit({time: Date.now(), type: 'supervisor-stopping', force: true});
			for (const [job, runtime] of jobs) {
				for (const runId of [...runtime.queuedStarts.keys()]) {
					cancelQueuedStart(job, runtime, runId);
				}

				for (const process of runtime.processes.values()) {
					process.stop('SIGKILL', 0);
				}
			}
		},
	};
}
