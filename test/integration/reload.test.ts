import assert from 'node:assert/strict';
import {appendFileSync, writeFileSync} from 'node:fs';
import {test} from 'node:test';
import {startReloadHarness} from '../helpers/reload-harness.js';
import {readRunRecords} from '../helpers/run-records.js';
import {waitFor} from '../helpers/wait-for.js';

const longRuns = {model: 'independent', env: {RUN_SECONDS: '30'}};

/** The slow writer's own pace (the stimulus, not a wait for fatc). */
async function pause(milliseconds: number) {
	await new Promise(resolve => {
		setTimeout(resolve, milliseconds);
	});
}

test('live reload: an in-place save, a rename-style save and a slow writer each give exactly one reload of the whole file', async t => {
	const harness = await startReloadHarness(t, {work: {...longRuns, instances: 1}});
	await waitFor(() => harness.pidIn('work', 0) !== undefined, 'the first run');
	const firstPid = harness.pidIn('work', 0);
	harness.save({work: {...longRuns, instances: 2}}, 'in-place');
	assert.match((await harness.waitForReloads(1)).summary, /^1 changed, 0 added, 0 removed — work \(instances 1 -> 2\)$/);
	harness.save({work: {...longRuns, instances: 3}}, 'rename');
	assert.match((await harness.waitForReloads(2)).summary, /work \(instances 2 -> 3\)$/);

	// A slow writer: the file grows in three pieces, each well within the 150 ms the watcher waits for it to settle.
	const text = harness.text({work: {...longRuns, instances: 1}});
	writeFileSync(harness.file, text.slice(0, 20));
	await pause(40);
	appendFileSync(harness.file, text.slice(20, 60));
	await pause(40);
	appendFileSync(harness.file, text.slice(60));
	assert.match((await harness.waitForReloads(3)).summary, /work \(instances 3 -> 1\)$/);

	// A last save: had any save above given a second reload, it would show before this one's.
	harness.save({work: {...longRuns, instances: 2}}, 'rename');
	await harness.waitForReloads(4);
	assert.deepEqual(harness.reloads().map(event => event.changed), [1, 1, 1, 1]);
	assert.deepEqual(harness.events.filter(event => event.type === 'config-error'), []);
	assert.equal(harness.pidIn('work', 0), firstPid, 'the run in slot 0 ran on through every reload');
	await harness.finish();
});

test('live reload: a new sleep sets the next delay', async t => {
	const harness = await startReloadHarness(t, {tick: {sleep: '200ms', env: {RUN_SECONDS: '0.05'}}});
	await waitFor(() => harness.started('tick').length >= 2, 'two runs under the old sleep');
	harness.save({tick: {sleep: '1500ms', env: {RUN_SECONDS: '0.05'}}});
	const reloaded = await harness.waitForReloads(1);
	const endedAfter = () => harness.events.filter(event => event.type === 'run-ended' && event.time > reloaded.time);
	await waitFor(() => endedAfter().length >= 1 && harness.started('tick').some(event => event.time > endedAfter()[0]!.time), 'a run after a done under the new sleep');
	const done = endedAfter()[0]!;
	const next = harness.started('tick').find(event => event.time > done.time)!;
	const delay = next.time - done.time;
	assert.ok(delay >= 1450 && delay < 3000, `the next start came ${delay} ms after the done, for a new sleep of 1500 ms`);
	const [first, second] = harness.started('tick');
	assert.ok(second!.time - first!.time < 1000, 'the old sleep was shorter');
	await harness.finish();
});

