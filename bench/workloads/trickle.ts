import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {findPostgres, startPostgres, type Postgres} from '../lib/postgres.js';
import {sweep} from '../lib/processes.js';
import {percentile} from '../lib/statistics.js';
import {temporaryFolder} from '../lib/temporary.js';
import {delay} from '../lib/wait.js';
import type {WorkloadContext} from '../lib/workload.js';
import {waitFloor} from '../trickle/floor.js';
import {trickle} from '../trickle/inserter.js';
import {fatcVariant, peerVariant, type BacklogChoice, type Variant} from '../trickle/variants.js';

/** One e-mail every 100 ms: 10 a second. */
const intervalMilliseconds = 100;
const rate = 1000 / intervalMilliseconds;
/** How long the last e-mails may take to go out once the inserter is done (fatc's dependent job sleeps 5 s). */
const drainSeconds = 30;

/** The backlog settings tried, for the trade-off between latency and runs per e-mail. */
export const backlogChoices: readonly BacklogChoice[] = [
	{every: '250ms', perRun: 20, timeout: '5s'},
	{every: '500ms', perRun: 20, timeout: '5s'},
	{every: '750ms', perRun: 20, timeout: '5s'},
	{every: '1s', perRun: 20, timeout: '5s'},
	{every: '2s', perRun: 20, timeout: '5s'},
];

/** With the wake file, a slower probe: the wake is what starts a run at once. */
export const wakeChoices: readonly BacklogChoice[] = [
	{every: '1s', perRun: 20, timeout: '5s'},
];

export type TrickleMeasurement = {
	supervisor: string;
	settings: string;
	emails: number;
	/** Still unsent when the drain ran out: they count as waiting for ever in the percentiles. */
	unsent: number;
	/** Seconds from created_at to sent_at, both the database's clock_timestamp(). */
	p50: number;
	p95: number;
	maximum: number;
	runs: number;
	/** Runs that claimed nothing. */
	emptyRuns: number;
	runsPerEmail: number;
	/** CPU seconds of the supervisor's own process, from ready to the last e-mail sent. */
	supervisorCpu: number;
	/** CPU seconds of the processes it reaped meanwhile (the worker shells and their psql, fatc's probes). */
	reapedCpu: number;
	/** CPU seconds of the database backends that ended meanwhile (one per psql). */
	databaseCpu: number;
	/** The least p50 and p95 any supervisor could reach with this many claims (bench/trickle/floor.ts). */
	p50Floor: number;
	p95Floor: number;
	/** From the supervisor being ready to the last e-mail sent (or the drain's end). */
	seconds: number;
	/** How late the inserter's worst insert was against its 100 ms grid. */
	insertLateMilliseconds: number;
	/** fatc: its sensor-failed events (a backlog probe that failed or timed out), and its backlog events. */
	sensorFailures?: number;
	backlogEvents?: number;
};

export type TrickleRow = TrickleMeasurement | {supervisor: string; settings: string; missing: string};

export type TrickleResults = {seconds: number; rate: number; rows: TrickleRow[]; notes: string[]};

/** The variants in the order they run: today's fatc, with backlog (several settings), with backlog and wake, with wake only, the peers. */
function variantsFor(context: WorkloadContext, postgres: Postgres): Variant[] {
	return [
		fatcVariant(postgres),
		...backlogChoices.map(backlog => fatcVariant(postgres, {backlog})),
		...wakeChoices.map(backlog => fatcVariant(postgres, {backlog, wake: true})),
		// The wake file alone: a run at each insert, unless one is under way.
		fatcVariant(postgres, {wake: true}),
		...context.contenders.filter(contender => contender.tool !== 'fatc' && contender.tool !== 'limit').map(contender => peerVariant(contender, postgres)),
	];
}

/**
 * 8. Trickle: a table of e-mails filled one every 100 ms for `seconds`, drained by workers that claim 20 at a time;
 * for each supervisor, how long an e-mail waits (insert → sent, the database's clock) and how many runs it costs.
 */
