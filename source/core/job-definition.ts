/** Most runs of one job at once: far above any real need, low enough that a typo cannot fork-bomb the machine. */
export const maximumInstances = 10_000;

/** The three thread models of SPEC §1. */
export type Model = 'dependent' | 'independent' | 'fixed';

/** How a run's end steers its job (SPEC §1). `stopped`: fatc itself stopped it; it steers nothing. */
export type RunResult = 'done' | 'more' | 'error' | 'stopped';

/**
 * One job, fully resolved: every default applied, every path absolute, every duration in milliseconds.
 * The config loader produces it; the core never sees raw config.
 */
export type JobDefinition = {
	name: string;
	/** Looked up on PATH; never run through a shell. */
	command: string;
	args: string[];
	/** Absolute. Default: the config file's folder. */
	cwd: string;
	/** Added to fatc's own environment. */
	env: Record<string, string>;
	/** Default `dependent`. */
	model: Model;
	/** Most runs at once. Default 1. */
	instances: number;
	/** Milliseconds. Default 30 s. */
	sleep: number;
	/** Milliseconds. Default 300 s. */
	sleepOnError: number;
	/** Milliseconds, 0 = off. Default 3600 s. */
	warnAfter: number;
	/** Milliseconds, 0 = off. Default 0. */
	timeout: number;
	/** Default SIGTERM. */
	stopSignal: NodeJS.Signals;
	/** Milliseconds of grace before SIGKILL. Default 30 s. */
	stopTimeout: number;
	/** fixed model: -1 waits for a free slot, 0 stops the oldest run at once, N > 0 milliseconds to wait first. Default -1. */
	fixedIntervalWait: number;
	/** fixed model: a 5- or 6-field cron expression that replaces `sleep`. */
	schedule?: string;
	/** Exit codes that read as `done` and `more`. Default {done: [0], more: [64]}. */
	exitCodes: {done: number[]; more: number[]};
	/** Appends `--tid=N` (N = slot) to the arguments. Default false. */
	appendInstanceId: boolean;
	/** Absolute. Default <logDir>/<job>.log; stdout and stderr unless errLogFile is set. */
	logFile: string;
	/** Absolute, optional: stderr apart. */
	errLogFile?: string;
	/** On reload, a changed command lets its runs finish (`finish`, default) or stops them (`restart`). */
	onChange: 'finish' | 'restart';
};

/** A whole, validated configuration. */
export type Configuration = {
	/** Names the pid file, socket and logs. Default "fatc". */
	name: string;
	/** Absolute. Default ./logs beside the config file. */
	logDir: string;
	/** Absolute. Default $XDG_RUNTIME_DIR/fatc, else /tmp/fatc-<uid>. */
	runDir: string;
	/** The file it came from; undefined for a config made from legacy command-line flags. */
	configFile?: string;
	jobs: JobDefinition[];
};
