import type {JobNotice} from './job-event.js';

/** One event line: a job's notice, or something about fatc itself. `time` is milliseconds since the epoch. */
export type SupervisorEvent =
	| (JobNotice & {time: number; job: string})
	| {time: number; job?: undefined; type: 'supervisor-started'; pid: number; jobs: number; spawnsWith?: string}
	| {time: number; job?: undefined; type: 'supervisor-stopping'; force: boolean}
	| {time: number; job?: undefined; type: 'supervisor-stopped'}
	| {time: number; job?: undefined; type: 'supervisor-error'; message: string}
	/**
	 * Something about fatc itself a person may want to act on, that did not fail: it works on, another way (the
	 * spawner thread refused, too few descriptors for the jobs' instances, processes a run left behind and fatc killed,
	 * its own output lines dropped while nobody read them). `WARN`, not `ERROR`: a log system's alert on errors stays
	 * quiet.
	 */
	| {time: number; job?: undefined; type: 'supervisor-warning'; message: string}
	/** Scales and pauses made by hand in an earlier run: applied again at start, forgotten, or unreadable (host/keep-changes.ts). */
	| {time: number; job?: undefined; type: 'remembered'; message: string}
	/** How fatc starts processes (posix_spawn or child_process.spawn), named once at start. */
	/** A log file that could not be written (a full or read-only disk) is written again; what was dropped meanwhile. */
	| {time: number; job?: undefined; type: 'log-resumed'; file: string; droppedLines: number; droppedBytes: number}
	/** A reload applied a valid config; `changed` counts `scaled` too; `needsRestart`: settings kept until fatc restarts. */
	| {
		time: number;
		job?: undefined;
		type: 'config-reloaded';
		summary: string;
		changed: number;
		scaled: number;
		added: number;
		removed: number;
		unchanged: number;
		needsRestart: string[];
	}
	/** A reload found the file unusable: nothing changed. `message`: one line per problem (file, key path, what). */
	| {time: number; job?: undefined; type: 'config-error'; message: string}
	/** The host watches the config file; saves reload it. */
	| {time: number; job?: undefined; type: 'config-watching'; file: string}
	/** The jobs' log files were closed and opened again by name (logrotate's SIGUSR1, or SIGHUP with its reload). */
	| {time: number; job?: undefined; type: 'logs-reopened'; signal: string}
	/**
	 * `fatc cluster pause|resume` reached this fatc (or it read the pause from the store): `target` paused across the
	 * cluster by `from`, or that pause lifted (`byHand`: a pause by hand under it stays).
	 */
	| {time: number; job?: undefined; type: 'cluster-pause'; target: string; paused: boolean; from: string; byHand: boolean}
	/**
	 * Redis could not be reached at start and the config says `cluster.onUnavailable: local`: every cluster limit is
	 * this host's alone (its local `instances`) until fatc restarts (`reason`: one line, no password).
	 */
	| {time: number; job?: undefined; type: 'cluster-local'; reason: string}
	/** A TUI attached to the daemon or left it (`tuis`: attached now); `handed-off`: the TUI that started it left it running (D). */
	| {time: number; job?: undefined; type: 'attachment'; change: 'attached' | 'detached' | 'handed-off'; tuis: number};