export async function trickleWorkload(context: WorkloadContext, seconds: number): Promise<TrickleResults> {
	const binaries = await findPostgres();
	if ('reason' in binaries) {
		throw new Error(binaries.reason);
	}

	const postgres = await startPostgres(binaries, context.log);
	const rows: TrickleRow[] = [];
	try {
		await postgres.query([
			'create table emails (id serial primary key, created_at timestamptz not null default clock_timestamp(), sent_at timestamptz)',
			'create index emails_unsent on emails (id) where sent_at is null',
			'create table runs (id serial primary key, started_at timestamptz not null default clock_timestamp(), claimed integer not null)',
		].join('; '));
		for (const variant of variantsFor(context, postgres)) {
			context.log(`trickle: ${variant.supervisor}, ${variant.settings}…`);
			try {
				rows.push(await measure(variant, postgres, seconds, context));
			} catch (error) {
				const message = (error as Error).message.split('\n')[0] ?? String(error);
				context.log(`trickle: ${variant.supervisor} failed: ${message}`);
				rows.push({supervisor: variant.supervisor, settings: variant.settings, missing: message});
			} finally {
				// The server is not marked, so this leaves it running; its backends of killed psqls end on their own.
				await sweep();
			}
		}
	} finally {
		await postgres.stop();
	}

	for (const {tool, reason} of context.unavailable) {
		rows.push({supervisor: tool, settings: '8 processes, autorestart', missing: reason});
	}

	return {seconds, rate, rows, notes: []};
}

async function measure(variant: Variant, postgres: Postgres, seconds: number, context: WorkloadContext): Promise<TrickleMeasurement> {
	await postgres.query('truncate emails, runs restart identity');
	const folder = temporaryFolder(`trickle-${variant.supervisor}`);
	const supervision = await variant.start(folder);
	let stopped = false;
	try {
		const before = {supervisor: cpuTimes(supervision.supervisorPid), database: cpuTimes(postgres.pid), time: performance.now()};
		const count = Math.round(seconds * rate);
		const trickled = await trickle(postgres, {count, intervalMilliseconds, wakeFile: supervision.wakeFile});
		const deadline = performance.now() + (drainSeconds * 1000);
		while (performance.now() < deadline && Number(await postgres.query('select count(*) from emails where sent_at is null')) > 0) {
			await delay(100);
		}

		const after = {supervisor: cpuTimes(supervision.supervisorPid), database: cpuTimes(postgres.pid), time: performance.now()};
		await supervision.stop();
		stopped = true;
		const waits = (await postgres.query('select coalesce(extract(epoch from sent_at - created_at)::float8, \'Infinity\') from emails'))
			.trim().split('\n').filter(line => line !== '').map(Number);
		const [runs = 0, emptyRuns = 0] = (await postgres.query('select count(*), count(*) filter (where claimed = 0) from runs')).trim().split('|').map(Number);
		const emails = waits.length;
		if (emails !== trickled.inserted) {
			context.log(`trickle: ${emails} e-mails in the table, ${trickled.inserted} inserts answered`);
		}

		const claims = runs - emptyRuns;
		const events = supervision.eventsFile === undefined ? undefined : readLines(supervision.eventsFile);
		return {
			supervisor: variant.supervisor,
			settings: variant.settings,
			emails,
			unsent: waits.filter(wait => !Number.isFinite(wait)).length,
			p50: percentile(waits, 0.5) ?? Number.NaN,
			p95: percentile(waits, 0.95) ?? Number.NaN,
			maximum: Math.max(...waits),
			runs,
			emptyRuns,
			runsPerEmail: runs / emails,
			supervisorCpu: after.supervisor.own - before.supervisor.own,
			reapedCpu: after.supervisor.children - before.supervisor.children,
			databaseCpu: after.database.children - before.database.children,
			p50Floor: waitFloor(0.5, claims, emails, rate),
			p95Floor: waitFloor(0.95, claims, emails, rate),
			seconds: (after.time - before.time) / 1000,
			insertLateMilliseconds: trickled.worstLateMilliseconds,
			sensorFailures: events?.filter(line => line.includes('"type":"sensor-failed"')).length,
			backlogEvents: events?.filter(line => line.includes('"type":"backlog"')).length,
		};
	} finally {
		if (!stopped) {
			await supervision.stop();
		}
	}
}

function readLines(file: string): string[] {
	try {
		return readFileSync(file, 'utf8').split('\n');
	} catch {
		return [];
	}
}

let ticksPerSecond: number | undefined;

/** A process's own CPU seconds (utime + stime) and those of the children it has reaped (cutime + cstime). */
function cpuTimes(pid: number): {own: number; children: number} {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
		ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
		const ticks = ticksPerSecond;
		return {own: ((fields[11] ?? 0) + (fields[12] ?? 0)) / ticks, children: ((fields[13] ?? 0) + (fields[14] ?? 0)) / ticks};
	} catch {
		return {own: 0, children: 0};
	}
}
