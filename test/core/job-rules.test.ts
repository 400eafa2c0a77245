import assert from 'node:assert/strict';
import {test} from 'node:test';
import {JobHarness} from '../helpers/job-harness.js';

const {spawnedSlots, stoppedRuns, notices} = JobHarness;

test('warnAfter gives exactly one warning per run', () => {
	const job = new JobHarness({warnAfter: 1000});
	assert.equal(notices(job.advance(999)).filter(notice => notice.type === 'run-warning').length, 0);
	assert.equal(notices(job.advance(1)).filter(notice => notice.type === 'run-warning').length, 1);
	assert.equal(notices(job.advance(5000)).filter(notice => notice.type === 'run-warning').length, 0);
});

test('timeout stops the run with stopSignal and stopTimeout, and it ends as an error', () => {
	const job = new JobHarness({timeout: 2000, stopSignal: 'SIGINT', stopTimeout: 700, sleepOnError: 9000});
	const effects = job.advance(2000);
	assert.deepEqual(effects.filter(effect => effect.type === 'stop'), [{type: 'stop', runId: 1, signal: 'SIGINT', timeout: 700}]);
	job.exit(0, null, 'SIGINT');
	assert.equal(job.state.counters.errors, 1);
	assert.equal(job.state.holdUntil, job.now + 9000, 'a timeout steers like an error');
});

test('the shell is woken at the next warn or timeout deadline', () => {
	const job = new JobHarness({warnAfter: 1500, timeout: 4000});
	assert.equal(job.state.wakeAt, undefined);
	const last = job.effects.filter(effect => effect.type === 'wake-at').at(-1);
	assert.deepEqual(last, {type: 'wake-at', time: job.now + 1500});
});

test('exitCodes remaps which statuses read as done and more', () => {
	const job = new JobHarness({instances: 2, exitCodes: {done: [0, 3], more: [1]}});
	assert.deepEqual(spawnedSlots(job.exit(0, 1)), [0, 1]);
	job.exit(1, 3);
	assert.equal(job.state.counters.more, 1);
	assert.equal(job.state.counters.done, 1);
	job.exit(0, 64);
	assert.equal(job.state.counters.errors, 1, '64 is an error once it is not in more');
});

test('scale down stops the runs in the highest slots, and they steer nothing', () => {
	const job = new JobHarness({model: 'independent', instances: 4});
	const effects = job.send({type: 'scale', instances: 2});
	assert.deepEqual(stoppedRuns(effects).sort(), [3, 4]);
	assert.equal(job.state.runs.length, 4, 'stopping runs keep their slots until their group is gone');
	job.exit(3, null, 'SIGTERM');
	assert.equal(job.state.counters.stopped, 1);
	assert.equal(job.state.counters.errors, 0);
	assert.deepEqual(job.busySlots(), [0, 1, 2]);
});

test('scale up before a stopped run is gone never exceeds instances', () => {
	const job = new JobHarness({model: 'independent', instances: 3});
	job.send({type: 'scale', instances: 1});
	job.send({type: 'scale', instances: 3});
	assert.equal(job.state.runs.length, 3);
	assert.equal(job.peakRuns, 3);
	job.exit(2, null, 'SIGTERM');
	assert.deepEqual(job.busySlots(), [0, 1, 2], 'the freed slot restarts once its group is gone');
});

test('scale lowers a dependent fan-out to the new instances', () => {
	const job = new JobHarness({instances: 3});
	job.exit(0, 64);
	job.exit(1, 64);
	job.send({type: 'scale', instances: 2});
	assert.equal(job.state.allowed, 2);
});

test('pause stops every run and starts none until resume', () => {
	const job = new JobHarness({model: 'independent', instances: 2, sleep: 0});
	const effects = job.send({type: 'pause'});
	assert.equal(stoppedRuns(effects).length, 2);
	job.exit(0, null, 'SIGTERM');
	job.exit(1, null, 'SIGTERM');
	assert.deepEqual(spawnedSlots(job.advance(100_000)), []);
	assert.equal(job.state.counters.stopped, 2);
	assert.deepEqual(spawnedSlots(job.send({type: 'resume'})), [0, 1]);
});

test('restart stops every run and starts afresh as slots free', () => {
	const job = new JobHarness({instances: 2, sleep: 60_000});
	job.exit(0, 64);
	const effects = job.send({type: 'restart'});
	assert.equal(stoppedRuns(effects).length, 2);
	assert.equal(job.state.allowed, 1);
	job.exit(1, null, 'SIGTERM');
	assert.deepEqual(job.busySlots(), [0]);
	assert.deepEqual(spawnedSlots(job.exit(0, null, 'SIGTERM')), [0]);
});

test('trigger starts a run now despite a hold', () => {
	const job = new JobHarness({instances: 2, sleep: 60_000});
	job.exit(0, 0);
	assert.deepEqual(spawnedSlots(job.send({type: 'trigger'})), [0]);
	assert.equal(job.state.pendingTrigger, false);
});

test('trigger waits for a free slot when every slot is busy', () => {
	const job = new JobHarness({instances: 1});
	assert.deepEqual(spawnedSlots(job.send({type: 'trigger'})), []);
	assert.equal(job.state.pendingTrigger, true);
	job.state = {...job.state, holdUntil: job.now + 10_000};
	assert.deepEqual(spawnedSlots(job.exit(0, 0)), [0]);
});

test('stop-run stops one run only', () => {
	const job = new JobHarness({model: 'independent', instances: 3});
	assert.deepEqual(stoppedRuns(job.send({type: 'stop-run', runId: 2})), [2]);
});

