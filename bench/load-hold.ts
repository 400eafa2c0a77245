/**
 * `node --import tsx bench/load-hold.ts` (after `npm run build`): fatc's `hold: {load: MARK, every: 1s}` against a real
 * rise in load. One independent job of short runs (bench/stamp.c, `sleep: 0.2`, 2 instances) records each run's start;
 * `stress-ng --cpu 4` raises the 1-minute load past the mark; new starts should stop within one `every` of the load
 * fatc reads passing it, and resume once the load is back at or below `release` — shown from the runs' own records
 * beside /proc/loadavg sampled every 250 ms. Saves bench/results/load-hold.{md,json}.
 * Options: --mark-above X (mark = the load per CPU at the start + X; default 0.5), --no-save.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import path from 'node:path';
import {compilePrograms} from './lib/compile.js';
import {startFatc} from './lib/fatc.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {resultsFolder} from './lib/paths.js';
import {run, start, stop, sweep} from './lib/processes.js';
import {formatNumber} from './lib/report.js';
import {removeTemporaryFolders, temporaryFolder} from './lib/temporary.js';
import {delay} from './lib/wait.js';

const every = 1000;
const cpus = availableParallelism();

function log(message: string): void {
	process.stderr.write(`[load-hold ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function loadPerCpu(): number {
	return Number(readFileSync('/proc/loadavg', 'latin1').split(' ', 1)[0]) / cpus;
}

/** Start times (ms since the epoch) of every run bench/stamp.c recorded. */
function runStarts(file: string): number[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return [];
	}

	return text.split('\n').map(line => line.split(' ')[1]).filter((start): start is string => start !== undefined)
		.map(start => Number(BigInt(start) / 1_000_000n)).sort((first, second) => first - second);
}

type Sample = {time: number; perCpu: number};