test('live reload: an added job starts within 2 s while the other job\'s run keeps its pid', async t => {
	const harness = await startReloadHarness(t, {mail: {...longRuns}});
	await waitFor(() => harness.pidIn('mail', 0) !== undefined, 'the mail run');
	const pid = harness.pidIn('mail', 0);
	const savedAt = Date.now();
	harness.save({mail: {...longRuns}, feeds: {...longRuns, instances: 2}}, 'rename');
	await waitFor(() => harness.started('feeds').length === 2, 'both feeds runs', 5000);
	const startedAfter = Math.max(...harness.started('feeds').map(event => event.time)) - savedAt;
	assert.ok(startedAfter < 2000, `feeds started ${startedAfter} ms after the save`);
	assert.match(harness.reloads()[0]!.summary, /^0 changed, 1 added, 0 removed — \+feeds$/);
	assert.equal(harness.pidIn('mail', 0), pid);
	assert.equal(harness.started('mail').length, 1, 'mail was not restarted');
	assert.ok(!harness.events.some(event => event.type === 'run-stopping'), 'no run was stopped');
	await harness.finish();
});

test('live reload: raising and lowering instances scales without restarting runs under way', async t => {
	const harness = await startReloadHarness(t, {work: {...longRuns, instances: 1}});
	await waitFor(() => harness.pidIn('work', 0) !== undefined, 'the first run');
	const pid = harness.pidIn('work', 0);
	harness.save({work: {...longRuns, instances: 3}});
	await waitFor(() => harness.started('work').length === 3, 'two more runs');
	harness.save({work: {...longRuns, instances: 1}}, 'rename');
	await harness.waitForReloads(2);
	await waitFor(() => harness.supervisor.snapshot().jobs[0]!.workers.length === 1, 'the scale-down to finish');
	const stops = harness.events.flatMap(event => (event.type === 'run-stopping' ? [`${event.slot}:${event.reason}`] : []));
	assert.deepEqual(stops.sort(), ['1:scale', '2:scale']);
	assert.equal(harness.pidIn('work', 0), pid, 'slot 0 kept its run through both changes');
	assert.equal(harness.started('work').length, 3, 'nothing restarted');
	await harness.finish();
});

test('live reload: lowering instances while runs come and go: no new run starts until the stopped ones are gone', async t => {
	const settings = {model: 'independent', env: {RUN_SECONDS: '0.2', STOP_SECONDS: '1'}};
	const harness = await startReloadHarness(t, {work: {...settings, instances: 3}});
	await waitFor(() => harness.started('work').length >= 6, 'runs in every slot');
	harness.save({work: {...settings, instances: 1}});
	const reloaded = await harness.waitForReloads(1);
	const after = (type: 'run-started' | 'run-ended') => harness.events.slice(harness.events.indexOf(reloaded)).filter(event => event.type === type);
	await waitFor(() => after('run-started').length >= 2, 'two runs under the new instances');
	const stopped = harness.events.filter(event => event.type === 'run-ended' && event.stopReason === 'scale');
	assert.equal(stopped.length, 2);
	const firstStart = harness.events.indexOf(after('run-started')[0]!);
	assert.ok(stopped.every(event => harness.events.indexOf(event) < firstStart), 'the stopped runs were gone before the next start');
	await harness.finish();
});

test('live reload: a broken file keeps the old config running and shows the error until a fixed save clears it', async t => {
	const harness = await startReloadHarness(t, {work: {...longRuns, instances: 1}});
	await waitFor(() => harness.pidIn('work', 0) !== undefined, 'the run');
	const pid = harness.pidIn('work', 0);
	harness.save(harness.text({work: {...longRuns, instances: 2}}).replace('instances: 2', 'instances: [2'));
	await waitFor(() => harness.events.some(event => event.type === 'config-error'), 'the config error');
	const error = harness.supervisor.snapshot().configError ?? '';
	assert.ok(error.startsWith(`${harness.file}:`), `the error names the file: ${error}`);
	assert.match(error, /not valid YAML/);
	assert.equal(harness.reloads().length, 0);

	harness.save(harness.text({work: {...longRuns, instances: -1}}), 'rename');
	await waitFor(() => harness.events.filter(event => event.type === 'config-error').length === 2, 'the second error');
	assert.equal(harness.supervisor.snapshot().configError, `${harness.file}: jobs.work.instances: expected an integer from 0 to 10000, got -1`);
	assert.equal(harness.pidIn('work', 0), pid, 'the running config stays');
	assert.equal(harness.supervisor.snapshot().jobs[0]!.instances, 1);

	harness.save({work: {...longRuns, instances: 2}});
	await harness.waitForReloads(1);
	assert.equal(harness.supervisor.snapshot().configError, null);
	await waitFor(() => harness.started('work').length === 2, 'the second run');
	assert.equal(harness.pidIn('work', 0), pid);
	await harness.finish();
});

