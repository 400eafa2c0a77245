import {writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Contender} from '../lib/contender.js';
import {startFatc, type FatcJob} from '../lib/fatc.js';
import {benchFolder} from '../lib/paths.js';
import type {Postgres} from '../lib/postgres.js';

/** The worker every supervisor runs: claims up to 20 e-mails, exits 64 while more wait, else 0. */
export const workerScript = path.join(benchFolder, 'trickle', 'send-batch.sh');

/** A supervisor running the worker, as far as the trickle workload needs it. */
export type TrickleSupervision = {
	supervisorPid: number;
	/** Where the inserter writes after each insert (fatc `wake`). */
	wakeFile?: string;
	/** fatc's --json event lines. */
	eventsFile?: string;
	stop(): Promise<void>;
};

/** One row of the trickle table: a supervisor and its settings. */
export type Variant = {
	supervisor: string;
	settings: string;
	start(folder: string): Promise<TrickleSupervision>;
};

/**
 * fatc's backlog settings as the config takes them (durations as strings, e.g. "250ms"). `timeout` is given: its
 * default is `every`, and a psql on a loaded machine can take longer than 250 ms (a timed-out probe is a failed one,
 * and fatc then goes on as without a backlog).
 */
export type BacklogChoice = {every: string; perRun: number; timeout: string; cooldown?: string; step?: number};

const instances = 8;
const sleep = 5;

/** fatc on one dependent job of the worker, 8 instances, `sleep: 5`; with a backlog probe and a wake file when given. */
export function fatcVariant(postgres: Postgres, choice: {backlog?: BacklogChoice; wake?: boolean} = {}): Variant {
	const parts = [`dependent, ${instances} instances, \`sleep: ${sleep}\``];
	if (choice.backlog !== undefined) {
		const {every, perRun, timeout, cooldown, step} = choice.backlog;
		parts.push(`backlog every ${every}, perRun ${perRun}, timeout ${timeout}${step === undefined ? '' : `, step ${step}`}${cooldown === undefined ? '' : `, cooldown ${cooldown}`}`);
	}

	if (choice.wake) {
		parts.push('wake file');
	}

	return {
		supervisor: 'fatc',
		settings: parts.join(' + '),
		async start(folder) {
			const job: FatcJob = {
				command: workerScript,
				args: [postgres.socketFolder, postgres.database],
				model: 'dependent',
				instances,
				sleep,
				sleepOnError: sleep,
				stopTimeout: 2,
				logFile: path.join(folder, 'logs', 'emails.log'),
			};
			if (choice.backlog !== undefined) {
				const count = [postgres.psql, ...postgres.psqlArguments, '-c', 'select count(*) from emails where sent_at is null']
					.map(argument => (/^[\w./=-]+$/.test(argument) ? argument : `'${argument.replaceAll('\'', '\'"\'"\'')}'`))
					.join(' ');
				job.backlog = {
					command: count,
					every: choice.backlog.every,
					perRun: choice.backlog.perRun,
					timeout: choice.backlog.timeout,
					...(choice.backlog.cooldown === undefined ? {} : {cooldown: choice.backlog.cooldown}),
					...(choice.backlog.step === undefined ? {} : {step: choice.backlog.step}),
				};
			}

			const wakeFile = choice.wake ? path.join(folder, 'wake-emails') : undefined;
			if (wakeFile !== undefined) {
				writeFileSync(wakeFile, '');
				job.wake = wakeFile;
			}

			// Its event lines (backlog counts, probe failures, wakes) stay in the folder for a look after a surprise.
			const eventsFile = path.join(folder, 'events.jsonl');
			const fatc = await startFatc(folder, {emails: job}, {eventsFile});
			return {supervisorPid: fatc.process.pid, wakeFile, eventsFile, stop: async () => void await fatc.stop()};
		},
	};
}

/** A peer (supervisord, PM2) running 8 processes of the worker with autorestart. */
export function peerVariant(contender: Contender, postgres: Postgres): Variant {
	return {
		supervisor: contender.tool,
		settings: `${instances} processes, autorestart`,
		async start(folder) {
			const supervision = await contender.start({
				command: workerScript,
				args: [postgres.socketFolder, postgres.database],
				instances,
				restart: 'at-once',
				logFolder: path.join(folder, 'logs'),
			}, folder);
			const [supervisorPid] = supervision.supervisorPids();
			return {supervisorPid: supervisorPid ?? -1, stop: async () => supervision.stop()};
		},
	};
}
