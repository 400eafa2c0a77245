/**
 * `npm run bench`: fatc against supervisord, PM2 and the machine's limit, each on the same workload in the same
 * run, one after the other; prints one table and saves it to bench/results/latest.{json,md}.
 * `npm run bench:smoke`: a tiny version (fatc and the C limit, 1 s each, scale at 50 and 100 runs, no installs) for CI.
 * `npm run bench -- --scale 1000,2000,4000,10000`: only the scale workload (7); saves bench/results/scale.{json,md} and
 * media/scale-chart.svg.
 * `npm run bench -- --trickle`: only the trickle workload (8), PostgreSQL e-mails one every 100 ms; saves
 * bench/results/trickle.{json,md}.
 */
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {writeChart} from '../media/make-bench-chart.js';
import {compilePrograms} from './lib/compile.js';
import {clusterOverhead} from './cluster-overhead.js';
import type {Contender, Unavailable} from './lib/contender.js';
import {fatcContender} from './lib/fatc.js';
import {describeLoad, describeMachine} from './lib/machine.js';
import {parseOptions, type BenchOptions} from './lib/options.js';
import {fatcCli, resultsFolder} from './lib/paths.js';
import {sweep} from './lib/processes.js';
import {renderReport, type Results, type Row} from './lib/report.js';
import {removeTemporaryFolders} from './lib/temporary.js';
import type {Workload, WorkloadContext} from './lib/workload.js';
import {findPm2, pm2Contender} from './peers/pm2.js';
import {findSupervisord, supervisordContender} from './peers/supervisord.js';
import {outputThroughput} from './workloads/output-throughput.js';
import {overheadAtScale} from './workloads/overhead-at-scale.js';
import {reactionLatency} from './workloads/reaction-latency.js';
import {scale, type ScaleResults} from './workloads/scale.js';
import {writeScaleChart} from './scale-chart.js';
import {restartThroughput} from './workloads/restart-throughput.js';
import {shortSoak} from './workloads/soak.js';
import {terminalInterface} from './workloads/terminal-interface.js';
import {trickleWorkload, type TrickleResults} from './workloads/trickle.js';
import {renderTrickleReport} from './trickle/report.js';
import {describeProfile, profileFatc, type FatcProfile} from './workloads/profile-fatc.js';

const workloads: ReadonlyArray<[number, string, Workload]> = [
	[1, 'restart throughput', restartThroughput],
	[2, 'reaction latency', reactionLatency],
	[3, 'overhead at scale', overheadAtScale],
	[4, 'output throughput', outputThroughput],
	[5, 'soak', shortSoak],
	[6, 'TUI', terminalInterface],
];