test('live reload: a new command lets runs under way finish (onChange finish); the next runs use it, never more than instances', async t => {
	const settings = {model: 'independent', instances: 2, env: {RUN_SECONDS: '0.5'}};
	const harness = await startReloadHarness(t, {work: settings});
	await waitFor(() => harness.started('work').length >= 2, 'two runs');
	harness.save({work: {...settings, args: [harness.recordFile('work', 'v2')]}});
	const reloaded = await harness.waitForReloads(1);
	assert.match(reloaded.summary, /work \(args\)$/);
	const newRuns = () => readRunRecords(harness.recordFile('work', 'v2'));
	await waitFor(() => newRuns().filter(run => run.end !== undefined).length >= 3, 'three runs of the new definition');
	assert.ok(harness.events.every(event => event.type !== 'run-ended' || event.result === 'done'), 'no run was stopped: each ended done');
	const oldPids = new Set(readRunRecords(harness.recordFile('work')).map(run => run.pid));
	const reloadIndex = harness.events.indexOf(reloaded);
	for (const [index, event] of harness.events.entries()) {
		if (event.type === 'run-started') {
			assert.equal(oldPids.has(event.pid!), index < reloadIndex, `run ${event.runId} used the definition in force when it started`);
		}
	}

	await harness.finish();
});

test('live reload: onChange restart stops runs under way (reason reload) and starts the new definition once they are gone', async t => {
	const settings = {...longRuns, instances: 1, onChange: 'restart'};
	const harness = await startReloadHarness(t, {server: settings});
	await waitFor(() => harness.pidIn('server', 0) !== undefined, 'the server run');
	harness.save({server: {...settings, args: [harness.recordFile('server', 'v2')]}}, 'rename');
	await waitFor(() => readRunRecords(harness.recordFile('server', 'v2')).length === 1, 'the new server run');
	const [old] = harness.events.filter(event => event.type === 'run-ended');
	assert.equal(old?.type === 'run-ended' && `${old.result}:${old.stopReason}`, 'stopped:reload');
	const [v1] = readRunRecords(harness.recordFile('server'));
	const [v2] = readRunRecords(harness.recordFile('server', 'v2'));
	assert.ok(v1?.end !== undefined && v2 !== undefined && v1.end <= v2.start!, 'the new run started after the old one was gone');
	await harness.finish();
});

test('live reload: a removed job stops its runs gracefully and leaves the snapshot once they are gone', async t => {
	const harness = await startReloadHarness(t, {mail: {...longRuns}, feeds: {...longRuns, instances: 2}});
	await waitFor(() => harness.started().length === 3, 'three runs');
	const mailPid = harness.pidIn('mail', 0);
	harness.save({mail: {...longRuns}});
	await waitFor(() => harness.supervisor.snapshot().jobs.length === 1, 'feeds to leave');
	const ends = harness.events.flatMap(event => (event.type === 'run-ended' ? [`${event.job}:${event.result}:${event.stopReason}`] : []));
	assert.deepEqual(ends, ['feeds:stopped:shutdown', 'feeds:stopped:shutdown']);
	assert.equal(harness.records('feeds').filter(run => run.end !== undefined).length, 2, 'each run ran its own SIGTERM handler');
	assert.equal(harness.pidIn('mail', 0), mailPid);
	await harness.finish();
});
