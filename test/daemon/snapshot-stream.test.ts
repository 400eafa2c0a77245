import assert from 'node:assert/strict';
import path from 'node:path';
import {test, type TestContext} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {connectClient, type ControlClient} from '../../source/daemon/control-client.js';
import {startControlServer} from '../../source/daemon/control-server.js';
import type {Message, PagedSnapshot} from '../../source/daemon/protocol.js';
import {startSnapshotBroadcaster} from '../../source/daemon/snapshot-broadcaster.js';
import {onCleanup} from '../helpers/cleanup.js';
import {epoch, makeJob, makeSnapshot, makeWorker, makeWorkers, StubHandle} from '../helpers/stub-handle.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

/** 1,000 runs of job "a" (run ids 1…1000, slots 0…999) and 50 of job "b", as the core's snapshot holds them. */
function manyRuns(): StubHandle {
	return new StubHandle(makeSnapshot({jobs: [
		makeJob({name: 'a', model: 'independent', instances: 1000, allowed: 1000, workers: makeWorkers(1000)}),
		makeJob({name: 'b', model: 'independent', instances: 50, allowed: 50, workers: makeWorkers(50, 2001)}),
	]}));
}

async function serve(t: TestContext, handle: StubHandle) {
	const socketPath = path.join(temporaryFolder(t), 'stream.sock');
	const server = await startControlServer({socketPath, handle, name: 'stream'});
	onCleanup(t, async () => server.close());
	return socketPath;
}

/** A client that keeps every snapshot pushed to it. */
async function subscriber(t: TestContext, socketPath: string, view?: unknown) {
	const client = await connectClient(socketPath);
	onCleanup(t, () => client.close());
	const pushed: PagedSnapshot[] = [];
	client.onMessage(message => {
		if (message.type === 'snapshot') {
			pushed.push(message.snapshot);
		}
	});
	const {snapshot} = await client.request('subscribe', view === undefined ? [] : [view]) as {snapshot: PagedSnapshot};
	return {client, first: snapshot, pushed};
}

const runIds = (snapshot: Snapshot, job: string) => snapshot.jobs.find(candidate => candidate.name === job)!.workers.map(worker => worker.runId);
const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => from + index);

test('a subscriber that shows page 1 of job a is sent those runs only, with every job\'s count of runs beside them', async t => {
	const handle = manyRuns();
	const {first, pushed} = await subscriber(t, await serve(t, handle), {job: 'a', offset: 0, limit: 15});
	assert.deepEqual(runIds(first, 'a'), range(1, 15));
	assert.deepEqual(runIds(first, 'b'), [], 'another job comes without its runs');
	assert.deepEqual(first.jobs.map(job => [job.name, job.runsTotal, job.workersOffset]), [['a', 1000, 0], ['b', 50, 0]]);

	handle.change({...handle.current, takenAt: epoch + 70_000});
	await waitFor(() => pushed.length > 0, 'a snapshot pushed after the event');
	assert.deepEqual(runIds(pushed.at(-1)!, 'a'), range(1, 15));
	assert.deepEqual(runIds(pushed.at(-1)!, 'b'), []);
	// The core is asked for those runs alone, on subscribing and on each tick: it builds no other run's entry.
	assert.deepEqual(handle.windowsAsked.at(-1), {a: {offset: 0, limit: 15}, b: {offset: 0, limit: 0}});
	assert.ok(handle.windowsAsked.every(window => window !== undefined), 'never every run');
});

test('a view that names no job asks the core for the first job\'s page; a handle that lists more is cut to it', async t => {
	const handle = manyRuns();
	const {first} = await subscriber(t, await serve(t, handle), {job: null, offset: 990, limit: 20});
	assert.deepEqual(handle.windowsAsked.at(-1), {a: {offset: 990, limit: 20}, b: {offset: 0, limit: 0}});
	assert.deepEqual(runIds(first, 'a'), range(991, 1000));
	assert.deepEqual(first.jobs.map(job => [job.name, job.runsTotal, job.workersOffset]), [['a', 1000, 990], ['b', 50, 0]]);
});

test('show-runs moves a subscriber to another page or job, and a snapshot of it comes before the reply', async t => {
	const {client, pushed} = await subscriber(t, await serve(t, manyRuns()), {job: 'a', offset: 0, limit: 15});
	assert.equal(await client.request('show-runs', [{job: 'a', offset: 985, limit: 30}]), null);
	const last = pushed.at(-1)!;
	assert.deepEqual(runIds(last, 'a'), range(986, 1000), 'the last page holds what is left');
	assert.equal(last.jobs[0]!.workersOffset, 985);

	await client.request('show-runs', [{job: 'b', offset: 10, limit: 5}]);
	assert.deepEqual(runIds(pushed.at(-1)!, 'a'), []);
	assert.deepEqual(runIds(pushed.at(-1)!, 'b'), range(2011, 2015));
});

