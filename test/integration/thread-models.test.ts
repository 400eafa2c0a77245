import assert from 'node:assert/strict';
import {test} from 'node:test';
import {startRealSupervisor} from '../helpers/real-supervisor.js';
import {maxConcurrentRuns} from '../helpers/run-records.js';
import {waitFor} from '../helpers/wait-for.js';

test('dependent, real processes: exit 64 ramps the fan-out 1 → 2 → 3, exit 0 drops it to 1 and holds for sleep', async t => {
	const harness = startRealSupervisor(t, [{
		name: 'queue',
		instances: 3,
		sleep: 1500,
		env: {EXIT_PLAN: '64 64 64 0', RUN_SECONDS: '0.3'},
	}]);
	await waitFor(() => harness.ended('queue').some(event => event.result === 'done'), 'a run to be done');
	await waitFor(() => harness.records('queue').length >= 6 && harness.records('queue').every(record => record.end !== undefined), 'runs under way to finish');
	const fanOut = harness.events.flatMap(event => (event.type === 'fan-out' ? [`${event.from}->${event.to}`] : []));
	assert.deepEqual(fanOut.slice(0, 2), ['1->2', '2->3']);
	assert.ok(fanOut.includes('3->1'), `the fan-out dropped to 1: ${fanOut.join(', ')}`);
	assert.equal(maxConcurrentRuns(harness.records('queue')), 3, 'three runs were under way at once');

	const lastDone = Math.max(...harness.ended('queue').filter(event => event.result === 'done').map(event => event.time));
	await waitFor(() => harness.started('queue').some(event => event.time > lastDone), 'the start after the hold', 10_000);
	const next = harness.started('queue').find(event => event.time > lastDone)!;
	const held = next.time - lastDone;
	assert.ok(held >= 1450 && held < 3000, `held ${held} ms for a sleep of 1500 ms`);
	assert.equal(next.slot, 0);
	await harness.finish();
});

test('independent, real processes: each slot keeps its own sleep', async t => {
	const harness = startRealSupervisor(t, [{
		name: 'resize',
		model: 'independent',
		instances: 2,
		sleep: 1000,
		env: {EXIT_BY_SLOT: '0 64', RUN_SECONDS: '0.05'},
	}]);
	await waitFor(() => harness.started('resize').filter(event => event.slot === 0).length >= 3, 'three runs of slot 0', 10_000);
	const slotStarts = (slot: number) => harness.started('resize').filter(event => event.slot === slot).map(event => event.startedAt);
	const slot0 = slotStarts(0);
	for (let index = 1; index < slot0.length; index++) {
		const gap = slot0[index]! - slot0[index - 1]!;
		assert.ok(gap >= 1000, `slot 0 (exit 0) rested ${gap} ms between starts, at least its 1000 ms sleep`);
	}

	// Slot 1 never rests: with 50 ms runs it would run ~20 times for slot 0's 3 on a quiet machine; a loaded one (CI
	// beside other suites) may spend 300 ms on a spawn, so only twice as often is required.
	assert.ok(slotStarts(1).length >= 2 * slot0.length, `slot 1 (exit 64) ran ${slotStarts(1).length} times while slot 0 ran ${slot0.length}`);
	await harness.finish();
});

test('fixed, real processes: a start every sleep, counted from the previous start', async t => {
	const harness = startRealSupervisor(t, [{
		name: 'feeds',
		model: 'fixed',
		instances: 1,
		sleep: 400,
		env: {RUN_SECONDS: '0.1'},
	}]);
	await waitFor(() => harness.started('feeds').length >= 4, 'four runs', 10_000);
	// fatc's own start times: on a loaded machine a spawn itself can take 100 ms and more.
	const starts = harness.started('feeds').map(event => event.startedAt);
	for (let index = 1; index < starts.length; index++) {
		const gap = starts[index]! - starts[index - 1]!;
		assert.ok(gap >= 400 && gap < 1000, `interval ${gap} ms for a sleep of 400 ms`);
	}

	await harness.finish();
});

test('fixed, real processes: fixedIntervalWait 0 stops the oldest run when the next start is due', async t => {
	const harness = startRealSupervisor(t, [{
		name: 'feeds',
		model: 'fixed',
		instances: 1,
		sleep: 500,
		fixedIntervalWait: 0,
		env: {RUN_SECONDS: '30'},
	}]);
	await waitFor(() => harness.records('feeds').length >= 2, 'the second run', 10_000);
	const [first] = harness.ended('feeds');
	assert.equal(first!.result, 'stopped');
	assert.equal(first!.stopReason, 'interval');
	const [one, two] = harness.records('feeds');
	assert.ok(one!.end! <= two!.start!, 'the second run started only after the first was gone');
	await harness.finish();
});
