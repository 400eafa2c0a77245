import assert from 'node:assert/strict';
import {test} from 'node:test';
import {latencyOf} from '../../bench/lib/status-probe.js';

test('a phase\'s status latency says when its slowest answer was asked, and ignores the other phase', () => {
	const samples = [
		{phase: 'starts', milliseconds: 40, since: 0.1},
		{phase: 'starts', milliseconds: 725, since: 12.5},
		{phase: 'starts', milliseconds: 90, since: 20},
		{phase: 'ends', milliseconds: 900, since: 0.2},
	];
	const starts = latencyOf(samples, 'starts');
	assert.equal(starts.count, 3);
	assert.equal(starts.maximum, 725);
	assert.equal(starts.maximumSince, 12.5);
	const none = latencyOf(samples, 'none');
	assert.equal(none.count, 0);
	assert.equal(none.maximum, undefined);
	assert.equal(none.maximumSince, undefined);
});