test('without a view a subscriber gets the first job\'s first 100 runs; status still gets every run of every job', async t => {
	const socketPath = await serve(t, manyRuns());
	const {client, first} = await subscriber(t, socketPath);
	assert.deepEqual(runIds(first, 'a'), range(1, 100));
	const whole = await client.request('snapshot') as Snapshot;
	assert.equal(runIds(whole, 'a').length, 1000);
	assert.equal(runIds(whole, 'b').length, 50);
	assert.deepEqual([whole.jobs[0]!.runsTotal, whole.jobs[0]!.workersOffset], [1000, 0], 'status --json is the core\'s snapshot as it is');
});

test('a view that is not one is refused, saying what was expected; show-runs needs a subscription', async t => {
	const socketPath = await serve(t, manyRuns());
	const client: ControlClient = await connectClient(socketPath);
	onCleanup(t, () => client.close());
	await assert.rejects(client.request('show-runs', [{job: 'a', offset: 0, limit: 5}]), /show-runs: subscribe first/);
	await assert.rejects(client.request('subscribe', [{job: 'a', offset: 0, limit: 10_000}]), /view\.limit: expected an integer from 1 to 1000, got 10000/);
	await assert.rejects(client.request('subscribe', [{job: 'a', offset: -1, limit: 5}]), /view\.offset: expected an integer of 0 or more, got -1/);
	await assert.rejects(client.request('subscribe', [{job: 7, offset: 0, limit: 5}]), /view\.job: expected a job name or null, got 7/);
	await assert.rejects(client.request('subscribe', ['a']), /view: expected an object \{job, offset, limit\}, got "a"/);
});

test('each tick serialises one snapshot per distinct view, not one per subscriber; each event is serialised once', async t => {
	const handle = manyRuns();
	const serialized: Message[] = [];
	const received = new Map<string, string[]>();
	const broadcaster = startSnapshotBroadcaster<string>(handle, {
		deliver(client, line) {
			received.get(client)!.push(line);
		},
		serialize(message) {
			serialized.push(message);
			return JSON.stringify(message);
		},
	});
	onCleanup(t, () => broadcaster.close());
	const pageOne = {job: 'a', offset: 0, limit: 15};
	const clients = ['tui-1', 'tui-2', 'tui-3', 'tui-4', 'tui-5', 'other-page'];
	for (const client of clients) {
		received.set(client, []);
		broadcaster.add(client, client === 'other-page' ? {...pageOne, offset: 15} : pageOne);
	}

	handle.emit({time: epoch, job: 'a', type: 'scaled', from: 1000, to: 1001});
	const snapshotsOf = (client: string) => received.get(client)!.filter(line => line.startsWith('{"type":"snapshot"'));
	await waitFor(() => clients.every(client => snapshotsOf(client).length > 0), 'every subscriber to be sent a snapshot');
	broadcaster.close();

	// However many ticks passed (a heartbeat may have come too), each tick serialised once per view.
	const ticks = snapshotsOf('tui-1').length;
	assert.ok(clients.every(client => snapshotsOf(client).length === ticks), 'every subscriber got every tick');
	assert.equal(serialized.filter(message => message.type === 'snapshot').length, 2 * ticks, `${ticks} ticks, 2 views`);
	assert.equal(serialized.filter(message => message.type === 'event').length, 1, 'one event, serialised once for six subscribers');
	assert.equal(snapshotsOf('tui-5')[0], snapshotsOf('tui-1')[0], 'the same bytes for the same view');
	assert.deepEqual(runIds(JSON.parse(snapshotsOf('other-page')[0]!).snapshot as Snapshot, 'a'), range(16, 30));
});

test('one attached TUI showing a page of 1,000 runs is sent a few KB a snapshot, not the whole job (200 KB before)', async t => {
	const workers = Array.from({length: 1000}, (_, slot) => makeWorker({slot, runId: slot + 1, pid: 100_000 + slot, lastLine: `sent mail ${slot} to someone@example.com (queue 3)`, cpuPercent: 1.5, memoryBytes: 24_000_000}));
	const handle = new StubHandle(makeSnapshot({jobs: [makeJob({name: 'a', model: 'independent', instances: 1000, allowed: 1000, workers})]}));
	const socketPath = await serve(t, handle);
	const whole = JSON.stringify({type: 'snapshot', snapshot: handle.snapshot()}).length;
	// 80×24: the runs pane shows 5 rows; the TUI asks for the screen around the selection and one either side.
	const {pushed} = await subscriber(t, socketPath, {job: 'a', offset: 0, limit: 15});
	handle.change({...handle.current, takenAt: epoch + 70_000});
	await waitFor(() => pushed.length > 0, 'a snapshot');
	const paged = JSON.stringify({type: 'snapshot', snapshot: pushed[0]}).length;
	t.diagnostic(`bytes per snapshot, 1,000 runs of one job: whole ${whole}, a 15-run page ${paged}`);
	assert.ok(paged < 6000, `${paged} bytes for 15 runs`);
	assert.ok(paged * 30 < whole, `${paged} bytes a page against ${whole} for the whole job`);
});
