import type {Clock} from './clock.js';
import type {ClusterPort} from './cluster-port.js';
import type {UntimedEvent} from './event-bus.js';
import type {Effect, JobEvent} from './job-event.js';
import type {JobRuntime} from './job-runtime.js';
import type {ProcessDriver} from './process-driver.js';
import {buildSpawnRequest} from './spawn-request.js';
import type {SpawnPacer} from './spawn-pacer.js';

export type EffectRunnerOptions = {
	driver: ProcessDriver;
	clock: Clock;
	spawnPacer: SpawnPacer;
	emit(event: UntimedEvent): void;
	dispatch(job: string, event: JobEvent): void;
	/** A refused event throws (tests, development) or becomes a supervisor-error event (production). */
	strict: boolean;
	/** Leases and tick claims of cluster-limited jobs; without, their effects are dropped (no config has them then). */
	cluster?: ClusterPort;
};

export type EffectRunner = {
	/** Runs one effect of the rules against the driver, the pacer and the clock. */
	apply(job: string, runtime: JobRuntime, effect: Effect): void;
	/** SIGKILLs every run at once and cancels every start still waiting. */
	killAll(jobs: ReadonlyMap<string, JobRuntime>): void;
	/** Runs that ended as error or stopped so far (run-once's exit status). */
	readonly failures: number;
};

/** The imperative half of the rules: what `spawn`, `stop`, `wake-at`, `notify` and `refused` do in the world. */
export function createEffectRunner(options: EffectRunnerOptions): EffectRunner {
	const {driver, clock, spawnPacer, emit, dispatch} = options;
	let failures = 0;

	// The definition as it is when the pacer gets to it: a reload meanwhile either kept this run or stopped it.
	function spawnRun(job: string, runtime: JobRuntime, runId: number, slot: number, clusterSlot: number | undefined) {
		const request = buildSpawnRequest(runtime.state.definition, slot, runId, line => {
			runtime.lastLines.set(runId, line);
		}, clusterSlot);
		const run = driver.spawn(request);
		runtime.processes.set(runId, run);
		dispatch(job, {type: 'spawned', runId, pid: run.pid});
		void run.exited.then(exit => {
			runtime.processes.delete(runId);
			const lastLine = runtime.lastLines.get(runId);
			runtime.lastLines.delete(runId);
			dispatch(job, lastLine === undefined ? {type: 'exited', runId, exit} : {type: 'exited', runId, exit, lastLine});
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

	function apply(job: string, runtime: JobRuntime, effect: Effect) {
		switch (effect.type) {
			case 'spawn': {
				const cancel = spawnPacer.schedule(() => {
					runtime.queuedStarts.delete(effect.runId);
					spawnRun(job, runtime, effect.runId, effect.slot, effect.clusterSlot);
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

				emit({...effect.notice, job});
				break;
			}

			case 'want-leases': {
				options.cluster?.want(job, effect.limit, effect.count);
				break;
			}

			case 'release-lease': {
				options.cluster?.release(job, effect.lease);
				break;
			}

			case 'claim-tick': {
				options.cluster?.claim(job, effect.tick, effect.keepFor);
				break;
			}

			case 'refused': {
				if (options.strict) {
					throw new Error(`job ${job}: ${effect.reason}`);
				}

				emit({type: 'supervisor-error', message: `job ${job}: ignored ${effect.reason}`});
				break;
			}
		}
	}

	return {
		apply,
		killAll(jobs) {
			for (const [job, runtime] of jobs) {
				for (const runId of [...runtime.queuedStarts.keys()]) {
					cancelQueuedStart(job, runtime, runId);
				}

				for (const run of runtime.processes.values()) {
					run.stop('SIGKILL', 0);
				}
			}
		},
		get failures() {
			return failures;
		},
	};
}
