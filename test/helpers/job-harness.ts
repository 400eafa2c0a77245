import type {JobDefinition} from '../../source/core/job-definition.js';
import type {Effect, JobEvent, JobNotice} from '../../source/core/job-event.js';
import {reduceJob} from '../../source/core/job-reducer.js';
import {createJobState, type JobState} from '../../source/core/job-state.js';
import {makeDefinition} from './job-definition.js';

/** Drives the pure job rules with a fake clock: every effect is recorded, spawns get a fake pid at once. */
export class JobHarness {
	state: JobState;
	now = 1_000_000;
	readonly effects: Effect[] = [];
	/** Most runs seen at once: checked against instances by the tests. */
	peakRuns = 0;

	constructor(overrides: Partial<JobDefinition> = {}, options: {runOnce?: boolean; now?: number} = {}) {
		this.now = options.now ?? this.now;
		this.state = createJobState(makeDefinition(overrides), options);
		this.send({type: 'start'});
	}

	send(event: JobEvent): Effect[] {
		const reduction = reduceJob(this.state, event, this.now);
		this.state = reduction.state;
		this.effects.push(...reduction.effects);
		this.peakRuns = Math.max(this.peakRuns, this.state.runs.length);
		for (const effect of reduction.effects) {
			if (effect.type === 'refused') {
				throw new Error(`the rules refused ${event.type}: ${effect.reason}`);
			}

			if (effect.type === 'spawn') {
				this.send({type: 'spawned', runId: effect.runId, pid: 10_000 + effect.runId});
			}
		}

		return reduction.effects;
	}

	/** The run in `slot` exits with `code` (0 done, 64 more, other error). */
	exit(slot: number, code: number | null, signal: NodeJS.Signals | null = null): Effect[] {
		const run = this.state.runs.find(candidate => candidate.slot === slot);
		if (!run) {
			throw new Error(`no run in slot ${slot}; runs: ${JSON.stringify(this.state.runs)}`);
		}

		return this.send({type: 'exited', runId: run.runId, exit: {code, signal}});
	}

	/** Moves the clock on and delivers a tick, as the shell's timer would. */
	advance(milliseconds: number): Effect[] {
		this.now += milliseconds;
		return this.send({type: 'tick'});
	}

	busySlots(): number[] {
		return this.state.runs.map(run => run.slot).sort((first, second) => first - second);
	}

	runningSlots(): number[] {
		return this.state.runs.filter(run => run.stopReason === undefined).map(run => run.slot).sort((first, second) => first - second);
	}

	static spawnedSlots(effects: Effect[]): number[] {
		return effects.flatMap(effect => (effect.type === 'spawn' ? [effect.slot] : []));
	}

	static stoppedRuns(effects: Effect[]): number[] {
		return effects.flatMap(effect => (effect.type === 'stop' ? [effect.runId] : []));
	}

	static notices(effects: Effect[]): JobNotice[] {
		return effects.flatMap(effect => (effect.type === 'notify' ? [effect.notice] : []));
	}

	static wakeAt(effects: Effect[]): number | undefined {
		const wakes = effects.filter(effect => effect.type === 'wake-at');
		const last = wakes.at(-1);
		return last?.type === 'wake-at' ? last.time : undefined;
	}
}
