import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ConfigError} from '../../source/config/errors.js';
import type {Configuration, JobDefinition} from '../../source/core/job-definition.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import type {RunProcess, SpawnRequest} from '../../source/core/process-driver.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, settle, immediateSpawns} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

/** A fake driver whose stopped runs end only when the test says so (a real group takes its time to go). */
class SlowStopDriver extends FakeDriver {
	override spawn(request: SpawnRequest): RunProcess {
		const process = super.spawn(request);
		const run = this.runs.at(-1)!;
		return {pid: process.pid, exited: process.exited, stop: signal => run.signals.push(signal)};
	}
}

function configuration(jobs: Array<Partial<JobDefinition>>, settings: Partial<Configuration> = {}): Configuration {
	return {name: 'test', logDir: '/tmp', runDir: '/tmp', configFile: '/tmp/.fatcontrollerrc', jobs: jobs.map(job => makeDefinition(job)), ...settings};
}

/** A supervisor whose reload() loads `file.next` (a config, or an error to throw). */
function setup(jobs: Array<Partial<JobDefinition>>) {
	const driver = new SlowStopDriver();
	const file: {next: Configuration | Error} = {next: configuration(jobs)};
	const supervisor = createSupervisor({
		configuration: configuration(jobs),
		driver,
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
		async loadConfiguration() {
			if (file.next instanceof Error) {
				throw file.next;
			}

			return file.next;
		},
	});
	const events: SupervisorEvent[] = [];
	supervisor.subscribe(event => events.push(event));
	supervisor.start();
	const names = () => supervisor.snapshot().jobs.map(job => job.name);
	return {driver, supervisor, events, file, names};
}

test('supervisor reload: an added job starts; an unchanged job keeps its run untouched; one summary event', async () => {
	const {driver, supervisor, events, file, names} = setup([{name: 'mail'}]);
	file.next = configuration([{name: 'mail'}, {name: 'feeds'}]);
	const outcome = await supervisor.reload();
	assert.deepEqual(outcome, {ok: true, summary: '0 changed, 1 added, 0 removed — +feeds'});
	assert.deepEqual(names(), ['mail', 'feeds']);
	assert.deepEqual(driver.runs.map(run => [run.request.env.FATC_JOB, run.signals]), [['mail', []], ['feeds', []]]);
	const reloaded = events.filter(event => event.type === 'config-reloaded');
	assert.equal(reloaded.length, 1);
	assert.deepEqual(reloaded[0], {...reloaded[0], added: 1, changed: 0, removed: 0, unchanged: 1, needsRestart: []});
});

test('supervisor reload: a removed job stops its runs gracefully and shows until they are gone, then is dropped', async () => {
	const {driver, supervisor, file, names} = setup([{name: 'mail'}, {name: 'feeds', model: 'independent', instances: 2}]);
	file.next = configuration([{name: 'mail'}]);
	await supervisor.reload();
	assert.deepEqual(driver.runs.slice(1).map(run => run.signals), [['SIGTERM'], ['SIGTERM']]);
	assert.deepEqual(names(), ['mail', 'feeds']);
	assert.equal(supervisor.snapshot().jobs[1]!.phase, 'stopping');
	driver.runs[1]!.finish({code: null, signal: 'SIGTERM'});
	await settle();
	assert.deepEqual(names(), ['mail', 'feeds'], 'one run of feeds is still going');
	driver.runs[2]!.finish({code: null, signal: 'SIGTERM'});
	await settle();
	assert.deepEqual(names(), ['mail']);
	assert.throws(() => supervisor.trigger('feeds'), /No job named "feeds"/);
});

test('supervisor reload: a job removed and added again starts anew only once its old runs are gone', async () => {
	const {driver, supervisor, file, names} = setup([{name: 'mail'}, {name: 'feeds', command: 'old'}]);
	file.next = configuration([{name: 'mail'}]);
	await supervisor.reload();
	file.next = configuration([{name: 'mail'}, {name: 'feeds', command: 'new'}]);
	await supervisor.reload();
	assert.equal(driver.runs.length, 2, 'the old run of feeds is still stopping');
	driver.runs[1]!.finish({code: null, signal: 'SIGTERM'});
	await settle();
	assert.deepEqual(names(), ['mail', 'feeds']);
	assert.deepEqual(driver.runs.map(run => run.request.command), ['true', 'old', 'new']);
	assert.equal(supervisor.snapshot().jobs[1]!.phase, 'running');
});

