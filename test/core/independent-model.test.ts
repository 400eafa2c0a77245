import assert from 'node:assert/strict';
import {test} from 'node:test';
import {JobHarness} from '../helpers/job-harness.js';

const {spawnedSlots} = JobHarness;

test('independent: every slot starts at once', () => {
	const job = new JobHarness({model: 'independent', instances: 3});
	assert.deepEqual(job.busySlots(), [0, 1, 2]);
});

test('independent: exit 64 restarts only that slot, at once', () => {
	const job = new JobHarness({model: 'independent', instances: 3});
	assert.deepEqual(spawnedSlots(job.exit(1, 64)), [1]);
});

test('independent: exit 0 rests only that slot for sleep, the others go on', () => {
	const job = new JobHarness({model: 'independent', instances: 2, sleep: 2000});
	job.exit(0, 0);
	assert.deepEqual(spawnedSlots(job.exit(1, 64)), [1]);
	assert.deepEqual(spawnedSlots(job.advance(1999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [0]);
});

test('independent: an error rests only that slot for sleepOnError', () => {
	const job = new JobHarness({model: 'independent', instances: 2, sleep: 10, sleepOnError: 5000});
	job.exit(1, 2);
	job.exit(0, 0);
	assert.deepEqual(spawnedSlots(job.advance(10)), [0]);
	assert.deepEqual(spawnedSlots(job.advance(4989)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [1]);
});

test('independent: each slot keeps its own delay when several rest at once', () => {
	const job = new JobHarness({model: 'independent', instances: 2, sleep: 1000, sleepOnError: 3000});
	job.exit(0, 0);
	job.advance(500);
	job.exit(1, 0);
	assert.deepEqual(spawnedSlots(job.advance(500)), [0]);
	assert.deepEqual(spawnedSlots(job.advance(499)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [1]);
	assert.equal(job.peakRuns, 2);
});
