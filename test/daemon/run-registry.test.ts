import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {describeLeftovers, openRunRegistry, reapLeftovers} from '../../source/daemon/run-registry.js';
import {killOnCleanup, startCli} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('a fatc that stops cleanly leaves nothing in its run folder: no pid file, socket or empty <name>.runs', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', [
		'name: tidy',
		'runDir: ./run',
		'jobs:',
		'  quick:',
		'    command: sh',
		'    args: [-c, "exit 0"]',
		'    sleep: 1h',
		// Still running when fatc stops: its registry line is written and then cleared by the stop.
		'  long:',
		'    command: sleep',
		'    args: ["600"]',
		'',
	].join('\n'));
	const fatc = startCli(['run'], {cwd: folder});
	killOnCleanup(t, fatc);
	await waitFor(() => /quick\[0\] run \d+ ended/.test(fatc.output()) && /long\[0\] run \d+ started/.test(fatc.output()), 'quick to end and long to start', 15_000);
	assert.ok(existsSync(join(folder, 'run/tidy.runs')), 'the registry is there while fatc runs');
	fatc.child.kill('SIGTERM');
	assert.equal(await fatc.exited, 0, fatc.errors());
	assert.match(fatc.output(), /fatc stopped/);
	assert.deepEqual(readdirSync(join(folder, 'run')), []);
});

test('a registry closed while a run is still listed keeps its line, for the next fatc to name', async t => {
	const folder = temporaryFolder(t);
	const path = join(folder, 'kept.runs');
	const registry = openRunRegistry(path);
	registry.starting('work', 7);
	registry.close();
	assert.equal(readFileSync(path, 'utf8'), '~ work 7\n');
	assert.deepEqual(await reapLeftovers(path), {reaped: [], unconfirmed: ['work run 7'], endedUnseen: []});
});

test('the registry writes the lines of one callback together after it, and a "~" at once with what was pending before it', async t => {
	const folder = temporaryFolder(t);
	const path = join(folder, 'turn.runs');
	const registry = openRunRegistry(path);
	const started = (runId: number, pid: number) => ({time: 0, type: 'run-started', job: 'work', runId, slot: runId, pid}) as SupervisorEvent;
	const ended = (runId: number, pid: number) => ({time: 0, type: 'run-ended', job: 'work', runId, slot: runId, pid, result: 'done', code: 0, signal: null, duration: 1, startedAt: 0}) as SupervisorEvent;
	registry.starting('work', 1);
	assert.equal(readFileSync(path, 'utf8'), '~ work 1\n', 'a "~" is on disk before the spawn it announces');
	registry.record(started(1, 4_194_001));
	registry.starting('work', 2);
	assert.equal(readFileSync(path, 'utf8'), '~ work 1\n+ 4194001 work 1\n~ work 2\n', 'the pending "+" goes with it, in order');
	registry.record(started(2, 4_194_002));
	registry.record(ended(1, 4_194_001));
	registry.record(ended(2, 4_194_002));
	const before = readFileSync(path, 'utf8');
	await Promise.resolve();
	assert.equal(before, '~ work 1\n+ 4194001 work 1\n~ work 2\n', 'nothing written inside the turn');
	assert.equal(readFileSync(path, 'utf8'), `${before}+ 4194002 work 2\n- 4194001\n- 4194002\n`);
	registry.record(started(3, 4_194_003));
	registry.close();
	assert.match(readFileSync(path, 'utf8'), /\+ 4194003 work 3\n$/, 'close() writes what is pending');
});

test('a run the registry lists as started whose group is gone is named as ended unseen, not reaped', async t => {
	const folder = temporaryFolder(t);
	const path = join(folder, 'gone.runs');
	const registry = openRunRegistry(path);
	registry.starting('work', 9);
	// A pid no process has: the run ended after its fatc was killed, before the next one looked.
	const gone = 4_194_000;
	registry.record({time: 0, type: 'run-started', job: 'work', runId: 9, slot: 0, pid: gone} as SupervisorEvent);
	registry.close();
	assert.deepEqual(await reapLeftovers(path), {reaped: [], unconfirmed: [], endedUnseen: [`work run 9 (pid ${gone})`]});
});

