import type {OutputStream, SpawnRequest} from '../core/process-driver.js';

/** posix: glibc's posix_spawn through koffi (vfork-like, nothing copied); node: child_process.spawn (libuv forks). */
export type SpawnEngineName = 'posix' | 'node';

/** One output pipe of a started run: what fatc reads, which stream it carries, and the log file it goes to. */
export type OutputPipe = {stream: OutputStream; name: 'stdout' | 'stderr'; logFile: string};

/** How the leader of a run ended. */
export type LeaderExit = {code: number | null; signal: NodeJS.Signals | null};

/** A process an engine started, leading a process group (and session) of its own. */
export type StartedProcess = {
	pid: number;
	/** [stdout and stderr in one] when the request has no errLogFile and the engine can share a pipe, else [stdout, stderr]. */
	pipes: OutputPipe[];
	/** Called once, with the leader's exit, once it has been reaped. */
	onExit(listener: (exit: LeaderExit) => void): void;
};

/** A start: a process, or the error of one that could not start (ENOENT, EACCES, EMFILE…), maybe known only later. */
export type SpawnAttempt = {started: StartedProcess} | {failure: Promise<unknown>};

/** How fatc starts processes; one is chosen per fatc (choose-spawn-engine.ts). */
export type SpawnEngine = {
	readonly name: SpawnEngineName;
	/** One line naming it, for the event log and `fatc check`. */
	readonly description: string;
	/** Starts a run: its own session and process group, stdin from /dev/null, output into pipes. Never throws. */
	start(request: SpawnRequest): SpawnAttempt;
	/** File descriptors fatc holds for one run of a job under way. */
	descriptorsPerRun(job: {errLogFile?: string}): number;
	/** Reaps ended orphans fatc adopted, so that kill(-pgid, 0) no longer finds them; called before group checks. */
	reapNow?(): void;
	/** A live member of group `pgid` found among fatc's own children (no scan of all of /proc); undefined if none is. */
	findGroupMember?(pgid: number): number | undefined;
	/** The posix engine's spawner thread (spawn-thread.ts), once started: whether it serves, and how many starts it made. */
	spawnerThread?(): {serving: boolean; failure?: string; starts: number; settled: Promise<void>} | undefined;
	/** Tells `listener` of what the engine could not do as it meant to and does another way: the spawner thread refused by the system. */
	onWarning?(listener: (message: string) => void): void;
	/**
	 * fatc adopts its runs' orphans (child subreaper, or PID 1): whatever leaves a run's group ends up below fatc's own
	 * children, never under PID 1.
	 */
	readonly adopts?: boolean;
};
