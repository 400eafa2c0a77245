import {resolve} from 'node:path';
import {spawnEngine} from './choose-spawn-engine.js';
import {GroupWatcher} from './group-watcher.js';
import {LogWriter, type DroppedOutput} from './log-writer.js';
import {readLogTail} from './log-tail.js';
import {openRunCgroup} from './run-cgroup.js';
import type {ProcessDriver, SpawnRequest} from '../core/process-driver.js';
import type {SpawnEngine} from './spawn-engine.js';
import {spawnRun, type RunContext} from './spawn-run.js';

export type ProcessDriverOptions = {
	/**
	 * Called when a log file cannot be opened or written (once per failure: its lines are dropped meanwhile and the
	 * file is tried again on a later line, at most once a second), was deleted, or when an onLine callback threw.
	 * Default: none.
	 */
	onError?: (error: Error) => void;
	/** Called once when the engine cannot work as it meant to and works on another way (SpawnEngine.onWarning). Default: none. */
	onWarning?: (message: string) => void;
	/** Called when a log file that failed is written again, with what was dropped meanwhile. Default: none. */
	onLogResumed?: (path: string, dropped: DroppedOutput) => void;
	/** Bytes buffered for one log file before the pipes feeding it are paused. Default 1 MiB. */
	logHighWaterMark?: number;
	/** Called just before each spawn (crash safety: the run registry notes the start before the process exists). */
	beforeSpawn?: (request: SpawnRequest) => void;
	/** How processes are started. Default: spawnEngine(), posix_spawn where it loads (FATC_SPAWN_ENGINE forces one). */
	engine?: SpawnEngine;
	/**
	 * Puts the runs into a cpu cgroup of their own named after this (the config's name) where that matters and can be
	 * done (run-cgroup.ts). Default: none, the runs are scheduled as fatc is.
	 */
	runCgroup?: string;
};

/** The real driver, plus the last log error for status displays. */
export type RealProcessDriver = ProcessDriver & {
	/** The last error passed to onError, if any. */
	readonly lastError: Error | undefined;
	readonly engine: SpawnEngine;
};

/**
 * Spawns each run as its own process group (never through a shell) and writes its output, line by line,
 * to log files shared by all runs of this driver.
 */
export function createProcessDriver(options: ProcessDriverOptions = {}): RealProcessDriver {
	const writers = new Map<string, LogWriter>();
	let lastError: Error | undefined;
	const engine = options.engine ?? spawnEngine();
	const cgroup = options.runCgroup === undefined ? undefined : openRunCgroup(options.runCgroup);
	const context: RunContext = {
		engine,
		cgroup,
		watcher: new GroupWatcher({beforeCheck: engine.reapNow, findMember: engine.findGroupMember}),
		groups: new Map(),
		onError(error) {
			lastError = error;
			options.onError?.(error);
		},
		writerFor(path) {
			const absolutePath = resolve(path);
			let writer = writers.get(absolutePath);
			if (writer === undefined) {
				writer = new LogWriter(absolutePath, {
					onError: context.onError,
					onResumed: dropped => options.onLogResumed?.(absolutePath, dropped),
					highWaterMark: options.logHighWaterMark,
				});
				writers.set(absolutePath, writer);
			}

			return writer;
		},
	};

	// Not a log error: lastError stays what status displays show of the logs.
	engine.onWarning?.(message => {
		options.onWarning?.(message);
	});
	return {
		get lastError() {
			return lastError;
		},
		engine,
		spawnsWith: cgroup === undefined ? engine.description : `${engine.description}; ${cgroup.description}`,
		spawn(request) {
			options.beforeSpawn?.(request);
			return spawnRun(request, context);
		},
		logTail: readLogTail,
		reopenLogs() {
			for (const writer of writers.values()) {
				writer.reopen();
			}
		},
		async close() {
			cgroup?.close();
			await Promise.all([...writers.values()].map(async writer => writer.close()));
		},
	};
}
