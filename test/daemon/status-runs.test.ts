import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {executeCommand} from '../../source/daemon/execute-command.js';
import {statusSnapshotArguments} from '../../source/daemon/protocol.js';
import {formatStatus} from '../../source/reporters/format-status.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {makeJob, makeSnapshot, makeWorkers, StubHandle} from '../helpers/stub-handle.js';

const snapshotOf = async (handle: StubHandle, args?: unknown[]) => executeCommand(handle, {id: 1, command: 'snapshot', args}) as Promise<Snapshot>;

test('snapshot {runsPerJob}: each job\'s first runs in slot order, all of them counted; without it, every run', async () => {
	const handle = new StubHandle(makeSnapshot({jobs: [makeJob({name: 'mail', workers: makeWorkers(50)}), makeJob({name: 'feed', workers: makeWorkers(3, 100)})]}));
	const paged = await snapshotOf(handle, [{runsPerJob: 20}]);
	assert.deepEqual(paged.jobs.map(job => [job.name, job.workers.length, job.runsTotal, job.workersOffset]), [['mail', 20, 50, 0], ['feed', 3, 3, 0]]);
	assert.deepEqual(paged.jobs[0]!.workers.map(worker => worker.slot), Array.from({length: 20}, (_, slot) => slot));
	assert.deepEqual(handle.windowsAsked.at(-1), {mail: {offset: 0, limit: 20}, feed: {offset: 0, limit: 20}}, 'the core builds those runs alone');
	assert.equal((await snapshotOf(handle, [{runsPerJob: 0}])).jobs[0]!.workers.length, 0);
	assert.equal((await snapshotOf(handle)).jobs[0]!.workers.length, 50);
	assert.equal((await snapshotOf(handle, [{}])).jobs[0]!.workers.length, 50);
	await assert.rejects(snapshotOf(handle, [{runsPerJob: -1}]), /runsPerJob: expected an integer of 0 or more/);
	await assert.rejects(snapshotOf(handle, ['all']), /snapshot: expected \{runsPerJob\}/);
});

test('fatc status lists the runs it was sent and counts the rest; the RUN column counts every run', () => {
	const whole = makeSnapshot({jobs: [makeJob({name: 'mail', model: 'independent', instances: 50, allowed: 50, workers: makeWorkers(50)})]});
	const text = formatStatus({...whole, jobs: [{...whole.jobs[0]!, workers: whole.jobs[0]!.workers.slice(0, 20)}]});
	assert.match(text, /mail\s+independent\s+50\/50\/50/);
	assert.equal(text.match(/^ {2}slot \d+ /gm)?.length, 20);
	assert.match(text, /^ {2}… and 30 more runs \("fatc status --json" lists every run, the TUI pages through them\)$/m);
	assert.doesNotMatch(formatStatus(whole), /more run/);
});

test('fatc status: the LAST column names how the last run ended, "not started" when it never ran', () => {
	const ended = (lastExit: Snapshot['jobs'][number]['lastExit']) => formatStatus(makeSnapshot({jobs: [makeJob({name: 'mail', lastExit})]}));
	assert.match(ended({result: 'error', code: null, signal: null, at: 0}), /mail .* error \(not started\)/);
	assert.match(ended({result: 'error', code: 3, signal: null, at: 0}), /mail .* error \(3\)/);
	assert.match(ended({result: 'stopped', code: null, signal: 'SIGTERM', at: 0}), /mail .* stopped \(SIGTERM\)/);
});

test('fatc status against a daemon with 23 runs under way: 20 listed, "… and 3 more runs"; --json carries all 23', async t => {
	const daemon = await daemonFolder(t, {instances: 23, runSeconds: 300});
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
	await daemon.runsUnderWay(23);
	const text = await daemon.fatc(['status']);
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /work\s+independent\s+23\/23\/23/);
	assert.equal(text.stdout.match(/^ {2}slot \d+ /gm)?.length, (statusSnapshotArguments[0] as {runsPerJob: number}).runsPerJob);
	assert.match(text.stdout, /… and 3 more runs/);
	const json = await daemon.fatc(['status', '--json']);
	assert.equal((JSON.parse(json.stdout) as Snapshot).jobs[0]!.workers.length, 23);
	assert.equal((await daemon.fatc(['stop'])).code, 0);
});
