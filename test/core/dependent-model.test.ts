import assert from 'node:assert/strict';
import {test} from 'node:test';
import {JobHarness} from '../helpers/job-harness.js';

const {spawnedSlots, wakeAt, notices} = JobHarness;

test('dependent: starts with one run', () => {
	const job = new JobHarness({instances: 3});
	assert.deepEqual(job.busySlots(), [0]);
	assert.equal(job.state.allowed, 1);
});

test('dependent: exit 64 restarts that slot at once and lets one more run start, up to instances', () => {
	const job = new JobHarness({instances: 3});
	assert.deepEqual(spawnedSlots(job.exit(0, 64)), [0, 1]);
	assert.equal(job.state.allowed, 2);
	assert.deepEqual(spawnedSlots(job.exit(1, 64)), [1, 2]);
	assert.equal(job.state.allowed, 3);
	assert.deepEqual(spawnedSlots(job.exit(2, 64)), [2]);
	assert.equal(job.state.allowed, 3, 'allowed never exceeds instances');
	assert.equal(job.peakRuns, 3);
});

test('dependent: exit 0 drops the fan-out to 1 and holds new starts for sleep', () => {
	const job = new JobHarness({instances: 3, sleep: 5000});
	job.exit(0, 64);
	job.exit(1, 64);
	assert.deepEqual(job.busySlots(), [0, 1, 2]);
	const effects = job.exit(1, 0);
	assert.equal(job.state.allowed, 1);
	assert.deepEqual(spawnedSlots(effects), []);
	assert.equal(wakeAt(effects), job.now + 5000);
	assert.deepEqual(notices(effects).filter(notice => notice.type === 'fan-out'), [{type: 'fan-out', from: 3, to: 1}]);
});

test('dependent: runs under way are never killed by a fan-out drop, and their results still count', () => {
	const job = new JobHarness({instances: 3, sleep: 5000});
	job.exit(0, 64);
	job.exit(1, 64);
	const effects = job.exit(0, 0);
	assert.deepEqual(JobHarness.stoppedRuns(effects), []);
	assert.deepEqual(job.busySlots(), [1, 2]);
	job.exit(1, 0);
	job.exit(2, 1);
	assert.equal(job.state.counters.done, 2);
	assert.equal(job.state.counters.errors, 1);
	assert.equal(job.state.counters.more, 2);
});

test('dependent: after the sleep hold, slot 0 starts again at the exact wake time', () => {
	const job = new JobHarness({instances: 2, sleep: 5000});
	job.exit(0, 0);
	assert.deepEqual(spawnedSlots(job.advance(4999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [0]);
});

test('dependent: an error holds new starts for sleepOnError', () => {
	const job = new JobHarness({instances: 2, sleep: 5000, sleepOnError: 60_000});
	const effects = job.exit(0, 3);
	assert.equal(wakeAt(effects), job.now + 60_000);
	assert.deepEqual(spawnedSlots(job.advance(59_999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [0]);
});

test('dependent: a signal death that fatc did not send is an error', () => {
	const job = new JobHarness({sleepOnError: 1000});
	job.exit(0, null, 'SIGSEGV');
	assert.equal(job.state.counters.errors, 1);
	assert.equal(job.state.holdUntil, job.now + 1000);
});

test('dependent: exit 64 from a run under way at a drop raises the fan-out for after the hold, without cutting it short', () => {
	const job = new JobHarness({instances: 3, sleep: 5000});
	job.exit(0, 64);
	job.exit(1, 64);
	job.exit(0, 0);
	assert.deepEqual(job.busySlots(), [1, 2]);
	const effects = job.exit(2, 64);
	assert.equal(job.state.allowed, 2);
	assert.deepEqual(spawnedSlots(effects), [], 'the hold still stands');
	job.exit(1, 64);
	assert.equal(job.state.allowed, 3);
	assert.deepEqual(spawnedSlots(job.advance(4999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [0, 1, 2]);
});

test('dependent: a free slot above allowed stays empty', () => {
	const job = new JobHarness({instances: 3, sleep: 100});
	job.exit(0, 64);
	job.exit(1, 64);
	job.exit(0, 0);
	job.exit(1, 0);
	job.advance(100);
	assert.deepEqual(job.busySlots(), [0, 2]);
});