test('shutdown stops every run and never starts another', () => {
	const job = new JobHarness({model: 'independent', instances: 2, sleep: 0});
	assert.equal(stoppedRuns(job.send({type: 'shutdown'})).length, 2);
	assert.deepEqual(spawnedSlots(job.exit(0, 64)), []);
	assert.deepEqual(spawnedSlots(job.send({type: 'trigger'})), []);
	assert.deepEqual(spawnedSlots(job.send({type: 'resume'})), []);
	assert.deepEqual(spawnedSlots(job.send({type: 'restart'})), []);
});

test('run once: one run for dependent, even when it asks for more', () => {
	const job = new JobHarness({instances: 3}, {runOnce: true});
	assert.deepEqual(spawnedSlots(job.exit(0, 64)), []);
	assert.equal(job.state.counters.started, 1);
});

test('run once: instances runs for independent', () => {
	const job = new JobHarness({model: 'independent', instances: 3, sleep: 0}, {runOnce: true});
	assert.deepEqual(job.busySlots(), [0, 1, 2]);
	assert.deepEqual(spawnedSlots(job.exit(0, 0)), []);
});

test('never more runs than instances through a long random sequence of events', () => {
	let seed = 42;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	for (const model of ['dependent', 'independent', 'fixed'] as const) {
		const job = new JobHarness({model, instances: 3, sleep: 50, sleepOnError: 80, fixedIntervalWait: 10});
		let limit = 3;
		for (let step = 0; step < 3000; step++) {
			const before = job.effects.length;
			const choice = random();
			const run = job.state.runs[Math.floor(random() * job.state.runs.length)];
			if (choice < 0.4 && run) {
				job.send({type: 'exited', runId: run.runId, exit: {code: [0, 64, 1][Math.floor(random() * 3)]!, signal: null}});
			} else if (choice < 0.6) {
				job.advance(Math.floor(random() * 60));
			} else if (choice < 0.7) {
				limit = Math.floor(random() * 5);
				job.send({type: 'scale', instances: limit});
			} else if (choice < 0.8) {
				job.send({type: random() < 0.5 ? 'pause' : 'resume'});
			} else if (choice < 0.9) {
				job.send({type: random() < 0.5 ? 'trigger' : 'restart'});
			} else if (run) {
				job.send({type: 'stop-run', runId: run.runId});
			}

			const running = job.state.runs.length;
			const occupied = new Set(job.state.runs.map(candidate => candidate.slot));
			assert.equal(occupied.size, running, `${model}: two runs share a slot at step ${step}`);
			const starting = job.state.runs.filter(candidate => candidate.slot >= limit && candidate.stopReason === undefined);
			assert.deepEqual(starting, [], `${model}: a run outside the instances at step ${step}`);
			if (job.effects.slice(before).some(effect => effect.type === 'spawn')) {
				assert.ok(running <= limit, `${model}: a start took the runs to ${running} above instances ${limit} at step ${step}`);
			}
		}

		assert.ok(job.state.counters.started > 100, `${model}: the sequence started runs`);
	}
});

test('after a scale-down, no run starts until the stopped runs are gone', () => {
	const job = new JobHarness({model: 'independent', instances: 3, sleep: 0});
	job.send({type: 'scale', instances: 1});
	assert.deepEqual(spawnedSlots(job.exit(0, 0)), [], 'slots 1 and 2 are still stopping');
	job.exit(1, null, 'SIGTERM');
	assert.deepEqual(spawnedSlots(job.exit(2, null, 'SIGTERM')), [0]);
	assert.equal(job.state.runs.length, 1);
});

test('a crash loop with sleepOnError 0 retries once at once, then backs off from 50 ms doubling up to 5 s', () => {
	const job = new JobHarness({model: 'independent', sleepOnError: 0});
	const waits: number[] = [];
	for (let crash = 0; crash < 10; crash++) {
		const effects = job.exit(0, 1);
		const wake = JobHarness.wakeAt(effects);
		const wait = spawnedSlots(effects).length > 0 ? 0 : wake! - job.now;
		waits.push(wait);
		if (wait > 0) {
			job.advance(wait);
		}
	}

	assert.deepEqual(waits, [0, 50, 100, 200, 400, 800, 1600, 3200, 5000, 5000]);
});

test('a spawn that failed counts towards the crash loop however long it waited for its turn to start', () => {
	const job = new JobHarness({sleepOnError: 0});
	for (let attempt = 0; attempt < 3; attempt++) {
		const run = job.state.runs[0]!;
		job.now += 2000;
		job.send({type: 'exited', runId: run.runId, exit: {code: null, signal: null, spawnError: 'too many open files'}});
		job.advance(5000);
	}

	assert.equal(job.state.quickErrors, 3);
});

test('a run that lasts a second or succeeds ends the crash-loop back-off', () => {
	const job = new JobHarness({sleepOnError: 0});
	job.exit(0, 1);
	job.exit(0, 1);
	job.advance(50);
	job.exit(0, 1);
	assert.equal(job.state.quickErrors, 3);
	job.advance(100);
	job.advance(1000);
	const retried = job.exit(0, 1);
	assert.equal(job.state.quickErrors, 0, 'a run of a second is no crash loop');
	assert.deepEqual(spawnedSlots(retried), [0], 'so it retries at once, as sleepOnError 0 says');
	job.exit(0, 2);
	job.exit(0, 0);
	assert.equal(job.state.quickErrors, 0);
});

test('the back-off never shortens a longer sleepOnError', () => {
	const job = new JobHarness({sleepOnError: 60_000});
	for (let crash = 0; crash < 4; crash++) {
		job.exit(0, 1);
		assert.equal(job.state.holdUntil, job.now + 60_000);
		job.advance(60_000);
	}
});
