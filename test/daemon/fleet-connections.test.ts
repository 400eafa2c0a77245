import assert from 'node:assert/strict';
import {test} from 'node:test';
import {connectClient} from '../../source/daemon/control-client.js';
import {connectFleet, type FleetHandle, type FleetHost} from '../../source/daemon/fleet-connections.js';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * The fleet handle on two real daemons (two names, two folders): each host connects on its own; one killed is marked
 * unreachable with the reason while the other stays steerable; it is retried with a growing wait and comes back.
 */

async function twoDaemons(t: Parameters<typeof daemonFolder>[0]) {
	const a = await daemonFolder(t, {name: 'fleet-a', instances: 1});
	const b = await daemonFolder(t, {name: 'fleet-b', instances: 1});
	for (const daemon of [a, b]) {
		assert.equal((await daemon.fatc(['--detach'])).code, 0);
	}

	return {a, b};
}

const host = (name: string, socket: string): FleetHost => ({name, address: socket, connect: async () => connectClient(socket)});
const state = (fleet: FleetHandle, name: string) => fleet.hosts().find(each => each.name === name)!;
const describe = (fleet: FleetHandle) => () => JSON.stringify(fleet.hosts().map(({snapshot, ...rest}) => ({...rest, jobs: snapshot?.jobs.length})));

async function instancesOf(socket: string): Promise<number> {
	const client = await connectClient(socket);
	try {
		return ((await client.request('snapshot')) as Snapshot).jobs[0]!.instances;
	} finally {
		client.close();
	}
}

test('fleet: a killed daemon is marked unreachable, the other stays steerable; retried with a growing wait, it comes back', async t => {
	const {a, b} = await twoDaemons(t);
	const fleet = connectFleet([host('a', a.socket), host('b', b.socket)], {firstRetry: 200, maximumRetry: 800});
	onCleanup(t, () => {
		fleet.close();
	});
	await waitFor(() => fleet.hosts().every(each => each.status === 'up'), 'both hosts up', 20_000, describe(fleet));
	assert.deepEqual(fleet.hosts().map(each => each.snapshot?.name), ['fleet-a', 'fleet-b']);
	assert.ok(fleet.hosts().every(each => each.snapshot!.jobs[0]!.workers.length <= 1), 'subscribed to one run at most');

	// The waits between attempts while b is down: 200, 400, 800, then 800.
	const waits: number[] = [];
	let lastRetry: number | null = null;
	fleet.subscribe(name => {
		const {retryAt} = state(fleet, 'b');
		if (name === 'b' && retryAt !== null && retryAt !== lastRetry) {
			lastRetry = retryAt;
			waits.push(retryAt - Date.now());
		}
	});
	const killedAt = Date.now();
	process.kill(b.daemonPid()!, 'SIGKILL');
	await waitFor(() => state(fleet, 'b').status === 'unreachable', 'b to be marked unreachable', 20_000, describe(fleet));
	const down = state(fleet, 'b');
	assert.ok(down.since >= killedAt);
	assert.match(down.reason ?? '', /closed|no fatc daemon answers/);
	assert.equal(down.snapshot?.name, 'fleet-b', 'its last snapshot stays, for its rows');

	// a goes on: a scale reaches it while b is down.
	assert.equal(state(fleet, 'a').status, 'up');
	fleet.handle('a')!.scaleBy('work', 2);
	await waitFor(async () => (await instancesOf(a.socket)) === 3, 'a scaled to 3', 20_000);
	assert.equal(fleet.handle('b'), undefined);

	await waitFor(() => waits.length >= 5, 'five attempts on b', 20_000, () => JSON.stringify(waits));
	assert.match(state(fleet, 'b').reason ?? '', /no fatc daemon answers/);
	const rounded = waits.slice(0, 5).map(wait => Math.round(wait / 100) * 100);
	assert.deepEqual(rounded, [200, 400, 800, 800, 800], `the waits doubled up to the maximum: ${JSON.stringify(waits)}`);

	assert.equal((await b.fatc(['--detach'])).code, 0);
	await waitFor(() => state(fleet, 'b').status === 'up', 'b to come back', 20_000, describe(fleet));
	assert.equal(state(fleet, 'b').reason, null);
	assert.equal(state(fleet, 'b').snapshot?.pid, b.daemonPid());
	fleet.handle('b')!.scaleBy('work', 1);
	await waitFor(async () => (await instancesOf(b.socket)) === 2, 'b scaled to 2 once back', 20_000);
});

