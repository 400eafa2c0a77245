import type {GroupWatcher} from './group-watcher.js';
import type {LogWriter} from './log-writer.js';
import {OutputCapture} from './output-capture.js';
import {signalGroup} from './process-group.js';
import type {RunExit, RunProcess, SpawnRequest} from '../core/process-driver.js';
import type {RunCgroup} from './run-cgroup.js';
import type {OutputPipe, SpawnEngine, StartedProcess} from './spawn-engine.js';
import {spawnErrorMessage} from './spawn-error-message.js';

/** How long a pipe may stay open once the group is empty (held by a process that left the group). */
export const pipeGraceAfterEmpty = 500;

/** What the runs of one driver share. */
export type RunContext = {
	engine: SpawnEngine;
	/** Where started runs are moved for the CPU scheduler (run-cgroup.ts); none: they stay where fatc is. */
	cgroup?: RunCgroup;
	writerFor(path: string): LogWriter;
	watcher: GroupWatcher;
	/** Unfinished runs by pgid: a new leader with the same pid proves the old group is gone. */
	groups: Map<number, SpawnedRun>;
	onError(error: Error): void;
};

/** Starts one run as the leader of a new process group; never throws. */
export function spawnRun(request: SpawnRequest, context: RunContext): RunProcess {
	const attempt = context.engine.start(request);
	if ('failure' in attempt) {
		return failedRun(attempt.failure, request, context.engine);
	}

	context.cgroup?.add(attempt.started.pid);
	return new SpawnedRun(attempt.started, request, context);
}

function failedRun(error: Promise<unknown>, request: SpawnRequest, engine: SpawnEngine): RunProcess {
	return {
		pid: undefined,
		exited: error.then(cause => ({
			code: null,
			signal: null,
			spawnError: spawnErrorMessage(cause, request.command, request.cwd, request.env, engine.descriptorsPerRun(request)),
		})),
		stop() {},
	};
}

/** A started run: follows its leader, its group and its pipes until all are done. */
export class SpawnedRun implements RunProcess {
	readonly exited: Promise<RunExit>;
	private resolveExited: (exit: RunExit) => void = () => undefined;
	private leaderExit: RunExit | undefined;
	private groupGone = false;
	private stopping = false;
	private finished = false;
	private openPipes: number;
	private killTimer: NodeJS.Timeout | undefined;
	private graceTimer: NodeJS.Timeout | undefined;
	private cancelWatch: (() => void) | undefined;
	private readonly captures: OutputCapture[];
	private readonly writers: LogWriter[];
	readonly pid: number;

	constructor(
		started: StartedProcess,
		private readonly request: SpawnRequest,
		private readonly context: RunContext,
	) {
		this.pid = started.pid;
		this.exited = new Promise(resolve => {
			this.resolveExited = resolve;
		});
		context.groups.get(this.pid)?.onGroupEmpty();
		context.groups.set(this.pid, this);
		this.openPipes = started.pipes.length;
		this.writers = started.pipes.map(pipe => context.writerFor(pipe.logFile));
		this.captures = started.pipes.map((pipe, index) => this.capture(pipe, this.writers[index]!));
		started.onExit(exit => {
			this.onLeaderExit(exit);
		});
	}

	stop(signal: NodeJS.Signals, timeout: number): void {
		if (this.groupGone) {
			return;
		}

		if (signal === 'SIGKILL') {
			clearTimeout(this.killTimer);
			this.killTimer = undefined;
			this.stopping = true;
			signalGroup(this.pid, 'SIGKILL');
			this.watchUntilEmpty();
		} else if (!this.stopping) {
			this.stopping = true;
			signalGroup(this.pid, signal);
			this.killTimer = setTimeout(() => {
				this.killTimer = undefined;
				signalGroup(this.pid, 'SIGKILL');
			}, timeout);
			this.watchUntilEmpty();
		}
	}

	/** The group has no live member left (or its pid was given to a new process, which proves it). */
	onGroupEmpty(): void {
		if (this.groupGone) {
			return;
		}

		this.groupGone = true;
		clearTimeout(this.killTimer);
		this.killTimer = undefined;
		this.cancelWatch?.();
		this.cancelWatch = undefined;
		this.context.watcher.forget(this.pid);
		if (this.context.groups.get(this.pid) === this) {
			this.context.groups.delete(this.pid);
		}

		if (this.openPipes > 0) {
			this.armPipeGrace();
		}

		this.finishWhenDone();
	}

	private capture({stream, name}: OutputPipe, writer: LogWriter): OutputCapture {
		return new OutputCapture({
			stream,
			name,
			writer,
			onLine: this.request.onLine,
			onRead: this.context.cgroup?.countOutput,
			logPrefix: this.request.logPrefix,
			onError: this.context.onError,
			onClosed: () => {
				this.openPipes--;
				this.finishWhenDone();
			},
		});
	}

	private onLeaderExit(exit: RunExit): void {
		this.leaderExit = exit;
		if (this.groupGone) {
			this.finishWhenDone();
		} else if (this.context.watcher.isEmpty(this.pid)) {
			this.onGroupEmpty();
		} else if (this.stopping) {
			this.watchUntilEmpty();
		} else {
			// The leader left processes behind: they belong to the run, so they are stopped too.
			this.stop(this.request.stopSignal, this.request.stopTimeout);
		}
	}

	/** Polls only once the leader is gone: while it lives, its own exit event tells us more. */
	private watchUntilEmpty(): void {
		if (this.leaderExit === undefined || this.cancelWatch !== undefined || this.groupGone) {
			return;
		}

		this.cancelWatch = this.context.watcher.watch(this.pid, () => {
			this.cancelWatch = undefined;
			this.onGroupEmpty();
		});
	}

	private armPipeGrace(): void {
		this.graceTimer = setTimeout(() => {
			this.graceTimer = undefined;
			// A pipe paused by the log writer still holds output: wait for the writer instead.
			if (this.captures.some(capture => !capture.isClosed && capture.isPaused)) {
				this.armPipeGrace();
				return;
			}

			for (const capture of this.captures) {
				capture.destroy();
			}
		}, pipeGraceAfterEmpty);
	}

	private finishWhenDone(): void {
		const exit = this.leaderExit;
		if (this.finished || exit === undefined || !this.groupGone || this.openPipes > 0) {
			return;
		}

		this.finished = true;
		clearTimeout(this.graceTimer);
		this.graceTimer = undefined;
		void Promise.all(this.writers.map(async writer => writer.flushed())).then(() => {
			this.resolveExited(exit);
		});
	}
}
