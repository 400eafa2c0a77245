import assert from 'node:assert/strict';
import {test} from 'node:test';
import {reduceJob} from '../../source/core/job-reducer.js';
import {RunTable} from '../../source/core/run-table.js';
import {createJobState, type RunRecord} from '../../source/core/job-state.js';
import {JobHarness} from '../helpers/job-harness.js';
import {makeDefinition} from '../helpers/job-definition.js';

function run(runId: number, slot: number, startedAt = 0): RunRecord {
	return {runId, slot, startedAt, state: 'starting', warned: false};
}

/** The rule freeSlots must keep: the lowest slots below `limit` that no run holds, at most `count`. */
function naiveFreeSlots(table: RunTable, limit: number, count: number, resting: ReadonlyMap<number, number>): number[] {
	const occupied = new Set([...table.map(candidate => candidate.slot), ...resting.keys()]);
	const free: number[] = [];
	for (let slot = 0; slot < limit && free.length < count; slot++) {
		if (!occupied.has(slot)) {
			free.push(slot);
		}
	}

	return free;
}

/** The same numbers in [0, 1) on every run of the test (a linear congruential generator). */
function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

test('run table: finds runs by id and by slot, and a removal moves no other run out of reach', () => {
	const table = new RunTable();
	for (let runId = 1; runId <= 5; runId++) {
		table.add(run(runId, runId - 1));
	}

	assert.equal(table.remove(2)?.slot, 1);
	assert.equal(table.length, 4);
	assert.equal(table.get(2), undefined);
	assert.deepEqual([1, 3, 4, 5].map(runId => table.get(runId)?.runId), [1, 3, 4, 5]);
	assert.equal(table.get(5)?.slot, 4, 'the run moved into the removed one\'s place is still found');
	assert.deepEqual(table.freeSlots(10, 3), [1, 5, 6]);
	assert.throws(() => {
		table.add(run(6, 3));
	}, /slot is taken/);
});

test('run table: free slots match the naive rule through thousands of random starts, ends, rests and wakes', () => {
	const random = seededRandom(7);

	const table = new RunTable();
	const resting = new Map<number, number>();
	let runId = 0;
	for (let now = 0; now < 5000; now++) {
		const limit = 1 + Math.floor(random() * 40);
		const count = Math.floor(random() * 6);
		const nextWake = table.wake(now);
		for (const [slot, until] of resting) {
			if (until <= now) {
				resting.delete(slot);
			}
		}

		assert.equal(nextWake, resting.size === 0 ? undefined : Math.min(...resting.values()), `wake at ${now}`);
		assert.deepEqual(table.freeSlots(limit, count), naiveFreeSlots(table, limit, count, resting), `step ${now}`);
		const action = random();
		if (action < 0.15) {
			const [slot] = table.freeSlots(40, 1);
			if (slot !== undefined) {
				const until = now + 1 + Math.floor(random() * 20);
				table.rest(slot, until);
				resting.set(slot, until);
			}
		} else if (action < 0.6) {
			// Now and then a trigger takes a resting slot.
			const [slot] = table.freeSlots(40, 1, random() < 0.2);
			if (slot !== undefined) {
				table.add(run(++runId, slot));
				resting.delete(slot);
			}
		} else if (table.length > 0) {
			table.remove(table[Math.floor(random() * table.length)]!.runId);
		}
	}
});

test('run table: a page in slot order matches a sort of every run, through random starts and ends (walk and sort both)', () => {
	const random = seededRandom(11);

	const table = new RunTable();
	let runId = 0;
	let walked = 0;
	for (let step = 0; step < 3000; step++) {
		if (random() < 0.6) {
			const [slot] = table.freeSlots(400, 1);
			if (slot !== undefined) {
				table.add(run(++runId, slot));
			}
		} else if (table.length > 0) {
			table.remove(table[Math.floor(random() * table.length)]!.runId);
		}

		const offset = Math.floor(random() * 30);
		const limit = Math.floor(random() * 25);
		walked += (offset + limit) * 8 <= table.length && limit > 0 && offset < table.length ? 1 : 0;
		const expected = [...table].sort((first, second) => first.slot - second.slot).slice(offset, offset + limit);
		assert.deepEqual(table.inSlotOrder(offset, limit).map(({runId}) => runId), expected.map(({runId}) => runId), `step ${step}`);
	}

	assert.ok(walked > 1000, `the walk was taken ${walked} times`);
});

test('run table: the oldest run not past a deadline comes first, and runs skipped once stay skipped', () => {
	const table = new RunTable();
	for (let runId = 1; runId <= 4; runId++) {
		table.add(run(runId, runId, runId * 10));
	}

	table.get(1)!.warned = true;
	assert.equal(table.oldest('warn', candidate => candidate.warned)?.runId, 2);
	table.remove(2);
	assert.equal(table.oldest('warn', candidate => candidate.warned)?.runId, 3);
	assert.equal(table.oldest('timeout', () => false)?.runId, 1, 'each deadline has its own cursor');
});

test('run states: a run is starting until its process is there, running after, stopping once asked to stop', () => {
	const job = new JobHarness({model: 'independent', instances: 1, warnAfter: 0});
	const [first] = job.state.runs;
	assert.equal(first?.state, 'running');
	job.send({type: 'pause'});
	assert.equal(job.state.runs[0]?.state, 'stopping');

	const decided = reduceJob(createJobState(makeDefinition({model: 'independent', instances: 1})), {type: 'start'}, 0);
	assert.equal(decided.state.runs[0]?.state, 'starting', 'decided, its spawn not yet reported');
});

test('run states: the rules refuse an exit or a spawn of a run they do not have, and a second spawn of one run', () => {
	const job = new JobHarness({model: 'independent', instances: 1});
	assert.throws(() => job.send({type: 'exited', runId: 99, exit: {code: 0, signal: null}}), /exited for run 99, which the job does not have/);
	assert.throws(() => job.send({type: 'spawned', runId: 99, pid: 1}), /spawned for run 99/);
	const [current] = job.state.runs;
	assert.throws(() => job.send({type: 'spawned', runId: current!.runId, pid: 2}), /already has pid/);
});
