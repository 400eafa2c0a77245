import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createSupervisor} from '../../source/core/supervisor.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeDriver, immediateSpawns} from '../helpers/fake-driver.js';
import {makeDefinition} from '../helpers/job-definition.js';

function twoJobs() {
	const supervisor = createSupervisor({
		configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [
			makeDefinition({name: 'work', model: 'independent', instances: 5}),
			makeDefinition({name: 'other', model: 'independent', instances: 3}),
		]},
		driver: new FakeDriver(),
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
	});
	supervisor.start();
	return supervisor;
}

const listed = (snapshot: ReturnType<ReturnType<typeof twoJobs>['snapshot']>) => snapshot.jobs.map(job => [job.name, job.workers.map(worker => worker.slot), job.runsTotal, job.workersOffset]);

test('snapshot(window) lists only the runs each job\'s window asks for, in slot order, and counts them all', () => {
	const supervisor = twoJobs();
	assert.deepEqual(listed(supervisor.snapshot(job => (job === 'work' ? {offset: 1, limit: 2} : {offset: 0, limit: 0}))), [
		['work', [1, 2], 5, 1],
		['other', [], 3, 0],
	]);
	assert.deepEqual(listed(supervisor.snapshot(() => ({offset: 4, limit: 10}))), [['work', [4], 5, 4], ['other', [], 3, 3]]);
	assert.deepEqual(listed(supervisor.snapshot()), [['work', [0, 1, 2, 3, 4], 5, 0], ['other', [0, 1, 2], 3, 0]]);
});

test('snapshot(window) asks the window for each job in the jobs\' order', () => {
	const asked: string[] = [];
	twoJobs().snapshot(job => {
		asked.push(job);
		return {offset: 0, limit: 1};
	});
	assert.deepEqual(asked, ['work', 'other']);
});

test('the snapshot `fatc status` asks reads no CPU and memory: the sampler (and its /proc scans) is left alone', async () => {
	const {firstRunsOfEachJob} = await import('../../source/daemon/runs-view.js');
	let reads = 0;
	const supervisor = createSupervisor({
		configuration: {name: 'test', logDir: '/tmp', runDir: '/tmp', jobs: [makeDefinition({name: 'work', model: 'independent', instances: 2})]},
		driver: new FakeDriver(),
		clock: new FakeClock(),
		spawnPacer: immediateSpawns(),
		resourceSampler: {
			read() {
				reads++;
				return {self: {cpuPercent: 1, memoryBytes: 2}, groups: new Map()};
			},
		},
	});
	supervisor.start();
	const status = firstRunsOfEachJob(supervisor, 20);
	assert.equal(reads, 0);
	assert.equal(status.usage, undefined);
	assert.equal(status.jobs[0]!.workers.length, 2);
	assert.equal('cpuPercent' in status.jobs[0]!.workers[0]!, false);
	const full = supervisor.snapshot();
	assert.equal(reads, 1, 'a face that shows them (the TUI) still gets them');
	assert.equal(full.jobs[0]!.workers[0]!.cpuPercent, null);
});