async function main(): Promise<number> {
	const argv = process.argv.slice(2);
	const markAbove = argv.includes('--mark-above') ? Number(argv[argv.indexOf('--mark-above') + 1]) : 0.5;
	const save = !argv.includes('--no-save');
	const machine = await describeMachine();
	const stressNg = (await run('sh', ['-c', 'command -v stress-ng || true'])).trim();
	if (stressNg === '') {
		throw new Error('stress-ng is not installed (apt-get install stress-ng)');
	}

	const baseline = loadPerCpu();
	const mark = Math.round((baseline + markAbove) * 100) / 100;
	const release = Math.round((baseline + (markAbove / 2)) * 100) / 100;
	log(`load per CPU now ${baseline.toFixed(2)}: hold above ${mark}, release at ${release} (${cpus} CPUs)`);

	const programs = await compilePrograms();
	const folder = temporaryFolder('load-hold');
	const stampFile = path.join(folder, 'stamps');
	const eventsFile = path.join(folder, 'events.jsonl');
	const fatc = await startFatc(folder, {
		short: {
			command: programs.stamp,
			args: [stampFile, '0'],
			model: 'independent',
			instances: 2,
			sleep: 0.2,
			stopTimeout: 2,
			hold: {load: mark, release, every: `${every}ms`},
		},
	}, {eventsFile});
	const samples: Sample[] = [];
	let sampling = true;
	const sampler = (async () => {
		while (sampling) {
			samples.push({time: Date.now(), perCpu: loadPerCpu()});
			await delay(250);
		}
	})();
	const timeline: Record<string, number> = {};
	let stress: ReturnType<typeof start> | undefined;
	try {
		await delay(5000);
		timeline.stressStarted = Date.now();
		stress = start(stressNg, ['--cpu', String(2 * cpus), '--quiet']);
		log(`stress-ng --cpu ${2 * cpus} started; waiting for the load to pass ${mark}`);
		timeline.crossedMark = await until(() => loadPerCpu() > mark, 180_000);
		log(`load passed the mark; holding the stress 20 s more`);
		await delay(20_000);
		await stop(stress, 5000);
		timeline.stressStopped = Date.now();
		log(`stress-ng stopped; waiting for the load to fall to ${release}`);
		timeline.fellToRelease = await until(() => loadPerCpu() <= release, 300_000);
		await delay(5000);
	} finally {
		sampling = false;
		await sampler;
		if (stress !== undefined) {
			await stop(stress, 5000);
		}

		await fatc.stop();
	}

	const starts = runStarts(stampFile);
	const crossed = timeline.crossedMark ?? Number.NaN;
	const fell = timeline.fellToRelease ?? Number.NaN;
	const lastBefore = starts.filter(time => time <= fell).filter(time => time >= crossed).at(-1);
	const startsHeld = starts.filter(time => time > crossed + every && time < fell).length;
	const firstAfter = starts.find(time => time > fell);
	const fatcSays = heldEvents(eventsFile);
	const heldAt = fatcSays.find(event => event.type === 'held' && event.time >= crossed - 5000);
	const releasedAt = fatcSays.find(event => event.type === 'released' && event.time >= (heldAt?.time ?? crossed));
	const relative = (time: number | undefined, from: number) => (time === undefined ? 'none' : formatNumber((time - from) / 1000));
	const stoppedInTime = lastBefore === undefined || lastBefore - crossed <= every;
	const resumedInTime = firstAfter !== undefined && firstAfter - fell <= every + 250;
	const rows = [
		['load per CPU at the start; mark / release', `${baseline.toFixed(2)}; ${mark} / ${release}`],
		['runs started before the load passed the mark', String(starts.filter(time => time < crossed).length)],
		['last start after the load passed the mark (s after it)', lastBefore === undefined ? 'none' : formatNumber((lastBefore - crossed) / 1000)],
		[`starts while held (from the crossing + ${every / 1000} s to the fall)`, String(startsHeld)],
		['held for (s, crossing → fall to release)', formatNumber((fell - crossed) / 1000)],
		['first start after the load fell to release (s after it)', firstAfter === undefined ? 'none' : formatNumber((firstAfter - fell) / 1000)],
		['fatc\'s `held` event (s after the crossing) / its `released` event (s after the fall)', `${relative(heldAt?.time, crossed)} / ${relative(releasedAt?.time, fell)}`],
		['runs started in all', String(starts.length)],
		['goal met: stopped within 1 s / resumed within 1 s (+ 250 ms of sampling)', `${stoppedInTime ? 'yes' : 'no'} / ${resumedInTime ? 'yes' : 'no'}`],
	];
	const report = [
		`Machine: ${machineLine(machine)}`,
		'',
		'| figure | value |',
		'|---|---:|',
		...rows.map(([figure, value]) => `| ${figure} | ${value} |`),
		'',
		`- fatc: one independent job of bench/stamp.c (2 instances, \`sleep: 0.2\`), \`hold: {load: ${mark}, release: ${release}, every: 1s}\`. `
		+ `stress-ng --cpu ${2 * cpus} raised the load; the crossing and the fall are this script's reads of /proc/loadavg (every 250 ms, `
		+ 'the same first field fatc reads; the kernel updates it every 5 s). Start times are the runs\' own (CLOCK_REALTIME).',
		'- Goal: no start later than one `every` (1 s) after the load passed the mark; starts again within one `every` after it fell to release.',
	].join('\n');
	process.stdout.write(`\n${report}\n`);
	if (save) {
		mkdirSync(resultsFolder, {recursive: true});
		writeFileSync(path.join(resultsFolder, 'load-hold.md'), `${report}\n`);
		writeFileSync(path.join(resultsFolder, 'load-hold.json'), `${JSON.stringify({machine, mark, release, baseline, timeline, fatcSays, starts, samples}, null, '\t')}\n`);
		log('saved bench/results/load-hold.{md,json}');
	}

	return 0;
}

/** fatc's held and released event lines, with the time fatc stamped them. */
function heldEvents(file: string): Array<{type: string; time: number}> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return [];
	}

	return text.split('\n').filter(line => line.includes('"type":"held"') || line.includes('"type":"released"'))
		.map(line => JSON.parse(line) as {type: string; time: number | string})
		// Event times were ms since the epoch, and are ISO strings since events carry a level: read both.
		.map(({type, time}) => ({type, time: typeof time === 'string' ? Date.parse(time) : time}));
}

/** When `condition` first held, polled every 250 ms; throws after `timeout` ms. */
async function until(condition: () => boolean, timeout: number): Promise<number> {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeout / 1000} s`);
		}

		await delay(250);
	}

	return Date.now();
}

let status = 1;
try {
	status = await main();
} catch (error) {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
} finally {
	await sweep();
	removeTemporaryFolders();
}

process.exit(status);
