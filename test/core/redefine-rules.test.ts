import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {JobDefinition} from '../../source/core/job-definition.js';
import type {Effect} from '../../source/core/job-event.js';
import {JobHarness} from '../helpers/job-harness.js';

const {spawnedSlots, stoppedRuns, notices} = JobHarness;

/** The job's definition with `changes`, as a reload would send it. */
function redefine(job: JobHarness, changes: Partial<JobDefinition>): Effect[] {
	return job.send({type: 'redefine', definition: {...job.state.definition, ...changes}});
}

function stopReasons(effects: Effect[]): string[] {
	return notices(effects).flatMap(notice => (notice.type === 'run-stopping' ? [`${notice.runId}:${notice.reason}`] : []));
}

test('reload: a change of instances alone is a scale: lower stops only the highest slots, raise starts more, none restarts', () => {
	const job = new JobHarness({model: 'independent', instances: 4});
	const down = redefine(job, {instances: 2});
	assert.deepEqual(stopReasons(down), ['3:scale', '4:scale']);
	assert.deepEqual(notices(down).filter(notice => notice.type === 'scaled'), [{type: 'scaled', from: 4, to: 2}]);
	job.exit(2, null, 'SIGTERM');
	job.exit(3, null, 'SIGTERM');
	assert.deepEqual(job.busySlots(), [0, 1], 'the runs in slots 0 and 1 were never touched');
	const up = redefine(job, {instances: 3});
	assert.deepEqual(spawnedSlots(up), [2]);
	assert.deepEqual(stoppedRuns(up), []);
	assert.equal(job.peakRuns, 4);
});

test('reload with onChange finish: a new command stops nothing; the next runs start with the new definition', () => {
	const job = new JobHarness({model: 'independent', instances: 2, command: 'old'});
	const effects = redefine(job, {command: 'new', args: ['--v2']});
	assert.deepEqual(stoppedRuns(effects), []);
	assert.deepEqual(spawnedSlots(effects), [], 'both slots are still busy with the old runs');
	assert.equal(job.state.definition.command, 'new', 'the shell builds each new run from this definition');
	assert.deepEqual(spawnedSlots(job.exit(0, 64)), [0]);
	assert.equal(job.peakRuns, 2);
});

test('reload with onChange restart: runs under way stop (reason reload, old stopSignal) and new runs wait for their slot', () => {
	const job = new JobHarness({model: 'independent', instances: 2, stopSignal: 'SIGINT', stopTimeout: 700});
	const effects = redefine(job, {command: 'new', onChange: 'restart', stopSignal: 'SIGTERM'});
	assert.deepEqual(stopReasons(effects), ['1:reload', '2:reload']);
	assert.deepEqual(effects.filter(effect => effect.type === 'stop'), [
		{type: 'stop', runId: 1, signal: 'SIGINT', timeout: 700},
		{type: 'stop', runId: 2, signal: 'SIGINT', timeout: 700},
	]);
	assert.deepEqual(spawnedSlots(effects), [], 'stopping runs still hold their slots');
	assert.deepEqual(spawnedSlots(job.exit(0, null, 'SIGINT')), [0]);
	assert.equal(job.state.counters.stopped, 1, 'a run stopped by a reload steers nothing');
	assert.equal(job.state.counters.errors, 0);
	assert.equal(job.peakRuns, 2);
});

test('reload with onChange restart and fewer instances: never more runs than the new instances once stopped ones are gone', () => {
	const job = new JobHarness({model: 'independent', instances: 3});
	const effects = redefine(job, {instances: 2, env: {VERSION: '2'}, onChange: 'restart'});
	assert.deepEqual(stopReasons(effects), ['3:scale', '1:reload', '2:reload']);
	job.exit(2, null, 'SIGTERM');
	assert.deepEqual(job.busySlots(), [0, 1], 'slot 2 is gone for good; nothing starts while two runs are alive');
	job.exit(0, null, 'SIGTERM');
	job.exit(1, null, 'SIGTERM');
	assert.deepEqual(job.runningSlots(), [0, 1]);
	assert.equal(job.peakRuns, 3);
});

test('reload: a timing change never stops a run, even with onChange restart', () => {
	const job = new JobHarness({model: 'independent', instances: 2, onChange: 'restart'});
	const effects = redefine(job, {sleep: 1000, sleepOnError: 2000, warnAfter: 0, stopTimeout: 1000});
	assert.deepEqual(stoppedRuns(effects), []);
});

test('reload: a new sleep applies from the next delay on; a hold under way keeps its end', () => {
	const job = new JobHarness({sleep: 5000});
	job.exit(0, 0);
	const holdEnd = job.now + 5000;
	redefine(job, {sleep: 1000});
	assert.equal(job.state.holdUntil, holdEnd);
	assert.deepEqual(spawnedSlots(job.advance(4999)), []);
	assert.deepEqual(spawnedSlots(job.advance(1)), [0]);
	job.exit(0, 0);
	assert.equal(job.state.holdUntil, job.now + 1000, 'the next hold follows the new sleep');
});

test('reload: new exit codes steer a run that was already under way when it ends', () => {
	const job = new JobHarness({sleep: 1000});
	redefine(job, {exitCodes: {done: [0, 3], more: [64]}});
	job.exit(0, 3);
	assert.equal(job.state.counters.done, 1);
	assert.equal(job.state.counters.errors, 0);
});

test('reload: a new model starts its scheduling afresh', () => {
	const job = new JobHarness({instances: 3});
	assert.deepEqual(job.busySlots(), [0], 'dependent starts with one run');
	const effects = redefine(job, {model: 'independent'});
	assert.deepEqual(spawnedSlots(effects), [1, 2], 'independent runs every slot');
	assert.deepEqual(stoppedRuns(effects), []);
});

test('reload: a paused job stays paused, and a job shutting down ignores a new definition', () => {
	const paused = new JobHarness({model: 'independent', instances: 2});
	paused.send({type: 'pause'});
	paused.exit(0, null, 'SIGTERM');
	paused.exit(1, null, 'SIGTERM');
	assert.deepEqual(spawnedSlots(redefine(paused, {command: 'new', instances: 3})), []);
	assert.equal(paused.state.phase, 'paused');
	assert.equal(paused.state.definition.command, 'new');

	const stopping = new JobHarness({command: 'old'});
	stopping.send({type: 'shutdown'});
	const effects = redefine(stopping, {command: 'new', instances: 4});
	assert.deepEqual([...spawnedSlots(effects), ...stoppedRuns(effects)], []);
	assert.equal(stopping.state.definition.command, 'old');
});
