import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Configuration, JobDefinition} from '../../source/core/job-definition.js';
import type {Reading, SensorSpec, Sensors} from '../../source/core/sensors.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, immediateSpawns} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

/** Sensors that record what is watched and let the test deliver readings. */
class FakeSensors implements Sensors {
	readonly watching = new Map<number, {spec: SensorSpec; listener: (reading: Reading) => void}>();
	closed = false;
	private next = 0;

	watch(spec: SensorSpec, listener: (reading: Reading) => void) {
		const id = this.next++;
		this.watching.set(id, {spec, listener});
		return () => {
			this.watching.delete(id);
		};
	}

	async close() {
		this.closed = true;
	}

	specs(): string[] {
		return [...this.watching.values()].map(({spec}) => spec.kind === 'probe' ? `probe ${spec.command}` : spec.kind);
	}

	send(kind: SensorSpec['kind'], reading: Reading) {
		for (const {spec, listener} of [...this.watching.values()]) {
			if (spec.kind === kind) {
				listener(reading);
			}
		}
	}
}

function configuration(jobs: Array<Partial<JobDefinition>>): Configuration {
	return {name: 'test', logDir: '/tmp', runDir: '/tmp', configFile: '/tmp/.fatcontrollerrc', jobs: jobs.map(job => makeDefinition(job))};
}

const backlog = (command: string) => ({command, every: 1000, timeout: 1000, perRun: 1, min: 0, cooldown: 0});

test('sensors: each job watches what it sets; a reload swaps only the changed probe; removal and shutdown unwatch all', async () => {
	const sensors = new FakeSensors();
	const file = {next: configuration([])};
	const supervisor = createSupervisor({
		configuration: configuration([
			{name: 'mail', backlog: backlog('count-mail'), wake: {path: '/tmp/wake-mail'}},
			{name: 'feeds', hold: {load: 2, release: 1.6, every: 5000, releaseAfter: 0, timeout: 5000}},
		]),
		driver: new FakeDriver(),
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
		sensors,
		loadConfiguration: async () => file.next,
	});
	assert.deepEqual(sensors.specs(), [], 'nothing is watched before start');
	supervisor.start();
	assert.deepEqual(sensors.specs().sort(), ['file', 'load', 'probe count-mail']);

	sensors.send('load', {kind: 'load', average: 9, cpus: 1});
	assert.equal(supervisor.snapshot().jobs[1]!.held?.reason, 'load 9/cpu > 2');

	file.next = configuration([{name: 'mail', backlog: backlog('count-mail-2'), wake: {path: '/tmp/wake-mail'}}]);
	const wake = [...sensors.watching.entries()].find(([, {spec}]) => spec.kind === 'file')![0];
	await supervisor.reload();
	assert.deepEqual(sensors.specs().sort(), ['file', 'probe count-mail-2'], 'the new probe; the removed job watches nothing');
	assert.ok(sensors.watching.has(wake), 'the unchanged wake file kept its watcher');

	await supervisor.shutdown();
	assert.deepEqual(sensors.specs(), []);
	assert.equal(sensors.closed, true);
});
