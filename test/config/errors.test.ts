import assert from 'node:assert/strict';
import {test} from 'node:test';
import {closestMatch, editDistance} from '../../source/config/did-you-mean.js';
import {ConfigError, describeValue, formatPath} from '../../source/config/errors.js';

test('edit distance counts insertions, deletions, substitutions and swapped neighbours', () => {
	assert.equal(editDistance('command', 'command'), 0);
	assert.equal(editDistance('comand', 'command'), 1);
	assert.equal(editDistance('isntances', 'instances'), 1);
	assert.equal(editDistance('sleep', 'sleeep'), 1);
	assert.equal(editDistance('', 'abc'), 3);
});

test('a suggestion is only made when a key is close enough to be a typo', () => {
	const keys = ['command', 'args', 'cwd', 'env', 'sleep', 'sleepOnError', 'timeout', 'stopTimeout'];
	assert.equal(closestMatch('comand', keys), 'command');
	assert.equal(closestMatch('CWD', keys), 'cwd');
	assert.equal(closestMatch('arg', keys), 'args');
	assert.equal(closestMatch('colour', keys), undefined);
	assert.equal(closestMatch('x', keys), undefined);
	assert.equal(closestMatch('stoptimeout', keys), 'stopTimeout');
});

test('values are shown JSON-ish and cut to about 40 characters', () => {
	assert.equal(describeValue(-1), '-1');
	assert.equal(describeValue('php'), '"php"');
	assert.equal(describeValue(undefined), 'nothing');
	assert.equal(describeValue(null), 'null');
	assert.equal(describeValue(Number.NaN), 'NaN');
	assert.equal(describeValue({done: [0]}), '{"done":[0]}');
	assert.equal(describeValue(() => 1), 'a function');
	const long = describeValue('y'.repeat(80));
	assert.equal(long.length, 40);
	assert.ok(long.endsWith('…'));
});

test('key paths join with dots and show list positions in brackets', () => {
	assert.equal(formatPath(['jobs', 'emails', 'args', 2]), 'jobs.emails.args[2]');
	assert.equal(formatPath([]), '');
});

test('a ConfigError message has one line per problem, with the line number when known', () => {
	const error = new ConfigError('/srv/app/.fatcontrollerrc', [
		{path: 'jobs.emails.instances', message: 'expected a positive integer, got -1'},
		{path: '', message: 'not valid YAML: bad indentation', line: 4, column: 3},
	]);
	assert.equal(error.message, [
		'/srv/app/.fatcontrollerrc: jobs.emails.instances: expected a positive integer, got -1',
		'/srv/app/.fatcontrollerrc:4:3: not valid YAML: bad indentation',
	].join('\n'));
	assert.ok(error instanceof Error);
});