test('supervisor reload: an invalid file changes nothing and its error shows until a valid load clears it', async () => {
	const {driver, supervisor, events, file} = setup([{name: 'mail', instances: 1}]);
	const message = '/tmp/.fatcontrollerrc: jobs.mail.instances: expected a positive integer, got -1';
	file.next = new ConfigError('/tmp/.fatcontrollerrc', [{path: 'jobs.mail.instances', message: 'expected a positive integer, got -1'}]);
	assert.deepEqual(await supervisor.reload(), {ok: false, error: message});
	assert.equal(supervisor.snapshot().configError, message);
	assert.deepEqual(events.filter(event => event.type === 'config-error').map(event => event.type === 'config-error' && event.message), [message]);
	assert.deepEqual(driver.runs.map(run => run.signals), [[]], 'the running config stays');
	file.next = configuration([{name: 'mail', instances: 2}]);
	assert.equal((await supervisor.reload()).ok, true);
	assert.equal(supervisor.snapshot().configError, null);
});

test('supervisor reload: reloads asked for during one run once, after it', async () => {
	let loads = 0;
	let release: () => void = () => {};
	const original = configuration([{name: 'mail'}]);
	const supervisor = createSupervisor({
		configuration: original,
		driver: new FakeDriver(),
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
		async loadConfiguration() {
			loads++;
			await new Promise<void>(resolve => {
				release = resolve;
			});
			return original;
		},
	});
	const first = supervisor.reload();
	const second = supervisor.reload();
	const third = supervisor.reload();
	assert.equal(second, third, 'a waiting reload takes in later ones');
	await settle();
	assert.equal(loads, 1, 'the second waits for the first');
	release();
	await first;
	await settle();
	assert.equal(loads, 2);
	release();
	assert.equal((await second).ok, true);
	assert.equal(loads, 2);
});

test('supervisor reload: a scale by hand lasts through a reload that changes another field, until the file changes instances', async () => {
	const {supervisor, file} = setup([{name: 'mail', model: 'independent', instances: 1}]);
	supervisor.scale('mail', 3);
	file.next = configuration([{name: 'mail', model: 'independent', instances: 1, sleep: 1000}]);
	await supervisor.reload();
	assert.equal(supervisor.snapshot().jobs[0]!.instances, 3);
	file.next = configuration([{name: 'mail', model: 'independent', instances: 2, sleep: 1000}]);
	await supervisor.reload();
	assert.equal(supervisor.snapshot().jobs[0]!.instances, 2);
});

test('supervisor reload: a new name or runDir is reported as needing a restart and the old values stay', async () => {
	const {supervisor, events, file} = setup([{name: 'mail'}]);
	file.next = configuration([{name: 'mail'}], {name: 'renamed', runDir: '/var/run/other'});
	const outcome = await supervisor.reload();
	assert.deepEqual(outcome, {ok: true, summary: '0 changed, 0 added, 0 removed; name and runDir apply only after fatc restarts'});
	assert.equal(supervisor.snapshot().name, 'test');
	assert.ok(events.some(event => event.type === 'config-reloaded' && event.needsRestart.join() === 'name,runDir'));
});

test('supervisor reload: without a file (command-line flags) or once stopping, reload changes nothing', async () => {
	const plain = createSupervisor({configuration: configuration([{name: 'mail'}]), driver: new FakeDriver(), clock: new FakeClock(), spawnPacer: immediateSpawns()});
	assert.equal((await plain.reload()).ok, false);
	const {driver, supervisor, file} = setup([{name: 'mail'}]);
	file.next = configuration([{name: 'mail'}, {name: 'feeds'}]);
	const stopped = supervisor.shutdown();
	assert.deepEqual(await supervisor.reload(), {ok: false, error: 'fatc is stopping: the config was not reloaded'});
	driver.runs[0]!.finish({code: null, signal: 'SIGTERM'});
	await stopped;
	assert.equal(driver.runs.length, 1);
});
