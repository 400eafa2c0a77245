import type {ClusterSettings, JobClusterSettings} from './cluster-settings.js';

/** Most runs of one job at once: far above any real need, low enough that a typo cannot fork-bomb the machine. */
export const maximumInstances = 10_000;

/** A fatc's name and a job's name files (socket, pid file, logs): letters, digits, `_`, `.` and `-` only. */
export const namePattern = /^[\w.-]+$/;

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
	/** No new run starts while the machine is overloaded or a probe says so (the config's own, or the global one). */
	hold?: HoldSettings;
	/** The fan-out follows how much work waits, as a probe counts it. */
	backlog?: BacklogSettings;
	/** A touched file means "there is work": the sleep ends at once. */
	wake?: {path: string};
	/** Windows with no new runs, or fewer (the config's own, or the global one). */
	quiet?: QuietSettings;
	/** A command told of chosen events (the config's own, or the global one). */
	notify?: NotifySettings;
	/** A prefix on each line the job's runs write to their log; absent: lines as the runs wrote them. */
	logFormat?: {time: boolean; run: boolean};
	/** Limits across every fatc sharing the configuration's cluster key (needs Configuration.cluster). */
	cluster?: JobClusterSettings;
};

/** What a notifier is told of. */
export type NotifyKind = 'error' | 'timeout' | 'warning' | 'held' | 'released' | 'recovered' | 'probe-failed';

/** `notify`: run `command` (by /bin/sh -c) with the event as JSON on stdin, at most once per job and kind per `every`. */
export type NotifySettings = {
	on: NotifyKind[];
	command: string;
	/** Milliseconds. Default 5 min. */
	every: number;
	/** Milliseconds; past it the notifier's group is SIGKILLed. Default 30 s. */
	timeout: number;
};

/** `metrics`: a Prometheus endpoint. */
export type MetricsSettings = {
	/** host:port. Default 127.0.0.1:9464. */
	listen: string;
	/** Allows an address other than loopback. Default false. */
	public: boolean;
};

/** `hold`: either or both of `load` and `command`. Durations in milliseconds. */
export type HoldSettings = {
	/** Hold while the 1-minute load average per CPU is above this. */
	load?: number;
	/** Once held on load, release at or below this (per CPU). Default 0.8 × load. */
	release?: number;
	/** Run by /bin/sh -c in the job's folder: exit 0 = hold, 1 = go on, anything else = failed (the last answer stays). */
	command?: string;
	/** How often the load is read and the command run. Default 5 s. */
	every: number;
	/** A hold ends only after its cause has been clear this long. Default 0. */
	releaseAfter: number;
	/** A probe running longer is killed and counts as failed. Default `every`, at least 10 s. */
	timeout: number;
};

/** `backlog`: a probe prints how much work waits; the fan-out follows ceil(count / perRun) within min…max. */
export type BacklogSettings = {
	/** Run by /bin/sh -c in the job's folder; its output's first number is the backlog. */
	command: string;
	every: number;
	timeout: number;
	/** Work one run takes on. Default 1. */
	perRun: number;
	/** Default 0: no run starts while nothing waits. */
	min: number;
	/** Default: instances (never above it). */
	max?: number;
	/** At most this many runs more or fewer per `cooldown`. Default: no limit. */
	step?: number;
	/** Default 0. */
	cooldown: number;
};

/** A quiet window as written ("Mon-Fri 08:00-10:00") and the two cron expressions that open and close it. */
export type QuietWindow = {text: string; opens: string; closes: string};

export type QuietSettings = {
	windows: QuietWindow[];
	/** Runs allowed at once inside a window. Default 0: none starts. */
	instances: number;
	/** An IANA time zone ("Europe/Berlin"). Default: the machine's. */
	timezone?: string;
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
	/** A Prometheus endpoint; absent: none (`fatc metrics` still answers over the control socket). */
	metrics?: MetricsSettings;
	/** The Redis that cluster limits are counted in; absent: every limit is local. */
	cluster?: ClusterSettings;
	/** false: the runs are not put into a cpu cgroup of their own (driver/run-cgroup.ts); read at start only. */
	cgroup?: false;
	jobs: JobDefinition[];
};
