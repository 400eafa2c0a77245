import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {watchProbe} from '../../source/world/probe-runner.js';
import {describeDuration, probeOutputLimit, runProbe, type ProbeReading, type ProbeRun} from '../../source/world/run-probe.js';
import {onCleanup} from '../helpers/cleanup.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {collect, groupGone, probeSpec, readLines, stopAfter} from './helpers.js';

/** Runs one probe; its group is SIGKILLed when the test ends, whatever happened. */
function runOnce(t: TestContext, spec: ReturnType<typeof probeSpec>): ProbeRun {
	const run = runProbe(spec);
	onCleanup(t, async () => {
		run.kill();
		await run.finished;
	});
	return run;
}

test('probe: exit 0, exit 1 and a printed number are reported as they are', async t => {
	const folder = temporaryFolder(t);
	assert.deepEqual(await runOnce(t, probeSpec(folder, 'exit 0')).finished, {kind: 'probe', code: 0, output: ''});
	assert.deepEqual(await runOnce(t, probeSpec(folder, 'exit 1')).finished, {kind: 'probe', code: 1, output: ''});
	assert.deepEqual(await runOnce(t, probeSpec(folder, 'echo 42')).finished, {kind: 'probe', code: 0, output: '42\n'});
});

test('probe: it runs in its cwd with fatc\'s environment plus its env', async t => {
	const folder = temporaryFolder(t);
	const reading = await runOnce(t, probeSpec(folder, 'echo "$PWD $PROBE_VALUE ${HOME:+home}"', {env: {PROBE_VALUE: 'seven'}})).finished;
	assert.deepEqual(reading, {kind: 'probe', code: 0, output: `${folder} seven ${process.env['HOME'] ? 'home' : ''}\n`});
});

test('probe: a command sh cannot find is exit 127 from sh (it says "not found" on stderr), not a start error', async t => {
	const folder = temporaryFolder(t);
	const reading = await runOnce(t, probeSpec(folder, 'fatc-no-such-command --count')).finished;
	assert.deepEqual(reading, {kind: 'probe', code: 127, output: ''});
});

test('probe: a working directory that does not exist, or is a file, is an error of one line and no code', async t => {
	const folder = temporaryFolder(t);
	const missing = join(folder, 'gone');
	assert.deepEqual(await runOnce(t, probeSpec(missing, 'exit 0')).finished, {
		kind: 'probe', code: null, output: '', error: `could not start the probe: working directory ${missing} does not exist`,
	});
	const file = join(folder, 'plain');
	writeFileSync(file, '');
	assert.deepEqual(await runOnce(t, probeSpec(file, 'exit 0')).finished, {
		kind: 'probe', code: null, output: '', error: `could not start the probe: working directory ${file} is not a directory`,
	});
});

test('probe: a probe killed by a signal has no code and says which signal', async t => {
	const folder = temporaryFolder(t);
	assert.deepEqual(await runOnce(t, probeSpec(folder, 'echo before; kill -TERM $$')).finished, {
		kind: 'probe', code: null, output: 'before\n', error: 'killed by SIGTERM',
	});
});

test('probe: only the first 4 KiB of stdout is kept, and a probe printing far more still ends', async t => {
	const folder = temporaryFolder(t);
	const reading = await runOnce(t, probeSpec(folder, 'head -c 1000000 /dev/zero | tr "\\000" a; exit 3')).finished;
	assert.equal(reading.code, 3);
	assert.equal(reading.output, 'a'.repeat(probeOutputLimit));
	assert.equal(reading.error, undefined);
});

