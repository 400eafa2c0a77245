import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Reading} from '../../source/core/sensors.js';
import {readSystemLoad, watchLoad, type LoadSample} from '../../source/world/load-reader.js';
import {waitFor} from '../helpers/wait-for.js';
import {collect, stopAfter} from './helpers.js';

type LoadReading = Extract<Reading, {kind: 'load'}>;

test('load: an injected source is read at once, then again and again, each reading as the source gave it', async t => {
	const samples: LoadSample[] = [{average: 0.5, cpus: 2}, {average: 1.25, cpus: 2}, {average: 3, cpus: 4}];
	let calls = 0;
	const {readings, listener} = collect<LoadReading>();
	stopAfter(t, watchLoad(10, listener, {source: () => samples[Math.min(calls++, samples.length - 1)]!}));
	await waitFor(() => readings.length >= 3, 'three load readings');
	assert.deepEqual(readings.slice(0, 3), samples.map(sample => ({kind: 'load', ...sample})));
});

test('load: the first reading comes at once, not after `every` (an hour here)', async t => {
	const {readings, listener} = collect<LoadReading>();
	stopAfter(t, watchLoad(3_600_000, listener, {source: () => ({average: 1, cpus: 1})}));
	await waitFor(() => readings.length === 1, 'the first load reading');
});

test('load: an asynchronous source works the same', async t => {
	const {readings, listener} = collect<LoadReading>();
	stopAfter(t, watchLoad(10, listener, {source: async () => ({average: 0.75, cpus: 8})}));
	await waitFor(() => readings.length >= 2, 'two load readings');
	assert.deepEqual(readings[1], {kind: 'load', average: 0.75, cpus: 8});
});

test('load: a source that fails is told to onError, gives no reading, and is read again next turn', async t => {
	let calls = 0;
	const errors: Error[] = [];
	const {readings, listener} = collect<LoadReading>();
	stopAfter(t, watchLoad(10, listener, {
		source() {
			calls++;
			if (calls === 1) {
				throw new Error('no /proc here');
			}

			return {average: 2, cpus: 2};
		},
		onError: error => errors.push(error),
	}));
	await waitFor(() => readings.length >= 1, 'a reading after the failed one');
	assert.equal(errors[0]?.message, 'no /proc here');
	assert.deepEqual(readings[0], {kind: 'load', average: 2, cpus: 2});
});

test('load: after stop the source is never read again', async t => {
	let stoppedCalls = 0;
	const stopped = watchLoad(10, () => {}, {source: () => ({average: stoppedCalls++, cpus: 1})});
	await waitFor(() => stoppedCalls >= 2, 'two reads');
	await stopped.stop();
	const callsAtStop = stoppedCalls;
	// Another reader of the same period as a clock: once it has read five times, the stopped one had its chances.
	const clock = collect<LoadReading>();
	stopAfter(t, watchLoad(10, clock.listener, {source: () => ({average: 0, cpus: 1})}));
	await waitFor(() => clock.readings.length >= 5, 'five reads of the other reader');
	assert.equal(stoppedCalls, callsAtStop);
});

test('load: the real /proc/loadavg gives a finite average of 0 or more, and at least one CPU', async t => {
	const sample = await readSystemLoad();
	assert.ok(Number.isFinite(sample.average) && sample.average >= 0, `average ${sample.average}`);
	assert.ok(Number.isInteger(sample.cpus) && sample.cpus >= 1, `cpus ${sample.cpus}`);
	const {readings, listener} = collect<LoadReading>();
	stopAfter(t, watchLoad(1000, listener));
	await waitFor(() => readings.length >= 1, 'a reading of the real load');
	assert.ok(Number.isFinite(readings[0]!.average) && readings[0]!.average >= 0);
	assert.ok(readings[0]!.cpus >= 1);
});
