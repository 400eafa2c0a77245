import assert from 'node:assert/strict';
import {test} from 'node:test';
import {descriptorWarning, openFileLimit} from '../../source/driver/descriptor-budget.js';
import {constants, loadLibc} from '../../source/driver/libc.js';
import {nodeDescriptorsPerRun} from '../../source/driver/node-engine.js';
import {raiseOpenFileLimit} from '../../source/driver/open-file-limit.js';
import {posixDescriptorsPerRun} from '../../source/driver/posix-engine.js';
import {makeDefinition} from '../helpers/job-definition.js';

const libc = loadLibc();

test('open-file limit: a lowered soft limit is raised to the hard one at start, and the budget reads the new figure', {skip: 'unavailable' in libc ? libc.unavailable : false}, () => {
	assert.ok(!('unavailable' in libc));
	const limit = new BigUint64Array(2);
	assert.equal(libc.getrlimit(constants.rlimitNoFile, limit), 0);
	const hard = Number(limit[1]);
	limit[0] = 256n;
	assert.equal(libc.setrlimit(constants.rlimitNoFile, limit), 0);
	assert.deepEqual(raiseOpenFileLimit(), {from: 256, to: hard});
	assert.equal(openFileLimit(), hard);
	assert.equal(raiseOpenFileLimit(), undefined, 'nothing left to raise');
});

test('descriptor budget: with one pipe a run (posix engine, no errLogFile) twice the runs fit, and the warning counts 1 a run', () => {
	const jobs = [makeDefinition({name: 'a', instances: 600, logFile: '/tmp/a.log'})];
	// 1024 − 64 margin − 1 log file: 959 descriptors.
	assert.match(descriptorWarning({jobs}, 1024, nodeDescriptorsPerRun) ?? '', /holds 479 runs at once, but the jobs ask for 600 \(1265 file descriptors, 2 a run\)/);
	assert.equal(descriptorWarning({jobs}, 1024, posixDescriptorsPerRun), undefined);
	const mixed = [...jobs, makeDefinition({name: 'b', instances: 300, logFile: '/tmp/b.log', errLogFile: '/tmp/b.err'})];
	assert.match(descriptorWarning({jobs: mixed}, 1024, posixDescriptorsPerRun) ?? '', /\(1267 file descriptors, 1 or 2 a run\)/);
});
