import assert from 'node:assert/strict';
import {mkdirSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import type {Reading, Sensors} from '../../source/core/sensors.js';
import {createSensors, type SensorsOptions} from '../../source/world/create-sensors.js';
import {onCleanup} from '../helpers/cleanup.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {collect, groupGone, probeSpec, readLines} from './helpers.js';

/** Sensors closed when the test ends (before its temporary folder is removed). */
function sensorsFor(t: TestContext, options: SensorsOptions = {}): Sensors {
	const sensors = createSensors(options);
	onCleanup(t, async () => sensors.close());
	return sensors;
}

/** A second, independent probe loop to count time by: `count` probes of it have run once this resolves. */
async function probesElapse(t: TestContext, folder: string, count: number): Promise<void> {
	const clock = collect();
	const sensors = sensorsFor(t);
	sensors.watch(probeSpec(folder, 'exit 0', {every: 1}), clock.listener);
	await waitFor(() => clock.readings.length >= count, `${count} probes of the clock loop`);
	await sensors.close();
}

test('sensors: two listeners of one probe spec (keys and env in another order) share one process per probe', async t => {
	const folder = temporaryFolder(t);
	const runs = join(folder, 'runs');
	const sensors = sensorsFor(t);
	const first = collect();
	const second = collect();
	const command = `echo $$ >> ${runs}; echo $$`;
	sensors.watch({kind: 'probe', command, cwd: folder, env: {A: '1', B: '2'}, every: 1, timeout: 10_000}, first.listener);
	sensors.watch({timeout: 10_000, every: 1, env: {B: '2', A: '1'}, cwd: folder, command, kind: 'probe'}, second.listener);
	await waitFor(() => first.readings.length >= 3 && second.readings.length >= 3, 'three probes for each listener');
	await sensors.close();
	assert.deepEqual(second.readings, first.readings, 'both heard the same probes');
	const pids = readLines(runs);
	assert.equal(new Set(pids).size, pids.length);
	// One probe per reading, and perhaps one more that close() killed before it reported.
	assert.ok(pids.length === first.readings.length || pids.length === first.readings.length + 1, `${pids.length} probes, ${first.readings.length} readings`);
	const outputs = first.readings.map(reading => (reading.kind === 'probe' ? reading.output.trim() : ''));
	assert.deepEqual(outputs, pids.slice(0, outputs.length));
});

test('sensors: two different probe specs each get their own loop', async t => {
	const folder = temporaryFolder(t);
	const sensors = sensorsFor(t);
	const first = collect();
	const second = collect();
	sensors.watch(probeSpec(folder, 'echo first'), first.listener);
	sensors.watch(probeSpec(folder, 'echo second'), second.listener);
	await waitFor(() => first.readings.length >= 2 && second.readings.length >= 2, 'two probes of each');
	assert.ok(first.readings.every(reading => reading.kind === 'probe' && reading.output === 'first\n'));
	assert.ok(second.readings.every(reading => reading.kind === 'probe' && reading.output === 'second\n'));
});

test('sensors: the probe loop goes on while one listener is left, and stops with the last unwatch', async t => {
	const folder = temporaryFolder(t);
	const runs = join(folder, 'runs');
	const sensors = sensorsFor(t);
	const first = collect();
	const second = collect();
	const spec = probeSpec(folder, `echo run >> ${runs}`, {every: 1});
	const unwatchFirst = sensors.watch(spec, first.listener);
	const unwatchSecond = sensors.watch(spec, second.listener);
	await waitFor(() => second.readings.length >= 2, 'two probes');
	unwatchFirst();
	unwatchFirst();
	const heardByFirst = first.readings.length;
	const heardBySecond = second.readings.length;
	await waitFor(() => second.readings.length >= heardBySecond + 2, 'two more probes for the listener left');
	assert.equal(first.readings.length, heardByFirst, 'an unwatched listener hears nothing more');
	unwatchSecond();
	// close() waits for the stopped loop's probe, if one was under way, to be gone.
	await sensors.close();
	const runsAtStop = readLines(runs).length;
	await probesElapse(t, folder, 5);
	assert.equal(readLines(runs).length, runsAtStop, 'no probe after the last unwatch');
});

test('sensors: a listener joining a probe that has already reported hears its last reading at once', async t => {
	const folder = temporaryFolder(t);
	const sensors = sensorsFor(t);
	const first = collect();
	const spec = probeSpec(folder, 'echo 17', {every: 3_600_000});
	sensors.watch(spec, first.listener);
	await waitFor(() => first.readings.length === 1, 'the first probe');
	const late = collect();
	sensors.watch(spec, late.listener);
	assert.equal(late.readings.length, 0, 'never inside watch()');
	await waitFor(() => late.readings.length === 1, 'the last reading for the late listener');
	assert.deepEqual(late.readings[0], {kind: 'probe', code: 0, output: '17\n'});
});

test('sensors: listeners of one load spec share one reader; another `every` has its own', async t => {
	let reads = 0;
	const sensors = sensorsFor(t, {
		loadSource() {
			reads++;
			return {average: 0.5, cpus: 2};
		},
	});
	const first = collect();
	const second = collect();
	sensors.watch({kind: 'load', every: 10}, first.listener);
	sensors.watch({kind: 'load', every: 10}, second.listener);
	await waitFor(() => first.readings.length >= 3, 'three load readings');
	await sensors.close();
	assert.deepEqual(second.readings, first.readings);
	// One read per reading, and perhaps one more under way at close().
	assert.ok(reads === first.readings.length || reads === first.readings.length + 1, `${reads} reads, ${first.readings.length} readings`);
	assert.deepEqual(first.readings[0], {kind: 'load', average: 0.5, cpus: 2});

	const other = sensorsFor(t, {loadSource: () => ({average: 1, cpus: 1})});
	const fast = collect();
	const slow = collect();
	other.watch({kind: 'load', every: 10}, fast.listener);
	other.watch({kind: 'load', every: 3_600_000}, slow.listener);
	await waitFor(() => fast.readings.length >= 3 && slow.readings.length === 1, 'a reader per `every`');
});

test('sensors: a wake file watched by two jobs reports to both; a touch after each report gives a new one', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'wake/emails');
	const sensors = sensorsFor(t);
	const first = collect();
	const second = collect();
	sensors.watch({kind: 'file', path: file}, first.listener);
	sensors.watch({kind: 'file', path: file}, second.listener);
	mkdirSync(join(folder, 'wake'));
	writeFileSync(file, '');
	await waitFor(() => first.readings.length >= 1 && second.readings.length >= 1, 'the creation reported to both');
	for (const touches of [1, 2]) {
		const before = first.readings.length;
		const now = new Date();
		utimesSync(file, now, now);
		await waitFor(() => first.readings.length > before, `touch ${touches} reported`);
	}

	assert.deepEqual(second.readings, first.readings);
	assert.ok(first.readings.every((reading: Reading) => reading.kind === 'file'));
});

