import assert from 'node:assert/strict';
import {test} from 'node:test';
import {JobStatistics} from '../../source/core/job-statistics.js';
import {RunHistory, type HistoryEntry} from '../../source/core/run-history.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, immediateSpawns, settle} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

function entry(job: string, runId: number, endedAt: number, duration = 100): HistoryEntry {
	return {job, runId, slot: 0, pid: 1000 + runId, startedAt: endedAt - duration, endedAt, duration, result: 'done', code: 0, signal: null, stopReason: null, spawnError: null, lastLine: null};
}

test('history: a bounded ring per job, newest first, by job and since', () => {
	const history = new RunHistory(3);
	for (let runId = 1; runId <= 5; runId++) {
		history.add(entry('mail', runId, runId * 1000));
	}

	history.add(entry('feeds', 1, 2500));
	assert.deepEqual(history.entries({job: 'mail'}).map(run => run.runId), [5, 4, 3], 'the oldest runs gave way');
	assert.deepEqual(history.entries().map(run => `${run.job}${run.runId}`), ['mail5', 'mail4', 'mail3', 'feeds1']);
	assert.deepEqual(history.entries({since: 4000}).map(run => run.runId), [5, 4]);
	assert.deepEqual(history.entries({limit: 1}).map(run => run.runId), [5]);
	assert.deepEqual(history.recentDurations('mail', 2), [100, 100]);
});

test('statistics: runs, results, rates and percentiles per window, on a fake clock', () => {
	const statistics = new JobStatistics();
	const now = 10_000_000;
	statistics.ended('more', 5000, now - 30 * 60_000);
	for (let index = 0; index < 100; index++) {
		statistics.ended(index % 10 === 0 ? 'error' : 'done', (index + 1) * 10, now - 30_000 + index);
	}

	const [minute, quarter, hour] = statistics.figures(now);
	assert.deepEqual({...minute, durationP50: minute!.durationP50}, {
		window: '1m', runs: 100, perMinute: 100, done: 90, more: 0, errors: 10, stopped: 0,
		durationP50: 500, durationP95: 950, durationMax: 1000, heldFor: 0,
	});
	assert.equal(quarter!.runs, 100, 'the run of 30 minutes ago is outside 15 minutes');
	assert.equal(hour!.runs, 101);
	assert.equal(hour!.durationMax, 5000);
	assert.equal(statistics.figures(now + 2 * 3_600_000)[2]!.runs, 0, 'an hour later, nothing is left');
});

test('statistics: a run that never started (command not found) counts as a run and an error, with no duration', () => {
	const statistics = new JobStatistics();
	const now = 10_000_000;
	statistics.ended('error', undefined, now - 40_000);
	statistics.ended('error', undefined, now - 20_000);
	const [minute] = statistics.figures(now);
	assert.deepEqual({runs: minute!.runs, errors: minute!.errors, p50: minute!.durationP50, max: minute!.durationMax}, {runs: 2, errors: 2, p50: null, max: null});
	statistics.ended('done', 300, now - 10_000);
	const [later] = statistics.figures(now + 1000);
	assert.deepEqual({runs: later!.runs, p50: later!.durationP50, p95: later!.durationP95, max: later!.durationMax}, {runs: 3, p50: 300, p95: 300, max: 300});
});

test('statistics: time held within each window', () => {
	const statistics = new JobStatistics();
	const now = 10_000_000;
	statistics.held(now - 120_000);
	statistics.released(now - 30_000);
	statistics.held(now - 10_000);
	const [minute, quarter] = statistics.figures(now);
	assert.equal(minute!.heldFor, 40_000, '30 s of the first hold and 10 s of the one under way');
	assert.equal(quarter!.heldFor, 100_000);
});

test('supervisor: history and statistics go on from earlier runs, and handle.history() answers', async () => {
	const clock = new FakeClock();
	const earlier = [entry('mail', 1, clock.now() - 5000), entry('mail', 2, clock.now() - 4000)];
	const supervisor = createSupervisor({
		configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [makeDefinition({name: 'mail', sleep: 60_000})]},
		driver: new FakeDriver(),
		clock,
		spawnPacer: immediateSpawns(),
		history: earlier,
	});
	supervisor.start();
	assert.deepEqual((await supervisor.history({job: 'mail'})).map(run => run.runId), [2, 1]);
	assert.equal(supervisor.snapshot().jobs[0]!.statistics[0]!.runs, 2);
	assert.deepEqual(supervisor.snapshot().jobs[0]!.recentDurations, [100, 100]);
	await assert.rejects(supervisor.history({job: 'nope'}), /No job named "nope"/);
	await supervisor.shutdown();
});

test('supervisor: a job a reload removed takes its history with it once its runs are gone', async () => {
	const clock = new FakeClock();
	const definitions = [makeDefinition({name: 'mail', sleep: 60_000}), makeDefinition({name: 'feeds', sleep: 60_000})];
	const next = {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [definitions[0]!]};
	const supervisor = createSupervisor({
		configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: definitions},
		driver: new FakeDriver(),
		clock,
		spawnPacer: immediateSpawns(),
		history: [entry('mail', 1, clock.now() - 5000), entry('feeds', 1, clock.now() - 4000)],
		loadConfiguration: async () => next,
	});
	supervisor.start();
	assert.deepEqual((await supervisor.history()).map(run => run.job), ['feeds', 'mail']);
	await supervisor.reload();
	await settle();
	assert.deepEqual(supervisor.snapshot().jobs.map(job => job.name), ['mail']);
	assert.deepEqual((await supervisor.history()).map(run => run.job), ['mail']);
	await supervisor.shutdown();
});
