import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ResourceReading} from '../../source/core/resource-usage.js';
import {createSupervisor} from '../../source/core/supervisor.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, immediateSpawns} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

test('supervisor: with a resource sampler, snapshot() carries each run\'s CPU and memory and fatc\'s own, as plain data', () => {
	const driver = new FakeDriver();
	let reads = 0;
	const reading: ResourceReading = {self: {cpuPercent: 1.5, memoryBytes: 60_000_000}, groups: new Map([[5000, {cpuPercent: 25, memoryBytes: 4_000_000}]])};
	const supervisor = createSupervisor({
		configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [makeDefinition({name: 'work', model: 'independent', instances: 2})]},
		driver,
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
		resourceSampler: {
			read() {
				reads++;
				return reading;
			},
		},
	});
	supervisor.start();
	const snapshot = supervisor.snapshot();
	assert.equal(reads, 1);
	assert.deepEqual(snapshot.usage, {cpuPercent: 1.5, memoryBytes: 60_000_000});
	assert.deepEqual(snapshot.jobs[0]!.workers.map(worker => [worker.pid, worker.cpuPercent, worker.memoryBytes]), [[5000, 25, 4_000_000], [5001, null, null]]);
	assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
});

test('supervisor: without a resource sampler, snapshot() carries no usage at all, not nulls', () => {
	const supervisor = createSupervisor({
		configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [makeDefinition({name: 'work', model: 'independent', instances: 1})]},
		driver: new FakeDriver(),
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
	});
	supervisor.start();
	const snapshot = supervisor.snapshot();
	assert.equal('usage' in snapshot, false);
	assert.equal(snapshot.jobs[0]!.workers.length, 1);
	assert.equal('cpuPercent' in snapshot.jobs[0]!.workers[0]!, false);
	assert.equal('memoryBytes' in snapshot.jobs[0]!.workers[0]!, false);
});
