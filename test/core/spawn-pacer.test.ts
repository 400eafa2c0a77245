import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Configuration} from '../../source/core/job-definition.js';
import {createSpawnPacer, type SpawnPacer} from '../../source/core/spawn-pacer.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, settle} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

/** A pacer whose every start costs `cost` ms of a `slice`-ms budget; turns run only when the test says so. */
function manualPacer(cost: number, slice: number) {
	let time = 0;
	const turns: Array<() => void> = [];
	const pacer = createSpawnPacer({
		sliceMilliseconds: slice,
		now: () => time,
		defer(callback) {
			turns.push(callback);
		},
	});
	return {
		pacer,
		spend() {
			time += cost;
		},
		/** Lets the loop take its turn: the next slice runs. */
		turn() {
			turns.shift()?.();
		},
	};
}

test('spawn pacer: starts run at once until the slice is spent, then the rest wait for later turns, in order', () => {
	const {pacer, spend, turn} = manualPacer(10, 50);
	const started: number[] = [];
	const cancels = Array.from({length: 12}, (_, index) => pacer.schedule(() => {
		spend();
		started.push(index);
	}));
	assert.deepEqual(started, [0, 1, 2, 3, 4]);
	assert.deepEqual(cancels.map(cancel => cancel === undefined), [...Array.from({length: 5}, () => true), ...Array.from({length: 7}, () => false)]);
	assert.equal(pacer.waiting, 7);
	turn();
	assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	turn();
	assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
	assert.equal(pacer.waiting, 0);
});

test('spawn pacer: a cancelled start never runs, and cancelling twice says it was no longer waiting', () => {
	const {pacer, spend, turn} = manualPacer(50, 50);
	const started: string[] = [];
	pacer.schedule(() => {
		spend();
		started.push('first');
	});
	const cancel = pacer.schedule(() => started.push('second'));
	assert.ok(cancel);
	assert.equal(cancel(), true);
	assert.equal(cancel(), false);
	turn();
	assert.deepEqual(started, ['first']);
});

/** Each spawn costs the pacer's time, as a real one blocks the loop. */
function setup(jobs: Configuration['jobs'], {pacer: spawnPacer, spend}: {pacer: SpawnPacer; spend(): void}) {
	const driver = new FakeDriver();
	const spawn = driver.spawn.bind(driver);
	driver.spawn = request => {
		spend();
		return spawn(request);
	};

	const supervisor = createSupervisor({configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs}, driver, clock: new FakeClock(), spawnPacer});
	const events: SupervisorEvent[] = [];
	supervisor.subscribe(event => events.push(event));
	supervisor.start();
	return {driver, supervisor, events};
}

test('supervisor: a start still waiting for the pacer holds its slot, and a scale-down cancels it unspawned', async () => {
	const paced = manualPacer(10, 20);
	const {driver, supervisor, events} = setup([makeDefinition({name: 'mail', model: 'independent', instances: 6})], paced);
	assert.equal(driver.runs.length, 2);
	assert.equal(supervisor.snapshot().jobs[0]!.workers.length, 6, 'the four waiting starts hold their slots');
	supervisor.scale('mail', 1);
	await settle();
	for (let turn = 0; turn < 5; turn++) {
		paced.turn();
	}

	assert.equal(driver.runs.length, 2, 'no waiting start was spawned after the scale-down');
	const ended = events.filter(event => event.type === 'run-ended');
	assert.equal(ended.length, 5);
	assert.ok(ended.every(event => event.type === 'run-ended' && event.result === 'stopped'));
	assert.equal(supervisor.snapshot().jobs[0]!.workers.length, 1);
});

test('supervisor: shutdown while starts wait for the pacer ends them unspawned and finishes', async () => {
	const paced = manualPacer(10, 10);
	const {driver, supervisor} = setup([makeDefinition({model: 'independent', instances: 100})], paced);
	assert.equal(driver.runs.length, 1);
	await supervisor.shutdown();
	paced.turn();
	assert.equal(driver.runs.length, 1);
	assert.deepEqual((await supervisor.finished), {ok: false});
});
