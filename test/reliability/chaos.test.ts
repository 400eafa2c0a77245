import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {sweepInstance} from '../../source/daemon/sweep-escaped.js';
import {reapedBy, startGeneration, type Generation} from '../helpers/chaos/generation.js';
import {InstancesTimeline} from '../helpers/chaos/instances-timeline.js';
import {seededRandom, type Random} from '../helpers/chaos/random.js';
import {onCleanup} from '../helpers/cleanup.js';
import {fixture} from '../helpers/fixture.js';
import {isAlive} from '../helpers/processes.js';
import {readRunRecords, type RunRecord} from '../helpers/run-records.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

/*
 * SPEC §2 under a storm: a real fatc (`fatc run`) supervises one job whose runs record their own start and end, while
 * a seeded random storm scales, pauses, resumes, restarts, triggers, rewrites the config and reloads it, sends SIGHUP,
 * and SIGKILLs fatc and starts it again. Afterwards, from the runs' records: never more runs at once than `instances`,
 * no process left, and every run in fatc's events and counters. FATC_CHAOS_SEEDS=7 (or 1-200) replays or widens it.
 */

const seeds = parseSeeds(process.env.FATC_CHAOS_SEEDS ?? '1-20');
/** How long fatc may take from deciding to start a run to forking it (a busy machine, a GC pause). */
const decisionSlack = 250;

for (const seed of seeds) {
	test(`chaos seed ${seed}: never more than instances, nothing left, every run counted`, {timeout: 120_000}, async t => {
		await chaos(t, seed);
	});
}

type Job = {
	model: string;
	instances: number;
	sleep: number;
	fixedIntervalWait: number | string;
	onChange: string;
	runSeconds: string;
	stopSeconds: string;
	exitCodes: string;
};

function randomJob(random: Random): Job {
	const model = random.pick(['independent', 'dependent', 'fixed']);
	return {
		model,
		instances: random.integer(1, 4),
		sleep: model === 'fixed' ? random.pick([0.1, 0.2, 0.3]) : random.pick([0, 0, 0.02, 0.1]),
		fixedIntervalWait: random.pick([-1, 0, '50ms']),
		onChange: random.pick(['finish', 'restart']),
		runSeconds: random.pick(['0.02', '0.05', '0.3', '1', '2']),
		stopSeconds: random.pick(['0', '0.05', '0.2']),
		exitCodes: random.pick(['64 0', '64 64 0 1', '0 1 2', '64', '1 64']),
	};
}

function configText(job: Job, records: string): string {
	return [
		'name: chaos',
		'runDir: ./run',
		'jobs:',
		'  work:',
		`    command: ${fixture('chaos-run.sh')}`,
		`    args: [${records}]`,
		`    model: ${job.model}`,
		`    instances: ${job.instances}`,
		`    sleep: ${job.sleep}`,
		'    sleepOnError: 0',
		`    fixedIntervalWait: ${job.fixedIntervalWait}`,
		`    onChange: ${job.onChange}`,
		'    stopTimeout: 10s',
		`    env: {RUN_SECONDS: "${job.runSeconds}", STOP_SECONDS: "${job.stopSeconds}", EXIT_CODES: "${job.exitCodes}"}`,
		'',
	].join('\n');
}

const actionWeights = {scale: 5, pause: 1, resume: 2, restart: 2, trigger: 2, reload: 3, hangUp: 1, crash: 2};