test('probe: past its timeout the whole group is SIGKILLed, grandchild included, and the reading says it timed out', async t => {
	const folder = temporaryFolder(t);
	const run = runOnce(t, probeSpec(folder, 'sleep 100 & echo $!; sleep 100', {timeout: 3000}));
	const pgid = run.pid!;
	assert.equal(typeof pgid, 'number');
	const reading = await run.finished;
	assert.equal(reading.code, null);
	assert.equal(reading.error, 'timed out after 3s');
	const grandchild = Number(/^(\d+)\n$/.exec(reading.output)?.[1]);
	assert.ok(grandchild > 0, `the grandchild's pid in the output, got ${JSON.stringify(reading.output)}`);
	assert.equal(isAlive(pgid), false);
	// The grandchild, orphaned, is reaped by PID 1 (here only every few seconds): wait for the group to be gone.
	await waitFor(() => groupGone(pgid), `group ${pgid} to be empty`);
	assert.equal(isAlive(grandchild), false);
});

test('probe: a leftover background process is killed with the group when the leader exits', async t => {
	const folder = temporaryFolder(t);
	const reading = await runOnce(t, probeSpec(folder, 'sleep 100 & echo $!; exit 0')).finished;
	const leftover = Number(reading.output.trim());
	assert.equal(reading.code, 0);
	await waitFor(() => !isAlive(leftover), `the leftover ${leftover} to be killed`);
});

test('probe: durations in errors read as a person would write them', () => {
	assert.equal(describeDuration(250), '250ms');
	assert.equal(describeDuration(2000), '2s');
	assert.equal(describeDuration(1500), '1.5s');
	assert.equal(describeDuration(90_000), '90s');
});

test('probe loop: runs of one spec never overlap, from their own start and end records', async t => {
	const folder = temporaryFolder(t);
	const records = join(folder, 'records');
	const command = `echo "start $(date +%s%N)" >> ${records}; sleep 0.05; echo "end $(date +%s%N)" >> ${records}`;
	const {readings, listener} = collect<ProbeReading>();
	const watcher = stopAfter(t, watchProbe(probeSpec(folder, command, {every: 1}), listener));
	await waitFor(() => readings.length >= 5, 'five probes', 20_000);
	await watcher.stop();
	const lines = readLines(records).map(line => line.split(' '));
	let previousEnd = 0;
	for (const [index, [kind, time]] of lines.entries()) {
		assert.equal(kind, index % 2 === 0 ? 'start' : 'end', `line ${index}: ${lines.join(' / ')}`);
		if (kind === 'start') {
			assert.ok(Number(time) >= previousEnd, `probe ${index / 2} started before the previous one ended`);
		} else {
			previousEnd = Number(time);
		}
	}

	assert.ok(readings.every(reading => reading.code === 0));
});

test('probe loop: stop kills the probe under way (its whole group) and resolves once its leader has exited', async t => {
	const folder = temporaryFolder(t);
	const pidFile = join(folder, 'pid');
	const {readings, listener} = collect<ProbeReading>();
	const watcher = stopAfter(t, watchProbe(probeSpec(folder, `echo $$ > ${pidFile}; sleep 100 & sleep 100`), listener));
	await waitFor(() => readLines(pidFile).length === 1, 'the probe to start');
	const pgid = Number(readLines(pidFile)[0]);
	await watcher.stop();
	assert.equal(isAlive(pgid), false);
	await waitFor(() => groupGone(pgid), `group ${pgid} to be empty`);
	assert.deepEqual(readings, [], 'a stopped probe reports nothing');
});

test('probe loop: after stop no probe starts again', async t => {
	const folder = temporaryFolder(t);
	const runs = join(folder, 'runs');
	const watcher = watchProbe(probeSpec(folder, `echo run >> ${runs}`, {every: 1}), () => {});
	await waitFor(() => readLines(runs).length >= 2, 'two probes');
	await watcher.stop();
	const runsAtStop = readLines(runs).length;
	// Another loop as a clock: once it has run five times, the stopped one had its chances.
	const clock = collect<ProbeReading>();
	stopAfter(t, watchProbe(probeSpec(folder, 'exit 0', {every: 1}), clock.listener));
	await waitFor(() => clock.readings.length >= 5, 'five probes of the other loop');
	assert.equal(readLines(runs).length, runsAtStop);
});
