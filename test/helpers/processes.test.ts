import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {test} from 'node:test';
import {isAlive, killIfStill, seeProcess} from './processes.js';
import {waitFor} from './wait-for.js';

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

test('a test\'s cleanup kills the group a process led also once that leader is gone, while members remain', async () => {
	// The leader starts a member in its group, says its pid, and waits for a line to exit on.
	const leader = spawn('sh', ['-c', 'sleep 1000 & echo $!; read line'], {detached: true, stdio: ['pipe', 'pipe', 'ignore']});
	const member = Number(await new Promise<string>(resolve => {
		leader.stdout!.once('data', (data: Buffer) => {
			resolve(data.toString());
		});
	}));
	const seenMember = seeProcess(member);
	try {
		const seen = seeProcess(leader.pid!);
		assert.ok(seen !== undefined);
		const exited = once(leader, 'exit');
		leader.stdin!.end('\n');
		await exited;
		assert.equal(seeProcess(leader.pid!), undefined, 'the leader is gone');
		assert.ok(isAlive(member), 'its member is not');
		assert.equal(killIfStill(seen), false, 'the leader alone: nothing to kill');
		assert.equal(killIfStill(seen, {group: true}), true);
		await waitFor(() => !isAlive(member), 'the member to be gone');
	} finally {
		leader.kill('SIGKILL');
		killIfStill(seenMember);
	}
});