async function chaos(t: TestContext, seed: number) {
	const random = seededRandom(seed);
	const folder = temporaryFolder(t);
	const recordFile = join(folder, 'work.records');
	const socket = join(folder, 'run/chaos.sock');
	let job = randomJob(random);
	const configFile = await writeIn(folder, '.fatcontrollerrc', configText(job, recordFile));
	const timeline = new InstancesTimeline(job.instances);
	// What fatc keeps in runDir and applies again when it starts (host/keep-changes.ts): a scale by hand, while the
	// file's instances is what it was when the scale was made.
	let remembered: {instances: number; fileInstances: number} | undefined;
	const generations: Generation[] = [];
	onCleanup(t, () => {
		// Only after a failure is anything still there.
		for (const generation of generations) {
			generation.cli.child.kill('SIGKILL');
		}

		sweepInstance(socket);
	});

	let generation = await startGeneration(folder, configFile, socket);
	generations.push(generation);
	const begin = Date.now();
	const steps: string[] = [];
	const refusals: string[] = [];
	const request = async (command: Parameters<Generation['client']['request']>[0], args: unknown[]) => {
		try {
			return await generation.client.request(command, args);
		} catch (error) {
			refusals.push(`${command} ${args.join(' ')}: ${(error as Error).message}`);
			return undefined;
		}
	};

	const count = random.integer(15, 25);
	for (let step = 0; step < count; step++) {
		await delay(random.integer(20, 300));
		const action = random.weighted(actionWeights);
		const sent = Date.now();
		let detail = '';
		switch (action) {
			case 'scale': {
				const to = random.integer(0, 4);
				detail = ` ${to}`;
				if (await request('scale', ['work', to]) !== undefined) {
					remembered = to === job.instances ? undefined : {instances: to, fileInstances: job.instances};
				}

				timeline.change(to, sent, Date.now());
				break;
			}

			case 'reload': {
				const next = randomJob(random);
				detail = ` ${JSON.stringify(next)}`;
				// Written in place, not renamed: the watcher may well see a half-written file first.
				await writeFile(configFile, configText(next, recordFile));
				await request('reload', []);
				if (next.instances !== job.instances) {
					timeline.change(next.instances, sent, Date.now());
				}

				if (next.instances !== remembered?.fileInstances) {
					remembered = undefined;
				}

				job = next;
				break;
			}

			case 'hangUp': {
				process.kill(generation.pid, 'SIGHUP');
				break;
			}

			case 'crash': {
				process.kill(generation.pid, 'SIGKILL');
				generation.killedAt = Date.now();
				generation.client.close();
				await generation.cli.exited;
				generation = await startGeneration(folder, configFile, socket);
				generations.push(generation);
				timeline.change(remembered?.instances ?? job.instances, sent, generation.readyAt);
				break;
			}

			default: {
				await request(action, ['work']);
			}
		}

		steps.push(`+${sent - begin}ms ${action}${detail}`);
	}

	// Wind down: no new starts, wait for the runs under way to end, read the counters, stop fatc gracefully.
	await request('pause', ['work']);
	const idleBy = Date.now() + 30_000;
	let snapshot = await request('snapshot', []) as Snapshot;
	while (snapshot.jobs[0]!.workers.length > 0) {
		assert.ok(Date.now() < idleBy, `seed ${seed}: the runs under way did not end within 30 s of the pause`);
		await delay(50);
		snapshot = await request('snapshot', []) as Snapshot;
	}

	generation.client.close();
	process.kill(generation.pid, 'SIGTERM');
	const exitCode = await generation.cli.exited;

	const {problems, unobserved, reaped, endedUnseen} = check({records: recordsByPid(recordFile), generations, timeline, snapshot, socket});
	if (exitCode !== 0) {
		problems.push(`the last fatc exited ${exitCode}: ${generation.cli.errors()}`);
	}

	const unexpected = refusals.filter(refusal => /closed|connection/.test(refusal));
	problems.push(...unexpected.map(refusal => `a command got no answer: ${refusal}`));
	const records = readRunRecords(recordFile).length;
	t.diagnostic(`seed ${seed}: ${steps.length} actions, ${generations.length} lives of fatc, ${records} runs, ${reaped} reaped after a SIGKILL (${unobserved.length} started as fatc was SIGKILLed and ended unobserved, ${endedUnseen} named by the next fatc as ended while none watched); refused: ${refusals.length}`);
	assert.deepEqual(problems, [], `seed ${seed} (replay with FATC_CHAOS_SEEDS=${seed}); job ${JSON.stringify(job)}\n${steps.join('\n')}`);
}

type Evidence = {
	/** The runs' own records, by pid. */
	records: Map<number, RunRecord>;
	generations: Generation[];
	timeline: InstancesTimeline;
	/** The last fatc's, once its job was paused and idle. */
	snapshot: Snapshot;
	socket: string;
};