test('sensors: close() SIGKILLs a probe under way, grandchild included, and resolves once its leader is gone', async t => {
	const folder = temporaryFolder(t);
	const pidFile = join(folder, 'pid');
	const sensors = sensorsFor(t);
	const {readings, listener} = collect();
	sensors.watch(probeSpec(folder, `echo $$ > ${pidFile}; sleep 100 & sleep 100`), listener);
	await waitFor(() => readLines(pidFile).length === 1, 'the probe to start');
	const pgid = Number(readLines(pidFile)[0]);
	await sensors.close();
	assert.equal(isAlive(pgid), false);
	await waitFor(() => groupGone(pgid), `group ${pgid} to be empty`);
	assert.deepEqual(readings, []);
	await sensors.close();
	assert.equal(typeof sensors.watch(probeSpec(folder, 'exit 0'), listener), 'function', 'watch after close does nothing');
});

test('sensors: a spec that would probe in a tight loop, or never, is refused with what was expected', t => {
	const sensors = sensorsFor(t);
	assert.throws(() => sensors.watch({kind: 'load', every: 0}, () => {}), /sensor load\.every: expected a number of milliseconds above 0, got 0/);
	assert.throws(() => sensors.watch(probeSpec('/', 'exit 0', {timeout: Number.NaN}), () => {}), /sensor probe\.timeout: .* got NaN/);
	assert.throws(() => sensors.watch(probeSpec('/', '  '), () => {}), /sensor probe\.command: expected a shell command/);
});
