import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {test} from 'node:test';
import {isAlive, killIfStill, seeProcess} from './processes.js';

test('a test\'s cleanup kills a process it saw only while its pid is still that process', async () => {
	const sleeper = spawn('sleep', ['1000'], {stdio: 'ignore'});
	const exited = once(sleeper, 'exit');
	try {
		const seen = seeProcess(sleeper.pid!);
		assert.ok(seen !== undefined && /^\d+$/.test(seen.startTime), `a start time read for ${sleeper.pid}`);
		// The same pid, started at another time: another process that got the pid since. Left alone.
		assert.equal(killIfStill({pid: seen.pid, startTime: String(Number(seen.startTime) + 1)}), false);
		assert.ok(isAlive(sleeper.pid!));
		assert.equal(killIfStill(seen), true);
		await exited;
		// Gone: nothing to see, nothing to kill.
		assert.equal(seeProcess(sleeper.pid!), undefined);
		assert.equal(killIfStill(seen), false);
		assert.equal(killIfStill(undefined), false);
	} finally {
		sleeper.kill('SIGKILL');
	}
});