test('fleet: a host that answers nothing (stopped daemon, hung link) is dropped after the silence and retried; a connection that hangs is given up', async t => {
	const {a, b} = await twoDaemons(t);
	const hanging: FleetHost = {name: 'hangs', address: 'nowhere', connect: async () => new Promise(() => undefined)};
	const fleet = connectFleet([host('a', a.socket), host('b', b.socket), hanging], {firstRetry: 200, maximumRetry: 400, silence: 2000, connectTimeout: 2000});
	onCleanup(t, () => {
		fleet.close();
	});
	await waitFor(() => state(fleet, 'a').status === 'up' && state(fleet, 'b').status === 'up', 'a and b up', 20_000, describe(fleet));
	// Not frozen by the host that never answers.
	await waitFor(() => state(fleet, 'hangs').status === 'unreachable', 'the hanging host given up', 20_000, describe(fleet));
	assert.equal(state(fleet, 'hangs').reason, 'no answer within 2 s');

	const pid = b.daemonPid()!;
	process.kill(pid, 'SIGSTOP');
	onCleanup(t, () => {
		if (isAlive(pid)) {
			process.kill(pid, 'SIGCONT');
		}
	});
	await waitFor(() => state(fleet, 'b').status === 'unreachable', 'b to be dropped for its silence', 20_000, describe(fleet));
	assert.match(state(fleet, 'b').reason ?? '', /no word from it for 2 s|no answer within 2 s/);
	// (On a very loaded machine a may miss 2 s of heartbeats too: then it is back by itself.)
	await waitFor(() => state(fleet, 'a').status === 'up', 'a up while b is stopped', 20_000, describe(fleet));
	process.kill(pid, 'SIGCONT');
	await waitFor(() => state(fleet, 'b').status === 'up', 'b back once it runs again', 20_000, describe(fleet));
});

test('fleet: a subscriber of no events (RunsView events false) gets no event and a snapshot once a second; a TUI beside it gets both', async t => {
	const {a} = await twoDaemons(t);
	const counts = {fleet: {event: 0, snapshot: 0}, tui: {event: 0, snapshot: 0}};
	const clients = await Promise.all([connectClient(a.socket), connectClient(a.socket)]);
	onCleanup(t, () => {
		for (const client of clients) {
			client.close();
		}
	});
	let latest: Snapshot | undefined;
	for (const [index, client] of clients.entries()) {
		const count = index === 0 ? counts.fleet : counts.tui;
		client.onMessage(message => {
			if (message.type === 'event' || message.type === 'snapshot') {
				count[message.type]++;
			}

			if (index === 0 && message.type === 'snapshot') {
				latest = message.snapshot;
			}
		});
	}

	await clients[0]!.request('subscribe', [{job: null, offset: 0, limit: 1, events: false}]);
	await clients[1]!.request('subscribe', [{job: null, offset: 0, limit: 100}]);
	const start = performance.now();
	// Runs start and stop, one after the other: events all along.
	for (const instances of [4, 1, 5, 2, 6]) {
		await clients[1]!.request('scale', ['work', instances]);
	}

	await waitFor(() => latest?.jobs[0]?.runsTotal === 6 && counts.tui.event >= 10, 'the scales seen by both', 20_000, () => JSON.stringify(counts));
	const seconds = (performance.now() - start) / 1000;
	assert.equal(counts.fleet.event, 0);
	assert.ok(counts.fleet.snapshot <= Math.ceil(seconds) + 1, `${counts.fleet.snapshot} snapshots in ${seconds.toFixed(1)} s: the heartbeat's only`);
	assert.equal(latest?.jobs[0]?.workers.length, 1, 'one run of the page');
	await assert.rejects(clients[0]!.request('show-runs', [{job: null, offset: 0, limit: 1, events: 'no'}]), /view\.events: expected true or false, got "no"/);
});
