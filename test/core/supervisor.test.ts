import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Configuration} from '../../source/core/job-definition.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, settle, immediateSpawns} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

function setup(jobs: Configuration['jobs'], options: {runOnce?: boolean} = {}) {
	const clock = new FakeClock();
	const driver = new FakeDriver();
	const supervisor = createSupervisor({configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs}, driver, clock, spawnPacer: immediateSpawns(), ...options});
	const events: SupervisorEvent[] = [];
	supervisor.subscribe(event => events.push(event));
	supervisor.start();
	return {clock, driver, supervisor, events};
}

test('supervisor: each run gets FATC_JOB, FATC_SLOT, FATC_RUN and --tid=N when appendInstanceId is set', () => {
	const {driver} = setup([makeDefinition({name: 'mail', model: 'independent', instances: 2, args: ['-x'], appendInstanceId: true, env: {APP: 'prod'}})]);
	assert.equal(driver.runs.length, 2);
	const [first, second] = driver.runs;
	assert.deepEqual(first!.request.args, ['-x', '--tid=0']);
	assert.deepEqual(second!.request.args, ['-x', '--tid=1']);
	assert.equal(second!.request.env.FATC_JOB, 'mail');
	assert.equal(second!.request.env.FATC_SLOT, '1');
	assert.equal(second!.request.env.FATC_RUN, '2');
	assert.equal(second!.request.env.APP, 'prod');
	assert.equal(second!.request.env.PATH, process.env.PATH);
});

test('supervisor: a sleep is honoured through the clock, then the next run starts', async () => {
	const {driver, clock} = setup([makeDefinition({sleep: 2000})]);
	driver.runs[0]!.finish({code: 0, signal: null});
	await settle();
	clock.advance(1999);
	assert.equal(driver.runs.length, 1);
	clock.advance(1);
	assert.equal(driver.runs.length, 2);
});

test('supervisor: snapshot shows jobs, counters and workers as plain data', async () => {
	const {driver, supervisor} = setup([makeDefinition({name: 'feeds', model: 'independent', instances: 2, sleep: 1000})]);
	driver.runs[0]!.finish({code: 0, signal: null});
	await settle();
	const snapshot = supervisor.snapshot();
	assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
	const [job] = snapshot.jobs;
	assert.equal(job!.name, 'feeds');
	assert.equal(job!.done, 1);
	assert.equal(job!.runs, 2);
	assert.equal(job!.nextStartAt, snapshot.takenAt + 1000);
	assert.deepEqual(job!.workers.map(worker => [worker.slot, worker.pid]), [[1, driver.runs[1]!.pid]]);
});

test('supervisor: shutdown stops every run with its stopSignal and resolves when all are gone', async () => {
	const {driver, supervisor, events} = setup([makeDefinition({model: 'independent', instances: 3, stopSignal: 'SIGINT'})]);
	await supervisor.shutdown();
	assert.deepEqual(driver.runs.map(run => run.signals), [['SIGINT'], ['SIGINT'], ['SIGINT']]);
	assert.equal(driver.closed, true);
	assert.equal(events.at(-1)!.type, 'supervisor-stopped');
	assert.equal(driver.runs.length, 3, 'nothing starts after shutdown');
});

test('supervisor: kill SIGKILLs every run at once', async () => {
	const clock = new FakeClock();
	const driver = new FakeDriver();
	const stopped: NodeJS.Signals[] = [];
	driver.spawn = () => ({pid: 1, exited: new Promise(() => {}), stop: signal => stopped.push(signal)});
	const supervisor = createSupervisor({configuration: {name: 't', logDir: '/tmp', runDir: '/tmp', jobs: [makeDefinition({model: 'independent', instances: 2})]}, driver, clock, spawnPacer: immediateSpawns()});
	supervisor.start();
	void supervisor.shutdown();
	supervisor.kill();
	assert.deepEqual(stopped, ['SIGTERM', 'SIGTERM', 'SIGKILL', 'SIGKILL']);
});

test('supervisor: run once resolves finished with ok when every run was done or more', async () => {
	const {driver, supervisor} = setup([makeDefinition({name: 'a'}), makeDefinition({name: 'b', model: 'independent', instances: 2})], {runOnce: true});
	assert.equal(driver.runs.length, 3);
	driver.runs[0]!.finish({code: 64, signal: null});
	driver.runs[1]!.finish({code: 0, signal: null});
	driver.runs[2]!.finish({code: 0, signal: null});
	assert.deepEqual(await supervisor.finished, {ok: true});
});

test('supervisor: run once is not ok when a run failed', async () => {
	const {driver, supervisor} = setup([makeDefinition()], {runOnce: true});
	driver.runs[0]!.finish({code: null, signal: null, spawnError: 'command "nope" not found on PATH'});
	assert.deepEqual(await supervisor.finished, {ok: false});
});

test('supervisor: handle methods act on the named job and reject an unknown one', () => {
	const {driver, supervisor, events} = setup([makeDefinition({name: 'mail', model: 'independent', instances: 1})]);
	supervisor.scale('mail', 3);
	assert.equal(driver.runs.length, 3);
	assert.ok(events.some(event => event.type === 'scaled' && event.job === 'mail'));
	assert.throws(() => supervisor.pause('nope'), /No job named "nope"/);
	assert.throws(() => supervisor.scale('mail', -1), /expected an integer from 0 to 10000, got -1/);
});

test('supervisor: the run that replaces an ended one is spawned before the faces hear of the end, and they still hear the end first', async () => {
	const {driver, supervisor} = setup([makeDefinition({sleep: 0})]);
	const heard: Array<[string, number]> = [];
	supervisor.subscribe(event => {
		if (event.type === 'run-ended' || event.type === 'run-started') {
			heard.push([`${event.type} ${event.runId}`, driver.runs.length]);
		}
	});
	driver.runs[0]!.finish({code: 64, signal: null});
	await settle();
	assert.deepEqual(heard, [['run-ended 1', 2], ['run-started 2', 2]]);
});
