/** The tools compared: fatc, its two peers, and the machine's limit (a C loop, no supervisor). */
export type Tool = 'fatc' | 'supervisord' | 'pm2' | 'limit';

/** One workload's program, said the same way to every supervisor. */
export type Program = {
	/** Run directly, never through a shell (fatc's rule; the peers are told the same argv). */
	command: string;
	args: string[];
	instances: number;
	/**
	 * When a run has exited: start it again at once (the command exits 64, "more" for fatc; `autorestart` for the
	 * peers), after some milliseconds (the command exits 0, "done", and fatc's `sleep` / PM2's `restart_delay`), or never.
	 */
	restart: 'at-once' | 'never' | {afterMilliseconds: number};
	/** Where the runs' output goes: one log per job (fatc) or per process (peers), all inside this folder. */
	logFolder: string;
	/** Have the supervisor write down every end where `endRecord` can count them (the scale workload). */
	recordEnds?: boolean;
	/** Open-file limit for the supervisor's process (see StartOptions.openFiles); by default soft = hard. */
	openFiles?: number;
	/** How long the tool's start command may take (PM2's CLI waits for every instance); by default the tool's own. */
	startTimeout?: number;
};

/**
 * A file the supervisor appends one line to per run it has seen end (fatc's --json events, supervisord's log at
 * info, PM2's log), and when: `timeOf` reads the line's own time stamp (ms since the epoch).
 */
export type EndRecord = {
	file: string;
	/** Text only a line recording an end contains. */
	marks: string;
	timeOf(line: string): number | undefined;
};

/** A supervisor running a program. */
export type Supervision = {
	tool: Tool;
	/** The supervisor's own processes: their CPU and memory are its cost. */
	supervisorPids(): number[];
	/** The process whose children the runs are. */
	parentOfRuns(): number;
	stop(): Promise<void>;
	/** Present when started with `recordEnds`. */
	endRecord?: EndRecord;
	/** fatc's control socket, where `fatc status` asks. */
	statusSocket?: string;
};

export type Contender = {
	tool: Tool;
	/** What the tool can do, to say "n/a" for what it cannot (supervisord has no delay before a restart). */
	supportsRestartDelay: boolean;
	start(program: Program, folder: string): Promise<Supervision>;
};

/** A tool that is not there: the reason is printed as "n/a" beside each of its figures. */
export type Unavailable = {tool: Tool; reason: string};
