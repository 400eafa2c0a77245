import assert from 'node:assert/strict';
import {test} from 'node:test';
import {systemClock} from '../../source/core/clock.js';

test('a timer 30 days ahead does not fire at once (setTimeout overflows past 24.8 days)', async () => {
	let fired = false;
	const cancel = systemClock.setTimer(systemClock.now() + 30 * 24 * 3600 * 1000, () => {
		fired = true;
	});
	await new Promise(resolve => setTimeout(resolve, 50));
	cancel();
	assert.equal(fired, false);
});

test('a timer fires at its time, not before', async () => {
	const start = systemClock.now();
	const firedAt = await new Promise<number>(resolve => {
		systemClock.setTimer(start + 30, () => resolve(systemClock.now()));
	});
	assert.ok(firedAt >= start + 30, `fired ${firedAt - start} ms after a 30 ms timer was set`);
});
