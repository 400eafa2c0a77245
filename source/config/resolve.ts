import {homedir} from 'node:os';
import path from 'node:path';
import type {BacklogSettings, Configuration, HoldSettings, JobDefinition, QuietSettings} from '../core/job-definition.js';
import type {RawConfiguration, RawJob} from './schema.js';

type RawHold = Exclude<NonNullable<RawJob['hold']>, false>;
type RawQuiet = Exclude<NonNullable<RawJob['quiet']>, false>;
type RawNotify = Exclude<NonNullable<RawJob['notify']>, false>;
type Globals = {hold?: RawHold; quiet?: RawQuiet; notify?: RawNotify};

/** Where a validated config came from, for resolving its paths. */
export type ResolveContext = {
	/** Folder that relative paths resolve against (the config file's folder). */
	directory: string;
	/** Recorded as `configFile`; undefined for a config made from command-line flags. */
	configFile?: string;
	/** For the default runDir. Default `process.env`. */
	environment?: NodeJS.ProcessEnv;
};

/** `~/x` → the home folder; relative → against `directory`; always absolute and normalised. */
export function resolvePath(directory: string, file: string): string {
	const expanded = file === '~' || file.startsWith('~/') ? path.join(homedir(), file.slice(1)) : file;
	return path.resolve(directory, expanded);
}

/** $XDG_RUNTIME_DIR/fatc, else /tmp/fatc-<uid> (a per-user folder, so users never share sockets). */
export function defaultRunDirectory(environment: NodeJS.ProcessEnv = process.env): string {
	const runtimeDirectory = environment['XDG_RUNTIME_DIR'];
	if (runtimeDirectory && path.isAbsolute(runtimeDirectory)) {
		return path.join(runtimeDirectory, 'fatc');
	}

	// Literally /tmp, not $TMPDIR: a client and the daemon must agree even when their TMPDIRs differ.
	return `/tmp/fatc-${process.getuid?.() ?? 'user'}`;
}

/** A probe may run this long by default (or its interval, when longer): a loaded machine is slow to start one. */
const probeTimeout = (every: number) => Math.max(every, 10_000);

/** A load hold releases at 0.8 × its mark unless told. */
function resolveHold(hold: RawHold): HoldSettings {
	const {timeout, release, ...settings} = hold;
	const resolved: HoldSettings = {...settings, timeout: timeout ?? probeTimeout(hold.every)};
	if (hold.load !== undefined) {
		resolved.release = release ?? hold.load * 0.8;
	}

	return resolved;
}

function resolveBacklog(backlog: NonNullable<RawJob['backlog']>): BacklogSettings {
	const {timeout, ...settings} = backlog;
	return {...settings, timeout: timeout ?? probeTimeout(backlog.every)};
}

/** The job's own setting; `false` turns the global one off; absent takes the global one. */
function ownOrGlobal<Value>(own: Value | false | undefined, global: Value | undefined): Value | undefined {
	return own === false ? undefined : own ?? global;
}

function resolveWorld(job: Pick<RawJob, 'hold' | 'backlog' | 'wake' | 'quiet' | 'notify' | 'logFormat'>, globals: Globals, directory: string): Partial<JobDefinition> {
	const world: Partial<JobDefinition> = {};
	const notify = ownOrGlobal(job.notify, globals.notify);
	if (notify) {
		world.notify = notify;
	}

	if (job.logFormat && (job.logFormat.time || job.logFormat.run)) {
		world.logFormat = job.logFormat;
	}

	const hold = ownOrGlobal(job.hold, globals.hold);
	const quiet: QuietSettings | undefined = ownOrGlobal(job.quiet, globals.quiet);
	if (hold) {
		world.hold = resolveHold(hold);
	}

	if (job.backlog) {
		world.backlog = resolveBacklog(job.backlog);
	}

	if (job.wake) {
		world.wake = {path: resolvePath(directory, job.wake.path)};
	}

	if (quiet) {
		world.quiet = quiet;
	}

	return world;
}

function resolveJob(name: string, job: RawJob, directory: string, logDirectory: string, globals: Globals): JobDefinition {
	const {cwd, logFile, errLogFile, schedule, hold, backlog, wake, quiet, notify, logFormat, cluster, ...settings} = job;
	const definition: JobDefinition = {
		name,
		...settings,
		cwd: cwd === undefined ? directory : resolvePath(directory, cwd),
		logFile: logFile === undefined ? path.join(logDirectory, `${name}.log`) : resolvePath(directory, logFile),
		...resolveWorld({hold, backlog, wake, quiet, notify, logFormat}, globals, directory),
	};
	if (errLogFile !== undefined) {
		definition.errLogFile = resolvePath(directory, errLogFile);
	}

	if (schedule !== undefined) {
		definition.schedule = schedule;
	}

	if (cluster !== undefined) {
		definition.cluster = cluster;
	}

	return definition;
}

/** A validated config → the {@link Configuration} the core runs: every path absolute, every default applied. */
export function resolveConfiguration(raw: RawConfiguration, context: ResolveContext): Configuration {
	const directory = path.resolve(context.directory);
	const logDirectory = raw.logDir === undefined ? path.join(directory, 'logs') : resolvePath(directory, raw.logDir);
	const configuration: Configuration = {
		name: raw.name,
		logDir: logDirectory,
		runDir: raw.runDir === undefined ? defaultRunDirectory(context.environment) : resolvePath(directory, raw.runDir),
		jobs: Object.entries(raw.jobs).map(([name, job]) => resolveJob(name, job, directory, logDirectory, raw)),
	};
	if (context.configFile !== undefined) {
		configuration.configFile = path.resolve(context.configFile);
	}

	if (raw.metrics) {
		configuration.metrics = raw.metrics;
	}

	if (raw.cluster) {
		configuration.cluster = raw.cluster;
	}

	if (raw.cgroup === false) {
		configuration.cgroup = false;
	}

	return configuration;
}
