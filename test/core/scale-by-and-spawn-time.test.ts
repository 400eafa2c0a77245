import assert from 'node:assert/strict';
import {test} from 'node:test';
import {maximumInstances, type JobDefinition} from '../../source/core/job-definition.js';
import type {Effect} from '../../source/core/job-event.js';
import type {SpawnPacer} from '../../source/core/spawn-pacer.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, immediateSpawns, settle} from '../helpers/fake-driver.js';
import {JobHarness} from '../helpers/job-harness.js';
import {makeDefinition} from '../helpers/job-definition.js';

function setup(definition: JobDefinition, spawnPacer: SpawnPacer = immediateSpawns()) {
	const clock = new FakeClock();
	const driver = new FakeDriver();
	const supervisor = createSupervisor({configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [definition]}, driver, clock, spawnPacer});
	const events: SupervisorEvent[] = [];
	supervisor.subscribe(event => events.push(event));
	supervisor.start();
	const scaled = () => events.filter(event => event.type === 'scaled').map(event => event.type === 'scaled' && `${event.from} -> ${event.to}`);
	return {clock, driver, supervisor, events, scaled};
}

/** A pacer that holds every start until the test lets them go: a spawn that waits, as on a loaded machine. */
function heldSpawns() {
	const waiting: Array<() => void> = [];
	const pacer: SpawnPacer = {
		schedule(start) {
			waiting.push(start);
			return () => waiting.splice(waiting.indexOf(start), 1).length > 0;
		},
		get waiting() {
			return waiting.length;
		},
	};
	return {pacer, release: () => waiting.splice(0).forEach(start => start())};
}

test('scaleBy: three quick -1 on 4 instances each count, in order, from the core\'s own value: 4 -> 3, 3 -> 2, 2 -> 1', () => {
	const {driver, supervisor, scaled} = setup(makeDefinition({name: 'work', model: 'independent', instances: 4}));
	assert.equal(driver.runs.length, 4);
	supervisor.scaleBy('work', -1);
	supervisor.scaleBy('work', -1);
	supervisor.scaleBy('work', -1);
	assert.deepEqual(scaled(), ['4 -> 3', '3 -> 2', '2 -> 1']);
	assert.equal(supervisor.snapshot().jobs[0]!.instances, 1);
	assert.deepEqual(driver.runs.map(run => run.signals.length > 0), [false, true, true, true], 'the runs in slots 1-3 are stopped');
	supervisor.scaleBy('work', 2);
	assert.deepEqual(scaled().at(-1), '1 -> 3');
	assert.throws(() => supervisor.scaleBy('nope', 1), /No job named "nope"/);
	assert.throws(() => supervisor.scaleBy('work', 0.5), /expected an integer/);
});

test('scaleBy is held to 0…maximumInstances, and a scale to the same number is no change and no event', () => {
	const {supervisor, scaled, events} = setup(makeDefinition({name: 'work', model: 'independent', instances: 1}));
	supervisor.scaleBy('work', -1);
	supervisor.scaleBy('work', -1);
	assert.deepEqual(scaled(), ['1 -> 0']);
	assert.equal(supervisor.snapshot().jobs[0]!.instances, 0);
	supervisor.scale('work', 0);
	assert.deepEqual(scaled(), ['1 -> 0'], 'scale to the number it has: no scaled event');
	const before = events.length;
	supervisor.scale('work', maximumInstances);
	supervisor.scaleBy('work', 1);
	assert.deepEqual(scaled().slice(1), [`0 -> ${maximumInstances}`]);
	assert.equal(supervisor.snapshot().jobs[0]!.instances, maximumInstances);
	assert.ok(events.length > before);
});

test('scale rule: the same instances again returns the state as it was, with no effect', () => {
	const job = new JobHarness({model: 'independent', instances: 3});
	const state = job.state;
	const besidesTimers = (effects: Effect[]) => effects.filter(effect => effect.type !== 'wake-at');
	assert.deepEqual(besidesTimers(job.send({type: 'scale', instances: 3})), []);
	assert.equal(job.state.definition, state.definition);
	assert.deepEqual(besidesTimers(job.send({type: 'scale-by', by: 0})), []);
	assert.equal(job.runningSlots().length, 3);
});

test('a run waiting for its spawn has no pid and no spawn time; its run time counts from the spawn, its start stays the decision', async () => {
	const spawns = heldSpawns();
	const {clock, driver, supervisor, events} = setup(makeDefinition({name: 'work', model: 'dependent', instances: 1, sleep: 0}), spawns.pacer);
	const decidedAt = clock.now();
	let [worker] = supervisor.snapshot().jobs[0]!.workers;
	assert.deepEqual({pid: worker!.pid, spawnedAt: worker!.spawnedAt, startedAt: worker!.startedAt}, {pid: null, spawnedAt: null, startedAt: decidedAt});

	clock.advance(700);
	spawns.release();
	[worker] = supervisor.snapshot().jobs[0]!.workers;
	assert.equal(worker!.spawnedAt, decidedAt + 700);
	assert.equal(worker!.pid, driver.runs[0]!.pid);

	clock.advance(300);
	driver.runs[0]!.finish({code: 0, signal: null});
	await settle();
	const ended = events.find(event => event.type === 'run-ended');
	assert.ok(ended?.type === 'run-ended');
	assert.equal(ended.duration, 300, 'the 700 ms wait for the spawn is not run time');
	assert.equal(ended.startedAt, decidedAt, 'timing rules still count from the decision');
	const job = supervisor.snapshot().jobs[0]!;
	assert.equal(job.averageDuration, 300);
	assert.equal(job.lastDuration, 300);
});

test('a run stopped before its spawn ran for 0 ms', () => {
	const spawns = heldSpawns();
	const {clock, supervisor, events} = setup(makeDefinition({name: 'work', model: 'independent', instances: 1}), spawns.pacer);
	clock.advance(500);
	supervisor.scale('work', 0);
	const ended = events.find(event => event.type === 'run-ended');
	assert.ok(ended?.type === 'run-ended');
	assert.equal(ended.duration, 0);
	assert.equal(ended.result, 'stopped');
});
