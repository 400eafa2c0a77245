import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseDuration} from '../../source/config/duration.js';

test('a number is seconds and may be fractional', () => {
	assert.equal(parseDuration(30), 30_000);
	assert.equal(parseDuration(1.5), 1500);
	assert.equal(parseDuration(0), 0);
	assert.equal(parseDuration(0.0004), 0);
});

test('strings take ms, s, m and h, and a bare number is seconds', () => {
	assert.equal(parseDuration('500ms'), 500);
	assert.equal(parseDuration('30s'), 30_000);
	assert.equal(parseDuration('1.5s'), 1500);
	assert.equal(parseDuration('5m'), 300_000);
	assert.equal(parseDuration('1h'), 3_600_000);
	assert.equal(parseDuration('30'), 30_000);
	assert.equal(parseDuration(' 2 m '), 120_000);
	assert.equal(parseDuration('.5s'), 500);
});

test('negatives, other units, garbage and non-finite numbers are rejected', () => {
	for (const value of [-1, '-1', '-5s', '5d', '5 minutes', 'abc', '', '1e3', Number.NaN, Number.POSITIVE_INFINITY, null, true, [], {}]) {
		assert.equal(parseDuration(value), undefined, `${String(value)} should be rejected`);
	}
});
