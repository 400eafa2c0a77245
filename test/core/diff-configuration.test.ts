import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describeDiff, diffConfiguration} from '../../source/core/diff-configuration.js';
import type {Configuration, JobDefinition} from '../../source/core/job-definition.js';
import {makeDefinition} from '../helpers/job-definition.js';

function configuration(jobs: Array<Partial<JobDefinition>>, settings: Partial<Configuration> = {}): Configuration {
	return {name: 'site', logDir: '/srv/logs', runDir: '/run/fatc', configFile: '/srv/.fatcontrollerrc', jobs: jobs.map(job => makeDefinition(job)), ...settings};
}

test('diff: each job is added, removed, scaled, changed (with the fields) or unchanged', () => {
	const previous = configuration([{name: 'mail', instances: 2}, {name: 'feeds'}, {name: 'thumbs'}, {name: 'old'}]);
	const next = configuration([{name: 'mail', instances: 4}, {name: 'feeds', command: 'php', sleep: 5000}, {name: 'thumbs'}, {name: 'new'}]);
	const diff = diffConfiguration(previous, next);
	assert.deepEqual(diff.jobs.map(change => [change.type, change.name]), [
		['scaled', 'mail'], ['changed', 'feeds'], ['unchanged', 'thumbs'], ['added', 'new'], ['removed', 'old'],
	]);
	const [mail, feeds] = diff.jobs;
	assert.deepEqual(mail?.type === 'scaled' && [mail.from, mail.to], [2, 4]);
	assert.deepEqual(feeds?.type === 'changed' && feeds.fields, ['command', 'sleep']);
	assert.deepEqual(diff.counts, {changed: 2, scaled: 1, added: 1, removed: 1, unchanged: 1});
	assert.equal(describeDiff(diff), '2 changed, 1 added, 1 removed — mail (instances 2 -> 4), feeds (command, sleep), +new, -old');
});

test('diff: instances together with another field is a change, not a scale', () => {
	const diff = diffConfiguration(configuration([{name: 'mail'}]), configuration([{name: 'mail', instances: 3, env: {A: '1'}}]));
	assert.deepEqual(diff.jobs, [{type: 'changed', name: 'mail', definition: diff.configuration.jobs[0], fields: ['env', 'instances']}]);
});

test('diff: env, args and exit codes compare by value, and an absent optional field equals an unset one', () => {
	const previous = configuration([{name: 'mail', env: {A: '1'}, args: ['-x'], exitCodes: {done: [0], more: [64]}}]);
	const next = configuration([{name: 'mail', env: {A: '1'}, args: ['-x'], exitCodes: {done: [0], more: [64]}, errLogFile: undefined}]);
	const diff = diffConfiguration(previous, next);
	assert.deepEqual(diff.jobs.map(change => change.type), ['unchanged']);
	assert.equal(describeDiff(diff), '0 changed, 0 added, 0 removed');
});

test('diff: name and runDir cannot change live: they keep their old values and the summary says they need a restart', () => {
	const previous = configuration([{name: 'mail'}]);
	const next = configuration([{name: 'mail'}], {name: 'other', runDir: '/tmp/elsewhere', logDir: '/srv/new-logs'});
	const diff = diffConfiguration(previous, next);
	assert.deepEqual(diff.needsRestart, ['name', 'runDir']);
	assert.equal(diff.configuration.name, 'site');
	assert.equal(diff.configuration.runDir, '/run/fatc');
	assert.equal(diff.configuration.logDir, '/srv/new-logs', 'logDir applies: job log files follow it through logFile');
	assert.equal(describeDiff(diff), '0 changed, 0 added, 0 removed; name and runDir apply only after fatc restarts');
});

test('diff: cgroup (the runs\' cpu cgroup, set up at start) keeps its old value and needs a restart', () => {
	const diff = diffConfiguration(configuration([{name: 'mail'}]), configuration([{name: 'mail'}], {cgroup: false}));
	assert.deepEqual(diff.needsRestart, ['cgroup']);
	assert.equal(diff.configuration.cgroup, undefined);
	assert.equal(describeDiff(diff), '0 changed, 0 added, 0 removed; cgroup applies only after fatc restarts');
});
