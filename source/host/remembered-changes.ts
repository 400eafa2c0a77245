import {readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Configuration} from '../core/job-definition.js';

/**
 * What a person changed in one job at run time (`fatc scale`, `pause`, the TUI's `+` `-` `p`), kept so that the same
 * config starting again does not undo it. `instances` always comes with `fileInstances`, the file's own value when
 * the scale was made: it holds only while the file still says that.
 */
export type RememberedJob = {
	instances?: number;
	fileInstances?: number;
	paused?: true;
};

/** Job name → what is remembered of it; a job with nothing to remember has no entry. */
export type RememberedChanges = ReadonlyMap<string, RememberedJob>;

/** A remembered scale that a file no longer allows: its `instances` changed, or the job is gone. */
export type DroppedScale = {job: string; instances: number; fileInstances: number; fileNow: number | undefined};

const formatVersion = 1;

/** `<runDir>/<name>.changes.json`, beside the pid file and socket. */
export function rememberedChangesFile(configuration: Pick<Configuration, 'name' | 'runDir'>): string {
	return join(configuration.runDir, `${configuration.name}.changes.json`);
}

/** The changes kept in `file`; none when there is no file. Throws, saying what is wrong, for one that cannot be used. */
export function readRememberedChanges(file: string): RememberedChanges {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return new Map();
		}

		throw new Error(`Could not read ${file}`, {cause: error});
	}

	try {
		return parseChanges(JSON.parse(text));
	} catch (error) {
		// describeError joins the cause: "FILE: not valid JSON: Unexpected token…", "FILE: jobs.work.paused: expected…".
		throw new Error(error instanceof SyntaxError ? `${file}: not valid JSON` : file, {cause: error});
	}
}

/**
 * Writes `changes` to `file` atomically (a temporary file renamed over it, mode 0600): a fatc killed meanwhile leaves
 * the old file or the new one, never half of one. With nothing to remember, the file is removed.
 */
export function writeRememberedChanges(file: string, changes: RememberedChanges): void {
	if (changes.size === 0) {
		forgetRememberedChanges(file);
		return;
	}

	const temporary = `${file}.${process.pid}.tmp`;
	const content = {version: formatVersion, jobs: Object.fromEntries(changes)};
	try {
		writeFileSync(temporary, `${JSON.stringify(content, undefined, '\t')}\n`, {mode: 0o600});
		renameSync(temporary, file);
	} catch (error) {
		try {
			rmSync(temporary, {force: true});
		} catch {}

		throw new Error(`Could not write ${file}`, {cause: error});
	}
}

/** Removes the file (`--fresh`). */
export function forgetRememberedChanges(file: string): void {
	try {
		rmSync(file, {force: true});
	} catch (error) {
		throw new Error(`Could not remove ${file}`, {cause: error});
	}
}

/** A scale by hand; back to the file's own value, nothing is left to remember of it. */
export function rememberScale(changes: RememberedChanges, job: string, instances: number, fileInstances: number): RememberedChanges {
	const rest = withoutScale(changes.get(job) ?? {});
	return withEntry(changes, job, instances === fileInstances ? rest : {instances, fileInstances, ...rest});
}

/** A pause (true), or a resume or restart (false). */
export function rememberPause(changes: RememberedChanges, job: string, paused: boolean): RememberedChanges {
	const scale = withoutPause(changes.get(job) ?? {});
	return withEntry(changes, job, paused ? {...scale, paused: true} : scale);
}

/**
 * The changes that still hold for the file's `configuration` (at start, and after each reload): a job no longer in
 * the file is forgotten, and a scale whose `fileInstances` the file no longer says is dropped (the file's value wins).
 */
export function reconcileChanges(changes: RememberedChanges, configuration: Pick<Configuration, 'jobs'>): {changes: RememberedChanges; dropped: DroppedScale[]} {
	const fileInstances = new Map(configuration.jobs.map(definition => [definition.name, definition.instances]));
	const kept = new Map<string, RememberedJob>();
	const dropped: DroppedScale[] = [];
	for (const [job, entry] of changes) {
		const fileNow = fileInstances.get(job);
		if (entry.instances !== undefined && entry.fileInstances !== undefined && entry.fileInstances !== fileNow) {
			dropped.push({job, instances: entry.instances, fileInstances: entry.fileInstances, fileNow});
		}

		if (fileNow === undefined) {
			continue;
		}

		withEntryInPlace(kept, job, entry.fileInstances === fileNow ? entry : withoutScale(entry));
	}

	return {changes: kept, dropped};
}

/** True when both hold the same for every job. */
export function sameChanges(first: RememberedChanges, second: RememberedChanges): boolean {
	const serialise = (changes: RememberedChanges) => JSON.stringify([...changes]);
	return serialise(first) === serialise(second);
}

function withoutScale(entry: RememberedJob): RememberedJob {
	return entry.paused ? {paused: true} : {};
}

function withoutPause({instances, fileInstances}: RememberedJob): RememberedJob {
	return instances === undefined ? {} : {instances, fileInstances};
}

function withEntry(changes: RememberedChanges, job: string, entry: RememberedJob): RememberedChanges {
	const next = new Map(changes);
	withEntryInPlace(next, job, entry);
	return next;
}

function withEntryInPlace(changes: Map<string, RememberedJob>, job: string, entry: RememberedJob): void {
	if (entry.instances === undefined && !entry.paused) {
		changes.delete(job);
	} else {
		changes.set(job, entry);
	}
}

/** Validates the file's content, saying where and what was expected and what arrived. */
function parseChanges(content: unknown): RememberedChanges {
	if (!isRecord(content)) {
		throw new Error(`expected an object, got ${describe(content)}`);
	}

	if (content['version'] !== formatVersion) {
		throw new Error(`version: expected ${formatVersion}, got ${describe(content['version'])}`);
	}

	const {jobs} = content;
	if (!isRecord(jobs)) {
		throw new Error(`jobs: expected an object, got ${describe(jobs)}`);
	}

	const changes = new Map<string, RememberedJob>();
	for (const [job, entry] of Object.entries(jobs)) {
		changes.set(job, parseEntry(entry, `jobs.${job}`));
	}

	return changes;
}

function parseEntry(entry: unknown, path: string): RememberedJob {
	if (!isRecord(entry)) {
		throw new Error(`${path}: expected an object, got ${describe(entry)}`);
	}

	const {instances, fileInstances, paused, ...unknown} = entry;
	const [extra] = Object.keys(unknown);
	if (extra !== undefined) {
		throw new Error(`${path}.${extra}: unknown key`);
	}

	if (paused !== undefined && paused !== true) {
		throw new Error(`${path}.paused: expected true, got ${describe(paused)}`);
	}

	if (instances === undefined && fileInstances === undefined) {
		if (paused === undefined) {
			throw new Error(`${path}: expected instances and fileInstances, or paused, got neither`);
		}

		return {paused};
	}

	for (const [key, value] of [['instances', instances], ['fileInstances', fileInstances]] as const) {
		if (!Number.isSafeInteger(value) || (value as number) < 0) {
			throw new Error(`${path}.${key}: expected an integer from 0 up, got ${describe(value)}`);
		}
	}

	return {instances: instances as number, fileInstances: fileInstances as number, ...(paused ? {paused} : {})};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	return value === undefined ? 'nothing' : JSON.stringify(value);
}
