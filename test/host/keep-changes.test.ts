import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {prepareSupervision} from '../../source/host/start-supervision.js';
import {onCleanup} from '../helpers/cleanup.js';
import {fixture} from '../helpers/fixture.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

type Instances = {work: number; other: number};

/**
 * The real host (prepareSupervision, real driver) keeping changes in `<folder>/run/kept.changes.json`, on a config
 * file with two long-running record-run.sh jobs, `work` and `other` (independent: every slot runs at once).
 */
async function startKept(t: TestContext, options: {instances?: Instances; remembered?: unknown; fresh?: boolean} = {}) {
	const folder = temporaryFolder(t);
	const configFile = join(folder, '.fatcontrollerrc');
	const changesFile = join(folder, 'run/kept.changes.json');
	const records = (job: string) => join(folder, `${job}.records`);
	const save = (instances: Instances, sleep = 0) => {
		writeFileSync(configFile, ['name: kept', 'runDir: ./run', 'logDir: ./logs', 'jobs:', ...(['work', 'other'] as const).flatMap(job => [
			`  ${job}:`,
			`    command: ${fixture('record-run.sh')}`,
			`    args: [${records(job)}]`,
			'    model: independent',
			`    instances: ${instances[job]}`,
			`    sleep: ${sleep}`,
			'    stopTimeout: 5s',
			'    env: {RUN_SECONDS: "1000"}',
		])].join('\n'));
	};

	save(options.instances ?? {work: 4, other: 1});
	mkdirSync(join(folder, 'run'), {mode: 0o700});
	if (options.remembered !== undefined) {
		writeFileSync(changesFile, typeof options.remembered === 'string' ? options.remembered : JSON.stringify(options.remembered));
	}

	const events: SupervisorEvent[] = [];
	const load = async () => loadConfiguration({configPath: configFile});
	const {supervisor, start} = prepareSupervision({
		configuration: await load(),
		loadConfiguration: load,
		remember: {fresh: options.fresh === true},
		onEvent(event) {
			events.push(event);
		},
	});
	const done = start();
	onCleanup(t, async () => {
		void supervisor.shutdown();
		supervisor.kill();
		await done;
	});

	const job = (name: string) => supervisor.snapshot().jobs.find(snapshot => snapshot.name === name)!;
	return {
		supervisor,
		events,
		save,
		job,
		/** The event lines fatc wrote about what it remembers, and its errors reading or writing them. */
		lines: () => events.flatMap(event => event.type === 'remembered' || event.type === 'supervisor-error' ? [event.message] : []),
		remembered: () => existsSync(changesFile) ? JSON.parse(readFileSync(changesFile, 'utf8')) as unknown : undefined,
		records: (name: string) => readRunRecords(records(name)),
		async runsStarted(name: string, count: number) {
			await waitFor(() => events.filter(event => event.type === 'run-started' && event.job === name).length >= count, `${count} runs of ${name} to start`, 15_000);
		},
		async finish() {
			await supervisor.shutdown();
			await done;
		},
	};
}

test('a remembered scale and pause hold from the first start: no more runs than remembered, none of the paused job, and a line each says why', async t => {
	const kept = await startKept(t, {remembered: {version: 1, jobs: {work: {instances: 2, fileInstances: 4}, other: {paused: true}}}});
	// start() decides the first runs at once: what it decided is final.
	assert.equal(kept.job('work').instances, 2);
	assert.equal(kept.job('work').runs, 2);
	assert.equal(kept.job('other').paused, true);
	assert.equal(kept.job('other').runs, 0);
	assert.deepEqual(kept.lines(), [
		'remembered from the last run: work instances 2 (the file says 4) — fatc --fresh forgets',
		'remembered from the last run: other paused — fatc --fresh forgets',
	]);
	await kept.runsStarted('work', 2);
	// A run stopped before it wrote its start would not count: wait for both.
	await waitFor(() => kept.records('work').filter(record => record.start !== undefined).length === 2, 'both runs to record their start');
	await kept.finish();
	assert.equal(maxConcurrentRuns(kept.records('work')), 2);
	assert.deepEqual(kept.records('other'), []);
	assert.ok(!kept.events.some(event => event.type === 'paused'), 'the pause was in force before anything was told');
});

