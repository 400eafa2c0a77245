/**
 * What fatc reads a process's output from: child_process's stdout or stderr, a `net.Socket`, or the posix engine's
 * pipe reader (driver/pipe-reader.ts). Events: 'data' (a Buffer), 'end' (the other side closed), 'error', then
 * always 'close' once the descriptor is closed.
 */
export type OutputStream = {
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	once(event: 'end' | 'close', listener: () => void): unknown;
	pause(): unknown;
	resume(): unknown;
	isPaused(): boolean;
	destroy(): unknown;
};

/** What the supervisor asks the driver to start. */
export type SpawnRequest = {
	/** The job and run number this process is (FATC_JOB and FATC_RUN in its environment). */
	job: string;
	runId: number;
	command: string;
	args: string[];
	cwd: string;
	/** The complete environment of the run. */
	env: Record<string, string>;
	/** Where stdout (and stderr when errLogFile is absent) goes, line by line. */
	logFile: string;
	errLogFile?: string;
	/**
	 * Put before each line written to the log files (the job's logFormat): the ISO time it was read, and `[run]`, e.g.
	 * `[run 5 slot 0]`. Absent: the files hold exactly what the run wrote.
	 */
	logPrefix?: {time: boolean; run?: string};
	/**
	 * Called with the last complete line (no newline) of each block of output read, for the UI's "last line" and the
	 * history entry: a block may hold many lines, and only the newest is decoded. Optional.
	 */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** When the leader exits and processes of its group remain, they get this signal, then SIGKILL after stopTimeout ms. */
	stopSignal: NodeJS.Signals;
	stopTimeout: number;
};

/** How a run ended, once its whole process group is gone and its output is flushed. */
export type RunExit = {
	/** Exit code of the group leader, or null when it died by a signal or never started. */
	code: number | null;
	signal: NodeJS.Signals | null;
	/** Set when the process could not be started (command not found, not executable, bad cwd). */
	spawnError?: string;
};

/** A started run: a process group led by `pid`. */
export type RunProcess = {
	/** Undefined only when the spawn failed (then `exited` resolves with spawnError). */
	readonly pid: number | undefined;
	/** Resolves once the leader exited, the whole group is empty and all output reached the log. */
	readonly exited: Promise<RunExit>;
	/**
	 * Sends `signal` to the whole group; if the group is not empty after `timeout` ms, SIGKILLs it.
	 * Idempotent: a second call never shortens or restarts an escalation already under way, but
	 * `stop('SIGKILL', 0)` always kills at once.
	 */
	stop(signal: NodeJS.Signals, timeout: number): void;
};

/**
 * The core's port to processes and their logs. The real one (source/driver/) spawns process groups and writes log
 * files; tests of the core pass a fake.
 */
export type ProcessDriver = {
	spawn(request: SpawnRequest): RunProcess;
	/** How this driver starts processes, named once in the start line (e.g. "posix_spawn through koffi"). */
	readonly spawnsWith?: string;
	/** The last `lines` lines of a log file this driver writes, oldest first; [] when it does not exist. */
	logTail(file: string, lines: number): Promise<string[]>;
	/** Reopens every log file (logrotate, SIGHUP). */
	reopenLogs(): void;
	/** Flushes and closes every log file. */
	close(): Promise<void>;
};
