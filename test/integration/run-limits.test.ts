import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {fixture} from '../helpers/fixture.js';
import {isAlive, liveMembers} from '../helpers/processes.js';
import {startRealSupervisor} from '../helpers/real-supervisor.js';
import {waitFor} from '../helpers/wait-for.js';

test('timeout kills the whole process group, grandchild included, and counts as an error', async t => {
	const harness = startRealSupervisor(t, [{
		name: 'slow',
		command: 'sh',
		args: ['-c', 'sleep 1000 & echo "grandchild $!"; wait'],
		timeout: 300,
		sleepOnError: 60_000,
	}]);
	await waitFor(() => harness.ended('slow').length === 1, 'the timeout kill', 10_000);
	const [ended] = harness.ended('slow');
	assert.equal(ended!.result, 'error');
	assert.equal(ended!.stopReason, 'timeout');
	assert.ok(harness.events.some(event => event.type === 'run-stopping' && event.reason === 'timeout'));
	const grandchild = Number(/grandchild (\d+)/.exec(readFileSync(`${harness.directory}/slow.log`, 'utf8'))![1]);
	assert.ok(grandchild > 0);
	assert.deepEqual(liveMembers(ended!.pid!), []);
	assert.equal(isAlive(grandchild), false, 'the grandchild is gone');
	await harness.finish();
});

test('a run that ignores SIGTERM is SIGKILLed after stopTimeout, and the stop waits for it', async t => {
	const harness = startRealSupervisor(t, [{name: 'stubborn', command: fixture('ignore-sigterm.sh'), args: [], stopTimeout: 600}]);
	await waitFor(() => readLog(harness.directory, 'stubborn').includes('ready'), 'the trap to be set');
	const asked = Date.now();
	await harness.supervisor.shutdown();
	const waited = Date.now() - asked;
	const [ended] = harness.ended('stubborn');
	assert.equal(ended!.signal, 'SIGKILL');
	assert.equal(ended!.result, 'stopped');
	assert.ok(waited >= 550, `shutdown returned after ${waited} ms, before the 600 ms grace ran out`);
	assert.deepEqual(liveMembers(ended!.pid!), []);
	await harness.finish();
});

test('warnAfter gives one warning for a long run', async t => {
	const harness = startRealSupervisor(t, [{name: 'long', warnAfter: 200, env: {RUN_SECONDS: '0.6'}, sleep: 60_000}]);
	await waitFor(() => harness.ended('long').length === 1, 'the run to end');
	assert.equal(harness.events.filter(event => event.type === 'run-warning').length, 1);
	await harness.finish();
});

test('a command that is not found is an error with a clear message, not a crash', async t => {
	const harness = startRealSupervisor(t, [{name: 'missing', command: 'no-such-command-fatc', args: [], sleepOnError: 60_000}]);
	await waitFor(() => harness.ended('missing').length === 1, 'the failed spawn');
	const [ended] = harness.ended('missing');
	assert.equal(ended!.result, 'error');
	assert.match(ended!.spawnError!, /not found/);
	await harness.finish();
});

function readLog(directory: string, job: string): string {
	try {
		return readFileSync(`${directory}/${job}.log`, 'utf8');
	} catch {
		return '';
	}
}

test('a command that cannot start, with sleepOnError 0, backs off instead of spinning', async t => {
	const harness = startRealSupervisor(t, [{name: 'broken', command: 'no-such-command-fatc', args: [], sleepOnError: 0}]);
	await new Promise(resolve => setTimeout(resolve, 2000));
	const attempts = harness.ended('broken').length;
	// Unchecked, a failed spawn loops thousands of times a second; backed off (0, 50, 100 … ms) it is about 8 in 2 s.
	assert.ok(attempts >= 3 && attempts <= 20, `${attempts} attempts in 2 s`);
	await harness.finish();
});
