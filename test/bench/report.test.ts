import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judge, judgeLatency} from '../../bench/lib/report.js';

test('a latency meets issue 12\'s rule under the bound, or within the factor of the C limit\'s own figure', () => {
	assert.deepEqual(judgeLatency(1.9, 1.2, 2, 1.5), {met: true});
	// Over 2 ms, but the limit itself is slow: 3.6 ≤ 1.5 × 2.5.
	assert.deepEqual(judgeLatency(3.6, 2.5, 2, 1.5), {met: true});
	const missed = judgeLatency(4.3, 2.25, 2, 1.5);
	assert.equal(missed.met, false);
	assert.match(missed.shortfall ?? '', /^4\.30 ms is over 2 ms, 1\.91× the limit's 2\.25 ms \(1\.5× allowed\)$/);
	// Without a limit figure only the bound counts; without fatc's figure there is no verdict.
	assert.equal(judgeLatency(2.1, {missing: 'no cc'}, 2, 1.5).met, false);
	assert.deepEqual(judgeLatency({missing: 'crashed'}, 2.2, 2, 1.5), {});
});

test('an "at least" target says how far fatc is from it', () => {
	assert.deepEqual(judge(205, 196, 'at least', 'MB/s'), {met: true});
	assert.equal(judge(159, 205, 'at least', 'MB/s').met, false);
});
