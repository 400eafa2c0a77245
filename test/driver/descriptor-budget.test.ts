import assert from 'node:assert/strict';
import {test} from 'node:test';
import {descriptorErrorMessage, descriptorWarning, readOpenFileLimit, runsWithin} from '../../source/driver/descriptor-budget.js';
import {spawnErrorMessage} from '../../source/driver/spawn-error-message.js';
import {makeDefinition} from '../helpers/job-definition.js';

const limits = `Limit                     Soft Limit           Hard Limit           Units
Max processes             127431               127431               processes
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

test('descriptor budget: the soft open-file limit is read from /proc/self/limits; unlimited reads as none', () => {
	assert.equal(readOpenFileLimit(limits), 1024);
	assert.equal(readOpenFileLimit(limits.replace('1024  ', 'unlimited')), undefined);
	assert.equal(readOpenFileLimit('nothing here'), undefined);
	assert.equal(typeof readOpenFileLimit(), 'number');
});

test('descriptor budget: jobs that fit under the limit get no warning', () => {
	const jobs = [makeDefinition({name: 'a', instances: 400, logFile: '/tmp/a.log'}), makeDefinition({name: 'b', instances: 40, logFile: '/tmp/b.log'})];
	assert.equal(descriptorWarning({jobs}, 1024), undefined);
	assert.equal(descriptorWarning({jobs}, undefined), undefined);
});

test('descriptor budget: jobs asking for more runs than the limit holds get one warning with the figures and the remedies', () => {
	const jobs = [
		makeDefinition({name: 'a', instances: 400, logFile: '/tmp/a.log'}),
		makeDefinition({name: 'b', instances: 200, logFile: '/tmp/b.log', errLogFile: '/tmp/b.err'}),
	];
	const warning = descriptorWarning({jobs}, 1024);
	assert.ok(warning);
	// 1024 − 64 margin − 3 log files, 2 a run.
	assert.equal(runsWithin(1024, 3), 478);
	assert.match(warning, /open-file limit \(1024\) holds 478 runs at once, but the jobs ask for 600 \(1267 file descriptors, 2 a run\)/);
	assert.match(warning, /LimitNOFILE=1267/);
	assert.match(warning, /ulimit -n 1267/);
});

test('descriptor budget: a spawn failing with EMFILE says too many open files and how many fatc may hold, not "command not found"', () => {
	const error = Object.assign(new Error('spawn sleep EMFILE'), {code: 'EMFILE'});
	assert.match(spawnErrorMessage(error, 'sleep', '/', {PATH: '/usr/bin'}), /^command "sleep" could not be started: too many open files: fatc may hold \d+, about \d+ runs at once; see ulimit -n/);
	assert.match(descriptorErrorMessage('ENFILE') ?? '', /too many open files on this system/);
	assert.equal(descriptorErrorMessage('ENOENT'), undefined);
	const again = Object.assign(new Error('spawn sleep EAGAIN'), {code: 'EAGAIN'});
	assert.match(spawnErrorMessage(again, 'sleep', '/', {PATH: '/usr/bin'}), /too many processes \(EAGAIN\); see ulimit -u/);
});
