import type {OutputStream} from './process-driver.js';

/**
 * The port through which the core learns about the world around its runs (SPEC §6): the machine's load, a probe
 * command's answer, a touched file. The core says what to watch; the world layer (source/world/) watches and reports
 * raw readings; the rules (hold-rule.ts, backlog-rule.ts) decide what they mean.
 */
export type SensorSpec =
	/** The 1-minute load average, read now and then every `every` ms. */
	| {kind: 'load'; every: number}
	/**
	 * A command run by `/bin/sh -c` in its own process group, now and then every `every` ms (counted from the end of
	 * the previous one, so probes never overlap); killed (the whole group) past `timeout` ms.
	 */
	| {kind: 'probe'; command: string; cwd: string; /** Added to fatc's own environment. */ env: Record<string, string>; every: number; timeout: number}
	/** A file (or folder) whose creation or change means "there is work". */
	| {kind: 'file'; path: string};

export type Reading =
	/** `average`: the 1-minute load average as /proc/loadavg gives it; `cpus`: the CPUs it is shared by. */
	| {kind: 'load'; average: number; cpus: number}
	/**
	 * A probe that ran: its exit code (null when killed by a signal) and the start of its stdout (at most 4 KiB).
	 * `error`: it could not be started, or it was killed for passing its timeout; then `code` is null.
	 */
	| {kind: 'probe'; code: number | null; output: string; error?: string}
	| {kind: 'file'};

/** A probe's shell, started in a process group of its own: its stdout, and its leader's end once reaped. */
export type ProbeProcess = {
	pid: number;
	stdout: OutputStream;
	onExit(listener: (exit: {code: number | null; signal: NodeJS.Signals | null}) => void): void;
};

/**
 * How probes start (`/bin/sh -c command` in `cwd`, fatc's environment plus `env`): the host passes its process
 * driver's engine (posix_spawn, no fork of fatc); without one, child_process.spawn. A start that failed: its error.
 */
export type StartProbe = (probe: {command: string; cwd: string; env: Record<string, string>}) => {started: ProbeProcess} | {failure: Promise<unknown>};

export type Sensors = {
	/**
	 * Starts watching; `listener` gets every reading until the returned function is called. Identical specs may
	 * share one watcher (one load reader for every job that holds on load).
	 */
	watch(spec: SensorSpec, listener: (reading: Reading) => void): () => void;
	/** Stops every watcher and probe still running (a running probe's group gets SIGKILL); resolves when they are gone. */
	close(): Promise<void>;
};
