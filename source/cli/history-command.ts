import {durationDescription, parseDuration} from '../config/duration.js';
import type {ClientConfiguration} from './client-configuration.js';
import type {HistoryEntry} from '../core/run-history.js';
import type {HistoryQuery} from '../core/supervisor-handle.js';
import {connectClient, NoDaemonError} from '../daemon/control-client.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import {historyFilePath} from '../host/history-file.js';
import {queryHistoryFile} from '../host/read-history.js';
import {formatDuration} from '../reporters/format-duration.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

export type HistoryOptions = {
	job?: string;
	/** `--since 1h`: a duration as in the config. */
	since?: string;
	/** `--limit N`. Default 20, or 10,000 (all the daemon keeps) with --since. */
	limit?: string;
	json: boolean;
	output: Output;
	/** Warnings (unreadable lines of the file). */
	errors: Output;
	now?: number;
};

/**
 * `fatc history [JOB] [--since 1h] [--limit N] [--json]`: runs that ended, newest first. Asks the running fatc (it
 * also has the runs that ended in the last instant, maybe not yet written); with none, reads its history file, so
 * the history of a stopped fatc can be read. No daemon and no file: NoDaemonError (exit 3).
 */
export async function historyCommand(configuration: ClientConfiguration, options: HistoryOptions): Promise<number> {
	const query = historyQuery(options, options.now ?? Date.now());
	let entries: HistoryEntry[];
	try {
		const client = await connectClient(daemonPaths(configuration).socket);
		try {
			entries = await client.request('history', [query]) as HistoryEntry[];
		} finally {
			client.close();
		}
	} catch (error) {
		if (!(error instanceof NoDaemonError)) {
			throw error;
		}

		const file = historyFilePath(configuration);
		const read = queryHistoryFile(file, query);
		if (!read.found) {
			throw new NoDaemonError(`no fatc "${configuration.name}" is running and it has no run history (${file})`);
		}

		if (read.corrupt > 0) {
			options.errors.write(`fatc: warning: skipped ${read.corrupt} unreadable ${read.corrupt === 1 ? 'line' : 'lines'} of ${file}\n`);
		}

		entries = read.entries;
	}

	options.output.write(options.json ? historyJson(entries) : formatHistory(entries));
	return 0;
}

function historyQuery(options: HistoryOptions, now: number): HistoryQuery & {limit: number} {
	const query: HistoryQuery & {limit: number} = {limit: options.since === undefined ? 20 : 10_000};
	if (options.job !== undefined) {
		query.job = options.job;
	}

	if (options.since !== undefined) {
		const duration = parseDuration(options.since);
		if (duration === undefined) {
			throw new UsageError(`--since: expected ${durationDescription}, got "${options.since}"`);
		}

		query.since = Math.max(0, now - duration);
	}

	if (options.limit !== undefined) {
		const limit = Number(options.limit);
		if (!Number.isInteger(limit) || limit < 1) {
			throw new UsageError(`--limit: expected a number of runs (1 or more), got "${options.limit}"`);
		}

		query.limit = limit;
	}

	return query;
}

/** A JSON array, newest first, one entry a line: `jq '.[]'` reads it whole, grep and head line by line. */
function historyJson(entries: HistoryEntry[]): string {
	return entries.length === 0 ? '[]\n' : `[\n${entries.map(entry => JSON.stringify(entry)).join(',\n')}\n]\n`;
}

/** One line per run, newest first: when it ended (UTC, as in event lines), which run, how long, how it ended. */
export function formatHistory(entries: HistoryEntry[]): string {
	if (entries.length === 0) {
		return 'no ended run to show\n';
	}

	const rows = [['ENDED', 'JOB', 'RUN', 'SLOT', 'PID', 'TOOK', 'RESULT', 'LAST LINE']];
	for (const entry of entries) {
		const how = entry.spawnError ?? (entry.signal ? `signal ${entry.signal}` : `exit ${entry.code}`);
		const why = entry.stopReason ? `, ${entry.stopReason}` : '';
		rows.push([
			new Date(entry.endedAt).toISOString(),
			entry.job,
			String(entry.runId),
			String(entry.slot),
			entry.pid === null ? '-' : String(entry.pid),
			formatDuration(entry.duration),
			`${entry.result} (${how}${why})`,
			entry.lastLine === null ? '' : JSON.stringify(entry.lastLine.slice(0, 60)),
		]);
	}

	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row => `${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`).join('');
}