function log(message: string): void {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The peers that are there (or could be installed), and why the others are not. */
async function findPeers(options: BenchOptions): Promise<{contenders: Contender[]; unavailable: Unavailable[]}> {
	if (!options.peers) {
		const reason = options.mode === 'smoke' ? 'not run in the smoke benchmark' : 'left out (--no-peers)';
		return {contenders: [], unavailable: [{tool: 'supervisord', reason}, {tool: 'pm2', reason}]};
	}

	const contenders: Contender[] = [];
	const unavailable: Unavailable[] = [];
	const supervisord = await findSupervisord(options.install);
	if ('binary' in supervisord) {
		contenders.push(supervisordContender(supervisord.binary));
	} else {
		unavailable.push({tool: 'supervisord', reason: supervisord.reason});
	}

	// The trickle workload (alone) compares with supervisord only: no PM2 install for it.
	if (options.only.length === 1 && options.only[0] === 8) {
		unavailable.push({tool: 'pm2', reason: 'not run in the trickle workload (supervisord is its peer)'});
		return {contenders, unavailable};
	}

	const pm2 = await findPm2(options.install);
	if ('binary' in pm2) {
		contenders.push(pm2Contender(pm2.binary));
	} else {
		unavailable.push({tool: 'pm2', reason: pm2.reason});
	}

	return {contenders, unavailable};
}

async function main(): Promise<number> {
	const options = parseOptions(process.argv.slice(2));
	if (!existsSync(fatcCli)) {
		throw new Error(`${fatcCli} is missing: run \`npm run build\` first (npm run bench does)`);
	}

	const machine = await describeMachine();
	const notes: string[] = [];
	const peers = await findPeers(options);
	const context: WorkloadContext = {
		mode: options.mode,
		seconds: options.seconds,
		warmupSeconds: options.warmupSeconds,
		rounds: options.rounds,
		soakRuns: options.soakRuns,
		idleRuns: options.idleRuns,
		contenders: [fatcContender, ...peers.contenders],
		unavailable: peers.unavailable,
		programs: await compilePrograms(),
		notes,
		log,
	};
	const rows: Row[] = [];
	const ranOthers = workloads.some(([number]) => options.only.length === 0 || options.only.includes(number));
	for (const [number, name, workload] of workloads) {
		if (options.only.length > 0 && !options.only.includes(number)) {
			continue;
		}

		log(`workload ${number}: ${name}`);
		try {
			// One at a time: they would compete for the same 2 cores.
			rows.push(...await workload(context));
		} catch (error) {
			log(`workload ${number} failed: ${(error as Error).stack ?? String(error)}`);
			rows.push({workload: `${number}. ${name}`, figure: 'failed', fatc: {missing: (error as Error).message}, peers: {}, ratios: false});
		} finally {
			await sweep();
		}
	}

	// Scale runs only when asked (--scale or --only 7), or small in the smoke benchmark: at 10,000 runs it takes long.
	let scaleOutcome: {rows: Row[]; notes: string[]; results: ScaleResults} | undefined;
	if (options.only.includes(7) || (options.only.length === 0 && options.mode === 'smoke')) {
		log(`workload 7: scale (${options.scaleCounts.join(', ')} runs)`);
		try {
			const before = notes.length;
			const outcome = await scale(context, options.scaleCounts, options.scaleTimeoutSeconds);
			scaleOutcome = {...outcome, notes: notes.slice(before)};
			rows.push(...outcome.rows);
		} catch (error) {
			log(`workload 7 failed: ${(error as Error).stack ?? String(error)}`);
			rows.push({workload: '7. scale', figure: 'failed', fatc: {missing: (error as Error).message}, peers: {}, ratios: false});
		} finally {
			await sweep();
		}
	}

	// Trickle runs only when asked (--trickle or --only 8): it needs PostgreSQL and takes a minute per row.
	let trickleOutcome: TrickleResults | undefined;
	if (options.only.includes(8)) {
		log(`workload 8: trickle (${options.trickleSeconds} s of e-mails per row)`);
		try {
			trickleOutcome = await trickleWorkload(context, options.trickleSeconds);
		} catch (error) {
			log(`workload 8 failed: ${(error as Error).stack ?? String(error)}`);
		} finally {
			await sweep();
		}
	}

	// Where fatc misses a speed target, say what holds it back: a profiled run of its own (the profiler slows it).
	let profile: FatcProfile | undefined;
	const missedSpeed = rows.some(row => row.met === false && /^[12]\./.test(row.workload));
	if (missedSpeed && options.mode === 'full') {
		log('profiling fatc on the restart-throughput workload (node --cpu-prof)…');
		try {
			profile = await profileFatc(context);
			notes.push(describeProfile(profile));
		} catch (error) {
			log(`profiling failed: ${(error as Error).message}`);
		} finally {
			await sweep();
		}
	}

	notes.push('Ratios are fatc ÷ peer: above 1× is better for runs/s and MB/s, below 1× is better for ms, % and MB.');
	const rounds = options.rounds > 1 ? `, workloads 1, 2 and 4 from ${options.rounds} rounds` : '';
	notes.push(`Figures are from one run${rounds} (${describeLoad(machine)}, on ${machine.cores} cores: other work `
		+ 'on the machine makes them noisy); the tools ran one after another, so ratios are fairer than absolute figures.');
	const results: Results = {machine, mode: options.mode, rows, notes, profile};
	const report = renderReport(results);
	if (rows.length > 0 || trickleOutcome === undefined) {
		process.stdout.write(`\n${report}\n`);
	}

	// Cluster limits' cost on a start (bench/cluster-overhead.ts), where a redis-server is installed.
	if (ranOthers && options.mode !== 'smoke' && existsSync('/usr/bin/redis-server')) {
		log('cluster limits: the cost of a start');
		process.stdout.write(`\nCluster limits, cost of a start:\n${(await clusterOverhead()).map(line => `  ${line}\n`).join('')}`);
	}

	if (options.save && ranOthers) {
		mkdirSync(resultsFolder, {recursive: true});
		writeFileSync(path.join(resultsFolder, 'latest.json'), `${JSON.stringify(results, null, '\t')}\n`);
		writeFileSync(path.join(resultsFolder, 'latest.md'), `${report}\n`);
		const chart = writeChart(results);
		log(`saved ${path.relative(process.cwd(), resultsFolder)}/latest.{json,md} and ${path.relative(process.cwd(), chart)}`);
	}

	// Scale on its own: a scale run never overwrites the main table, nor the main run the scale table.
	if (options.save && scaleOutcome !== undefined) {
		mkdirSync(resultsFolder, {recursive: true});
		const scaleResults = {machine, mode: options.mode, rows: scaleOutcome.rows, notes: [...scaleOutcome.notes, ...notes.slice(-2)], scale: scaleOutcome.results};
		writeFileSync(path.join(resultsFolder, 'scale.json'), `${JSON.stringify(scaleResults, null, '\t')}\n`);
		writeFileSync(path.join(resultsFolder, 'scale.md'), `${renderReport(scaleResults)}\n`);
		try {
			const chart = writeScaleChart(scaleResults);
			log(`saved ${path.relative(process.cwd(), resultsFolder)}/scale.{json,md} and ${path.relative(process.cwd(), chart)}`);
		} catch (error) {
			log(`saved ${path.relative(process.cwd(), resultsFolder)}/scale.{json,md}; no chart: ${(error as Error).message}`);
		}
	}

	// Trickle on its own file too, with its own table (one row per supervisor and settings).
	if (trickleOutcome !== undefined) {
		const trickleReport = renderTrickleReport(trickleOutcome, machine);
		process.stdout.write(`\n${trickleReport}\n`);
		if (options.save) {
			mkdirSync(resultsFolder, {recursive: true});
			writeFileSync(path.join(resultsFolder, 'trickle.json'), `${JSON.stringify({machine, ...trickleOutcome}, null, '\t')}\n`);
			writeFileSync(path.join(resultsFolder, 'trickle.md'), `${trickleReport}\n`);
			log(`saved ${path.relative(process.cwd(), resultsFolder)}/trickle.{json,md}`);
		}
	}

	return 0;
}

/** Ctrl-C: stop everything this run started before leaving. */
async function cleanUpAndExit(status: number): Promise<never> {
	const killed = await sweep();
	if (killed > 0) {
		log(`stopped ${killed} processes left running`);
	}

	removeTemporaryFolders();
	process.exit(status);
}

process.once('SIGINT', () => {
	log('interrupted: stopping every process the benchmark started');
	void cleanUpAndExit(130);
});
process.once('SIGTERM', () => {
	void cleanUpAndExit(143);
});

try {
	const status = await main();
	await cleanUpAndExit(status);
} catch (error) {
	const asked = process.argv.includes('--help') || process.argv.includes('-h');
	(asked ? process.stdout : process.stderr).write(`${(error as Error).message}\n`);
	await cleanUpAndExit(asked ? 0 : 1);
}