/** What the runs' records and fatc's events say against SPEC §2; one line per violation. */
function check({records, generations, timeline, snapshot, socket}: Evidence): {problems: string[]; unobserved: number[]; reaped: number; endedUnseen: number} {
	const problems: string[] = [];
	const unobserved: number[] = [];
	const reaps = generations.slice(1).map(generation => reapedBy(generation));
	const reapedAt = new Map(reaps.flatMap(reap => reap.pids.map(pid => [pid, reap.time] as const)));
	// A run started by a fatc killed a moment later, whose group the next fatc found gone, though the run left no end
	// record (a stop's SIGTERM that came before its shell had set its trap: it died at once, before recording its
	// start): it ended before the next fatc said so.
	const endedUnseen = generations.map(generation => new Map(endedUnseenBy(generation)));
	const endedUnseenAt = new Map(endedUnseen.flatMap(named => [...named]));

	// 1. Never more runs at once than instances. A run SIGKILLed by the reaper has no end: it lived until the reap.
	const lives = [...records.values()]
		.filter(record => record.start !== undefined)
		.map(record => ({...record, start: record.start!, until: record.end ?? reapedAt.get(record.pid) ?? endedUnseenAt.get(record.pid) ?? Number.POSITIVE_INFINITY}));
	for (const run of lives) {
		const alive = lives.filter(other => other.start <= run.start && run.start < other.until);
		const allowed = timeline.largestBetween(run.start - run.lag! - decisionSlack, run.start);
		if (alive.length > allowed) {
			problems.push(`${alive.length} runs at once (pids ${alive.map(other => other.pid).join(' ')}) when run ${run.run} (pid ${run.pid}) started at ${new Date(run.start).toISOString()}; instances was at most ${allowed}`);
		}
	}

	// 2. Every run in fatc's events: started, and ended by the same fatc or reaped by the next one.
	const pids = (generation: Generation, type: string) => new Set(generation.events().flatMap(event => event.type === type && 'pid' in event && event.pid !== undefined ? [event.pid] : []));
	const startedBy = generations.map(generation => pids(generation, 'run-started'));
	const endedBy = generations.map(generation => pids(generation, 'run-ended'));
	const reaped = new Set(reapedAt.keys());
	for (const record of records.values()) {
		if (startedBy.some(started => started.has(record.pid)) || reaped.has(record.pid)) {
			continue;
		}

		// The one thing a SIGKILL takes: a run forked in fatc's last instant, before it could say so, that ended before
		// the next fatc came to reap it. It ran once, alone in its slot; the next fatc found it in the registry as being
		// started and says so, but how it ended is lost.
		const forked = record.start === undefined ? undefined : record.start - record.lag!;
		const announced = generations.some((generation, index) => forked !== undefined && generation.killedAt !== undefined
			&& forked >= generation.startedAt && forked <= generation.killedAt
			&& unconfirmedBy(generations[index + 1]!).includes(`work run ${record.run}`));
		if (announced && record.end !== undefined) {
			unobserved.push(record.pid);
		} else {
			problems.push(`pid ${record.pid} (run ${record.run}) ran from ${iso(record.start)} to ${iso(record.end)}, but no fatc reported starting or reaping it (lives: ${generations.map(generation => `${iso(generation.startedAt)}–${generation.killedAt === undefined ? 'stopped' : `killed ${iso(generation.killedAt)}`}`).join(', ')})`);
		}
	}

	for (const [index, started] of startedBy.entries()) {
		for (const pid of started) {
			// Left running by a SIGKILLed fatc: reaped by the next one, or over before it was up — by its end record, or
			// named by the next one as ended unseen (its group gone then: any end it recorded came before).
			const end = records.get(pid)?.end;
			const next = generations[index + 1];
			const namedGoneAt = endedUnseen[index + 1]?.get(pid);
			const namedGone = namedGoneAt !== undefined && (end === undefined || end <= namedGoneAt);
			const accounted = endedBy[index]!.has(pid) || (next !== undefined && (reaped.has(pid) || (end !== undefined && end <= next.readyAt) || namedGone));
			if (!accounted) {
				const told = next === undefined ? [] : next.events().flatMap(event => event.type === 'supervisor-error' ? [event.message] : []);
				problems.push(`pid ${pid}, started by fatc life ${index + 1}, never reported ended${next === undefined ? '' : ` nor reaped by the next fatc before it started (its record's end: ${iso(end)}, the next one ready at ${iso(next.readyAt)}; its error lines: ${JSON.stringify(told)})`}`);
			}
		}
	}

	// 3. The last fatc's counters agree with its events, by run number: a run is a start fatc decided on, so one
	// cancelled before its process was spawned (or whose spawn failed) counts, and ends, without a pid.
	const job = snapshot.jobs[0]!;
	const lastEvents = generations.at(-1)!.events();
	const runIds = (type: string) => new Set(lastEvents.flatMap(event => event.type === type && 'runId' in event ? [event.runId] : []));
	const endedRuns = runIds('run-ended');
	const runs = new Set([...runIds('run-started'), ...endedRuns]);
	if (job.runs !== runs.size) {
		problems.push(`the last fatc counted ${job.runs} runs but reported ${runs.size}`);
	}

	const endings = job.done + job.more + job.errors + job.stopped;
	if (endings !== endedRuns.size) {
		problems.push(`the last fatc counted ${endings} endings (${job.done} done, ${job.more} more, ${job.errors} errors, ${job.stopped} stopped) but reported ${endedRuns.size}`);
	}

	// 4. Nothing left: no run, and no process carrying this fatc's mark.
	for (const pid of new Set([...records.keys(), ...startedBy.flatMap(started => [...started])])) {
		if (isAlive(pid)) {
			problems.push(`pid ${pid} is still alive`);
		}
	}

	problems.push(...markedProcesses(socket).map(pid => `pid ${pid} still carries FATC_SOCKET=${socket}`));
	return {problems, unobserved, reaped: reaped.size, endedUnseen: endedUnseenAt.size};
}

function recordsByPid(file: string): Map<number, RunRecord> {
	return new Map(readRunRecords(file).map(record => [record.pid, record]));
}

/**
 * The runs the next fatc named as started by the killed one and never seen to end: "~" lines (killed while starting
 * them) and "+" lines whose group was gone (killed after it recorded the start, before it printed it).
 */
function unconfirmedBy(generation: Generation): string[] {
	const runs: string[] = [];
	for (const event of generation.events()) {
		if (event.type !== 'supervisor-error') {
			continue;
		}

		const starting = /killed while starting its (.*): if it started/.exec(event.message);
		const unseen = /^ended while no fatc watched, .*: (.*); how they ended is unknown$/.exec(event.message);
		runs.push(...(starting?.[1]!.split(', ') ?? []), ...(unseen?.[1]!.split(', ').map(run => run.replace(/ \(pid \d+\)$/, '')) ?? []));
	}

	return runs;
}

/** The pids a generation named as ended while no fatc watched (started by the killed one, group gone), and when. */
function endedUnseenBy(generation: Generation): Array<[number, number]> {
	return generation.events().flatMap(event => {
		if (event.type !== 'supervisor-error' || !event.message.startsWith('ended while no fatc watched')) {
			return [];
		}

		// `fatc run --json` writes times as ISO-8601.
		const time = Date.parse(String(event.time));
		return [...event.message.matchAll(/\(pid (\d+)\)/g)].map(match => [Number(match[1]), time] as [number, number]);
	});
}

/** Live processes whose environment carries this fatc's mark — read here, not with the code under test. */
function markedProcesses(socket: string): number[] {
	const marker = `\0FATC_SOCKET=${socket}\0`;
	return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number).filter(pid => {
		try {
			return isAlive(pid) && `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker);
		} catch {
			return false;
		}
	});
}

function iso(time: number | undefined) {
	return time === undefined ? '?' : new Date(time).toISOString().slice(11);
}

async function delay(milliseconds: number) {
	await new Promise(resolve => setTimeout(resolve, milliseconds));
}

function parseSeeds(text: string): number[] {
	const range = /^(\d+)-(\d+)$/.exec(text);
	if (range) {
		return Array.from({length: Number(range[2]) - Number(range[1]) + 1}, (_, index) => Number(range[1]) + index);
	}

	return text.split(',').map(Number);
}
