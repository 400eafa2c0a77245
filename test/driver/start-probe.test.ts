import assert from 'node:assert/strict';
import {test} from 'node:test';
import {posixEngineUnavailable, spawnEngineNamed} from '../../source/driver/choose-spawn-engine.js';
import {probeStarter} from '../../source/driver/start-probe.js';
import {runProbe} from '../../source/world/run-probe.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

const unavailable = posixEngineUnavailable();

test('probes through the posix_spawn engine: exit code, stdout (not stderr), env and cwd; a bad cwd is one line', {skip: unavailable}, async t => {
	const folder = temporaryFolder(t);
	const start = probeStarter(spawnEngineNamed('posix'));
	const probe = (command: string, cwd = folder) => runProbe({kind: 'probe', command, cwd, env: {COUNT: '42'}, every: 1000, timeout: 30_000}, start).finished;
	assert.deepEqual(await probe('echo "$COUNT waiting in $(pwd)"; echo noise >&2; exit 0'), {kind: 'probe', code: 0, output: `42 waiting in ${folder}\n`});
	assert.deepEqual(await probe('exit 1'), {kind: 'probe', code: 1, output: ''});
	const missing = await probe('true', `${folder}/gone`);
	assert.equal(missing.code, null);
	assert.match(missing.error ?? '', /working directory .*gone does not exist/);
});

test('a probe through the posix_spawn engine past its timeout: the whole group is SIGKILLed, grandchild included', {skip: unavailable}, async t => {
	const folder = temporaryFolder(t);
	const run = runProbe({kind: 'probe', command: 'sleep 100 & sleep 100', cwd: folder, env: {}, every: 1000, timeout: 300}, probeStarter(spawnEngineNamed('posix')));
	const reading = await run.finished;
	assert.equal(reading.error, 'timed out after 300ms');
	await waitFor(() => {
		try {
			process.kill(-run.pid!, 0);
			return false;
		} catch (error) {
			return (error as NodeJS.ErrnoException).code === 'ESRCH';
		}
	}, 'the probe\'s group to be gone');
});
