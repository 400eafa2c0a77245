import {writeFileSync, openSync, closeSync} from 'node:fs';
import {createConnection} from 'node:net';
import path from 'node:path';
import type {Contender, Program, Supervision} from './contender.js';
import {fatcCli} from './paths.js';
import {run, start, stop, type Started} from './processes.js';
import {waitFor} from './wait.js';

export type FatcJob = Record<string, unknown> & {command: string; args: string[]};

export type FatcOptions = {
	/** Where `fatc run` writes its event lines (with --json); by default nowhere. */
	eventsFile?: string;
	/** Extra options for node, e.g. --cpu-prof. */
	nodeOptions?: string[];
	/** How long fatc may take to listen on its control socket. Default 60 s. */
	listenTimeout?: number;
	/** Open-file limit fatc starts with (StartOptions.openFiles). */
	openFiles?: number;
};

export type Fatc = {
	readonly process: Started;
	readonly configFile: string;
	readonly socket: string;
	status(): Promise<FatcStatus>;
	/** SIGTERM, as systemd would; resolves with fatc's exit status once it and every run are gone. */
	stop(): Promise<number | null>;
};

/** The part of `fatc status --json` the benchmarks read. */
export type FatcStatus = {
	pid: number;
	jobs: Array<{
		name: string;
		runs: number;
		done: number;
		more: number;
		errors: number;
		stopped: number;
		workers: Array<{pid: number | null}>;
	}>;
	usage?: {memoryBytes?: number | null} | null;
};

/**
 * Starts `fatc run` on a config of its own in `folder` (runDir and logDir inside it, so nothing is shared with a
 * fatc someone else runs) and waits until its control socket accepts connections.
 */
export async function startFatc(folder: string, jobs: Record<string, FatcJob>, options: FatcOptions = {}): Promise<Fatc> {
	const configFile = path.join(folder, 'fatc.yml');
	// JSON is YAML: no quoting rules to get wrong.
	writeFileSync(configFile, JSON.stringify({
		name: 'bench',
		runDir: path.join(folder, 'run'),
		logDir: path.join(folder, 'logs'),
		jobs,
	}, null, '\t'));
	const events = options.eventsFile === undefined ? undefined : openSync(options.eventsFile, 'w');
	// FATC_BENCH_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"): node options for every fatc a benchmark starts.
	const extra = process.env['FATC_BENCH_NODE_OPTIONS']?.split(' ').filter(Boolean) ?? [];
	const arguments_ = [...extra, ...(options.nodeOptions ?? []), fatcCli, 'run', '-c', configFile, ...(events === undefined ? [] : ['--json'])];
	const process_ = start(process.execPath, arguments_, {
		cwd: folder,
		stdio: ['ignore', events ?? 'ignore', 'inherit'],
		openFiles: options.openFiles,
	});
	if (events !== undefined) {
		closeSync(events);
	}

	const status = async () => JSON.parse(await run(process.execPath, [fatcCli, 'status', '--json', '-c', configFile])) as FatcStatus;
	const socket = path.join(folder, 'run', 'bench.sock');
	const fatc: Fatc = {
		process: process_,
		configFile,
		socket,
		status,
		stop: async () => stop(process_, 60_000),
	};
	let exited = false;
	void process_.exited.then(() => {
		exited = true;
	});
	// Ready once its control socket accepts a connection: `fatc status` would work from then on, and asking it
	// here would cost a node start per poll on a machine the benchmark wants quiet.
	await waitFor('fatc to listen on its control socket', async () => {
		if (exited) {
			throw new Error(`fatc exited at start (config ${configFile})`);
		}

		return (await accepts(socket)) ? true : undefined;
	}, {timeout: options.listenTimeout ?? 60_000, interval: 50});
	return fatc;
}

async function accepts(socket: string): Promise<boolean> {
	return new Promise(resolve => {
		const connection = createConnection(socket);
		connection.once('connect', () => {
			connection.destroy();
			resolve(true);
		});
		connection.once('error', () => {
			resolve(false);
		});
	});
}

/** fatc as a contender: an independent job, so every slot loops on its own as the peers' processes do. */
export const fatcContender: Contender = {
	tool: 'fatc',
	supportsRestartDelay: true,
	async start(program: Program, folder: string): Promise<Supervision> {
		const never = 86_400;
		const sleep = program.restart === 'at-once' ? 0 : program.restart === 'never' ? never : program.restart.afterMilliseconds / 1000;
		// Its event lines: one JSON line per end, stamped with the time fatc recorded it.
		const eventsFile = program.recordEnds ? path.join(folder, 'events.jsonl') : undefined;
		const fatc = await startFatc(folder, {
			bench: {
				command: program.command,
				args: program.args,
				model: 'independent',
				instances: program.instances,
				sleep,
				sleepOnError: program.restart === 'never' ? never : 0,
				// A benchmark's runs need no grace: stopping 1,000 sleeps should not take 30 s.
				stopTimeout: 2,
				logFile: path.join(program.logFolder, 'bench.log'),
			},
		}, {eventsFile, openFiles: program.openFiles, listenTimeout: program.recordEnds ? 600_000 : undefined});
		return {
			tool: 'fatc',
			supervisorPids: () => [fatc.process.pid],
			parentOfRuns: () => fatc.process.pid,
			async stop() {
				await fatc.stop();
			},
			statusSocket: fatc.socket,
			endRecord: eventsFile === undefined ? undefined : {
				file: eventsFile,
				marks: '"run-ended"',
				timeOf(line) {
					// --json stamps ISO-8601 times (older builds: milliseconds).
					const {time} = JSON.parse(line) as {time?: number | string};
					return typeof time === 'string' ? Date.parse(time) : time;
				},
			},
		};
	},
};