test('the next fatc says which runs of a killed one ended unseen: recorded as started, their group gone', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', ['name: left', 'runDir: ./run', 'jobs:', '  work:', '    command: sleep', '    args: ["600"]', ''].join('\n'));
	// What a fatc SIGKILLed between recording run 9's start and printing it leaves: the run has ended since. And 21
	// more that ended after the kill: one line names 20 and counts the rest.
	const others = Array.from({length: 21}, (_, index) => `+ ${4_194_001 + index} work ${10 + index}\n`).join('');
	await writeIn(folder, 'run/left.runs', `~ work 9\n+ 4194000 work 9\n${others}`);
	const fatc = startCli(['run'], {cwd: folder});
	killOnCleanup(t, fatc);
	await waitFor(() => /work\[0\] run \d+ started/.test(fatc.output()), 'the job to start', 15_000);
	assert.match(fatc.output(), /ended while no fatc watched, after the one that started them was killed: work run 9 \(pid 4194000\), work run 10 \(pid 4194001\), .* and 2 more; how they ended is unknown/);
	assert.doesNotMatch(fatc.output(), /reaped \d+ process groups/);
	fatc.child.kill('SIGTERM');
	assert.equal(await fatc.exited, 0, fatc.errors());
});

test('a run the killed fatc was starting whose process the sweep finds is named among the reaped, with its pid', () => {
	const lines = describeLeftovers({reaped: [{pgid: 120, run: 'work run 6'}], unconfirmed: ['work run 7', 'work run 8'], endedUnseen: []}, [{pid: 123, parent: 1, job: 'work', run: '7'}, {pid: 124, parent: 1, job: undefined, run: undefined}]);
	assert.deepEqual(lines, [
		'reaped 3 process groups and processes left by a fatc that was killed (work run 6, work run 7): 120, 123, 124',
		'a fatc was killed while starting its work run 8: if it started, it ran unsupervised and how it ended is unknown',
	]);
});

test('a line about leftovers names 20 runs and counts the rest', () => {
	const reaped = Array.from({length: 25}, (_, index) => ({pgid: 1000 + index, run: `work run ${index}`}));
	const [line] = describeLeftovers({reaped, unconfirmed: [], endedUnseen: []}, []);
	assert.match(line!, /^reaped 25 process groups and processes left by a fatc that was killed \(work run 0, .*, work run 19 and 5 more\): 1000, .*, 1024$/);
});

test('the next fatc finds the process of a run its killed predecessor was starting, names its pid and kills it', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', ['name: left', 'runDir: ./run', 'jobs:', '  work:', '    command: sleep', '    args: ["600"]', ''].join('\n'));
	// What a fatc SIGKILLed after forking run 7 and before recording its group leaves: "~" only, and the run alive.
	await writeIn(folder, 'run/left.runs', '~ work 7\n');
	const left = spawn('sleep', ['600'], {detached: true, stdio: 'ignore', env: {...process.env, FATC_SOCKET: join(folder, 'run/left.sock'), FATC_JOB: 'work', FATC_RUN: '7'}});
	t.after(() => {
		left.kill('SIGKILL');
	});
	const fatc = startCli(['run'], {cwd: folder});
	killOnCleanup(t, fatc);
	await waitFor(() => /work\[0\] run \d+ started/.test(fatc.output()), 'the job to start', 15_000);
	assert.match(fatc.output(), new RegExp(`reaped 1 process groups and processes left by a fatc that was killed \\(work run 7\\): ${left.pid}`));
	assert.doesNotMatch(fatc.output(), /killed while starting/);
	await waitFor(() => !isAlive(left.pid!), 'the run left behind to be gone');
	fatc.child.kill('SIGTERM');
	assert.equal(await fatc.exited, 0, fatc.errors());
});