test('scale, pause, resume and restart by hand are written to runDir; back to the file\'s value or resumed, the entry goes', async t => {
	const kept = await startKept(t);
	await kept.runsStarted('work', 4);
	assert.equal(kept.remembered(), undefined, 'nothing is written while nothing was changed');

	kept.supervisor.scale('work', 2);
	kept.supervisor.pause('other');
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {work: {instances: 2, fileInstances: 4}, other: {paused: true}}});
	kept.supervisor.resume('other');
	kept.supervisor.scale('work', 3);
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {work: {instances: 3, fileInstances: 4}}});
	kept.supervisor.pause('other');
	kept.supervisor.restart('other');
	kept.supervisor.scale('work', 4);
	assert.equal(kept.remembered(), undefined, 'nothing left to remember: the file is gone');
	assert.throws(() => {
		kept.supervisor.scale('nope', 1);
	}, /No job named "nope"/);
	assert.equal(kept.remembered(), undefined, 'a refused scale is not remembered');
	assert.deepEqual(kept.lines(), []);
});

test('a scale lasts through a reload that leaves the file\'s instances and is dropped by one that changes them; the pause stays', async t => {
	const kept = await startKept(t, {remembered: {version: 1, jobs: {work: {instances: 2, fileInstances: 4}}}});
	kept.supervisor.pause('work');
	kept.save({work: 4, other: 1}, 1);
	const first = await kept.supervisor.reload();
	assert.deepEqual(first, {ok: true, summary: '2 changed, 0 added, 0 removed — work (sleep), other (sleep)'});
	assert.equal(kept.job('work').instances, 2, 'the file\'s instances did not change: the remembered scale holds');
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {work: {instances: 2, fileInstances: 4, paused: true}}});

	kept.save({work: 6, other: 1}, 1);
	const second = await kept.supervisor.reload();
	assert.equal(second.ok, true);
	assert.equal(kept.job('work').instances, 6, 'the file\'s new value applies');
	assert.equal(kept.job('work').paused, true);
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {work: {paused: true}}});

	kept.supervisor.scale('work', 5);
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {work: {instances: 5, fileInstances: 6, paused: true}}}, 'compared with the file as it is now');
});

test('a file whose instances change to the remembered scale\'s own value still wins over a later scale by hand', async t => {
	// Started with the remembered 2 (the file says 4), scaled by hand to 3, then the file says 2: its instances changed
	// (4 -> 2), so 2 applies, though 2 is also what the config fatc started with said (chaos seed 105 ran 3 so).
	const kept = await startKept(t, {remembered: {version: 1, jobs: {work: {instances: 2, fileInstances: 4}}}});
	kept.supervisor.scale('work', 3);
	kept.save({work: 2, other: 1});
	assert.equal((await kept.supervisor.reload()).ok, true);
	assert.equal(kept.job('work').instances, 2, 'the file\'s new value applies');
	assert.equal(kept.remembered(), undefined);
	kept.save({work: 2, other: 1}, 1);
	assert.equal((await kept.supervisor.reload()).ok, true);
	assert.equal(kept.job('work').instances, 2, 'and stays through a reload that leaves it');
});

test('a file whose instances changed while fatc was stopped drops the remembered scale with a line; a job gone from the file is forgotten', async t => {
	const kept = await startKept(t, {
		instances: {work: 6, other: 1},
		remembered: {version: 1, jobs: {work: {instances: 2, fileInstances: 4, paused: true}, gone: {instances: 1, fileInstances: 3}}},
	});
	assert.equal(kept.job('work').instances, 6);
	assert.equal(kept.job('work').paused, true);
	assert.deepEqual(kept.lines(), [
		'forgot work instances 2 set by hand: the file\'s instances changed (4 -> 6)',
		'forgot gone instances 1 set by hand: gone is no longer in the file',
		'remembered from the last run: work paused — fatc --fresh forgets',
	]);
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {work: {paused: true}}});
});

test('a corrupt file is one line and the file\'s values; the next change by hand replaces it', async t => {
	const kept = await startKept(t, {remembered: '{"version": 1, "jobs": {"work": '});
	assert.equal(kept.job('work').instances, 4);
	assert.equal(kept.job('other').paused, false);
	const [line, ...more] = kept.lines();
	assert.match(line!, /kept\.changes\.json: not valid JSON: .*; starting from the file's values/);
	assert.deepEqual(more, []);
	await kept.runsStarted('work', 4);
	kept.supervisor.pause('other');
	assert.deepEqual(kept.remembered(), {version: 1, jobs: {other: {paused: true}}});
});

test('fresh forgets: the file is removed, the file\'s values apply, and a line says what was forgotten', async t => {
	const kept = await startKept(t, {fresh: true, remembered: {version: 1, jobs: {work: {instances: 2, fileInstances: 4}, other: {paused: true}}}});
	assert.equal(kept.remembered(), undefined);
	assert.equal(kept.job('work').instances, 4);
	assert.equal(kept.job('other').paused, false);
	assert.deepEqual(kept.lines(), ['--fresh: forgot work instances 2 (the file says 4), other paused']);
	await kept.runsStarted('other', 1);
});
