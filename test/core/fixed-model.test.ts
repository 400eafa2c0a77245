import assert from 'node:assert/strict';
import {test} from 'node:test';
import {RunTable} from '../../source/core/run-table.js';
import {JobHarness} from '../helpers/job-harness.js';

const {spawnedSlots, stoppedRuns, wakeAt} = JobHarness;

test('fixed: the first run starts at once, the next one sleep after the previous start', () => {
	const job = new JobHarness({model: 'fixed', instances: 2, sleep: 10_000});
	assert.deepEqual(job.busySlots(), [0]);
	job.advance(3000);
	const effects = job.exit(0, 0);
	assert.deepEqual(spawnedSlots(effects), [], 'the interval counts from the start, not the end');
	assert.equal(wakeAt(effects), job.now + 7000);
	assert.deepEqual(spawnedSlots(job.advance(7000)), [0]);
});

test('fixed: runs longer than the interval overlap in free slots', () => {
	const job = new JobHarness({model: 'fixed', instances: 2, sleep: 1000});
	assert.deepEqual(spawnedSlots(job.advance(1000)), [1]);
	assert.deepEqual(job.busySlots(), [0, 1]);
});

test('fixed: exit 64 counts as done and starts nothing early', () => {
	const job = new JobHarness({model: 'fixed', sleep: 1000});
	assert.deepEqual(spawnedSlots(job.exit(0, 64)), []);
	assert.equal(job.state.counters.more, 1);
	assert.deepEqual(spawnedSlots(job.advance(1000)), [0]);
});

test('fixed: an error pauses all new starts for sleepOnError', () => {
	const job = new JobHarness({model: 'fixed', sleep: 1000, sleepOnError: 5000});
	job.exit(0, 1);
	assert.deepEqual(spawnedSlots(job.advance(1000)), []);
	assert.deepEqual(spawnedSlots(job.advance(3999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [0]);
});

test('fixed: fixedIntervalWait -1 waits for a slot, then starts at once and counts the interval from then', () => {
	const job = new JobHarness({model: 'fixed', sleep: 1000, fixedIntervalWait: -1});
	const due = job.advance(1000);
	assert.deepEqual(spawnedSlots(due), []);
	assert.deepEqual(stoppedRuns(due), []);
	job.advance(500);
	assert.deepEqual(spawnedSlots(job.exit(0, 0)), [0]);
	assert.deepEqual(spawnedSlots(job.advance(999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), []);
	assert.equal(job.peakRuns, 1);
});

test('fixed: fixedIntervalWait 0 stops the oldest run at once when a start is due and no slot is free', () => {
	const job = new JobHarness({model: 'fixed', instances: 2, sleep: 1000, fixedIntervalWait: 0});
	job.advance(1000);
	const oldest = job.state.runs.find(run => run.slot === 0)!.runId;
	const due = job.advance(1000);
	assert.deepEqual(stoppedRuns(due), [oldest]);
	assert.deepEqual(stoppedRuns(job.advance(10)), [], 'one stop per due start');
	const replaced = job.exit(0, null, 'SIGTERM');
	assert.equal(job.state.counters.stopped, 1, 'a run fatc stopped steers nothing');
	assert.deepEqual(spawnedSlots(replaced), [0]);
	assert.equal(job.peakRuns, 2);
});

test('fixedIntervalWait N waits N before stopping the oldest run, and a slot freed meanwhile avoids the stop', () => {
	const job = new JobHarness({model: 'fixed', sleep: 1000, fixedIntervalWait: 500});
	const due = job.advance(1000);
	assert.equal(wakeAt(due), job.now + 500);
	assert.deepEqual(stoppedRuns(job.advance(499)), []);
	assert.equal(stoppedRuns(job.advance(1)).length, 1);

	const second = new JobHarness({model: 'fixed', sleep: 1000, fixedIntervalWait: 500});
	second.advance(1000);
	second.advance(200);
	assert.deepEqual(spawnedSlots(second.exit(0, 0)), [0]);
	assert.deepEqual(stoppedRuns(second.advance(300)), []);
});

test('fixed: a schedule starts runs at the cron times instead of every sleep', () => {
	const job = new JobHarness({model: 'fixed', sleep: 1000, schedule: '*/10 * * * * *'});
	job.now = Date.parse('2026-01-01T00:00:03Z');
	job.state = {...job.state, runs: new RunTable()};
	job.send({type: 'restart'});
	assert.deepEqual(job.busySlots(), []);
	assert.equal(job.state.wakeAt, Date.parse('2026-01-01T00:00:10Z'));
	job.now = Date.parse('2026-01-01T00:00:10Z');
	assert.deepEqual(spawnedSlots(job.send({type: 'tick'})), [0]);
	assert.equal(job.state.wakeAt, Date.parse('2026-01-01T00:00:20Z'));
});
