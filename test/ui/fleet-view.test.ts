import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {FleetApp, hostState, type FleetSource} from '../../source/ui/fleet-app.js';
import {fleetRows, fleetTotals, hostsOfJob, jobKey, type FleetHostView} from '../../source/ui/fleet-rows.js';
import {keys, lineWith} from '../helpers/render-app.js';
import {epoch, makeJob, makeSnapshot} from '../helpers/stub-handle.js';
import {waitFor} from '../helpers/wait-for.js';

const takenAt = epoch + 60_000;

function host(name: string, status: FleetHostView['status'], jobs: Parameters<typeof makeJob>[0][], clock = takenAt): FleetHostView {
	return {
		name,
		address: `ssh://${name}`,
		status,
		since: epoch,
		reason: status === 'unreachable' ? 'the connection closed' : null,
		snapshot: makeSnapshot({takenAt: clock, jobs: jobs.map(job => makeJob(job))}),
		retryAt: status === 'unreachable' ? epoch + 4000 : null,
	};
}

const fleet = () => [
	host('web1', 'up', [
		{name: 'emails', instances: 4, allowed: 3, runsTotal: 3, runs: 10, done: 6, more: 3, errors: 1, averageDuration: 1000, lastExit: {result: 'more', code: 64, signal: null, at: takenAt - 5000}, nextStartAt: takenAt + 9000},
		{name: 'images', instances: 1, allowed: 1, runsTotal: 1, runs: 2, done: 2},
	]),
	// Its clock is 30 s ahead: its next start, 2 s from its own now, is the soonest.
	host('web2', 'up', [
		{name: 'emails', instances: 2, allowed: 2, runsTotal: 2, runs: 30, done: 20, more: 10, errors: 0, averageDuration: 2000, lastExit: {result: 'error', code: 3, signal: null, at: takenAt + 29_000}, lastDuration: 1500, nextStartAt: takenAt + 32_000},
	], takenAt + 30_000),
	host('web3', 'unreachable', [{name: 'emails', instances: 8, allowed: 8, runsTotal: 8, runs: 500, done: 500}, {name: 'feeds'}]),
	{...host('web4', 'connecting', []), snapshot: null},
];

test('fleet rows: one row per job name in the order the hosts list them, with the totals of the hosts that answer', () => {
	const rows = fleetRows(fleet(), new Set());
	assert.deepEqual(rows.map(row => [row.kind, row.name]), [['job', 'emails'], ['job', 'images'], ['job', 'feeds']]);
	const [emails, images, feeds] = rows;
	assert.ok(emails?.kind === 'job' && images?.kind === 'job' && feeds?.kind === 'job');
	assert.deepEqual([emails.hosts, emails.reachable, images.hosts, feeds.hosts, feeds.reachable], [3, 2, 1, 1, 0]);
	const job = emails.job!;
	// web3 is unreachable: its 500 runs are not counted.
	assert.deepEqual([job.instances, job.allowed, job.runsTotal, job.runs, job.done, job.more, job.errors], [6, 5, 5, 40, 26, 13, 1]);
	assert.deepEqual(job.lastExit, {result: 'error', code: 3, signal: null, at: takenAt + 29_000}, 'the last run to end anywhere');
	assert.equal(job.lastDuration, 1500);
	assert.equal(job.nextStartAt, 2000, 'the soonest start, relative to each host\'s own clock');
	assert.equal(job.averageDuration, (1000 * 10 + 2000 * 30) / 40, 'weighted by each host\'s runs');
	assert.equal(feeds.job, null, 'no host that has it answers');
});

test('fleet rows: an expanded job lists its hosts, an unreachable one without its numbers', () => {
	const rows = fleetRows(fleet(), new Set([jobKey('emails')]));
	assert.deepEqual(rows.map(row => (row.kind === 'host' ? `${row.host}:${row.name}` : row.name)), ['emails', 'web1:emails', 'web2:emails', 'web3:emails', 'images', 'feeds']);
	const web3 = rows[3];
	assert.ok(web3?.kind === 'host');
	assert.equal(web3.job, null);
	assert.equal(web3.status, 'unreachable');
	assert.deepEqual(hostsOfJob(fleet(), 'emails'), ['web1', 'web2'], 'a group acts on the hosts that answer');
});

test('fleet totals: paused only when paused on every host', () => {
	const paused = makeJob({name: 'x', paused: true, phase: 'paused'});
	assert.equal(fleetTotals('x', [{job: paused, takenAt}, {job: makeJob({name: 'x'}), takenAt}]).paused, false);
	assert.equal(fleetTotals('x', [{job: paused, takenAt}, {job: paused, takenAt}]).paused, true);
	assert.equal(fleetTotals('x', []).paused, false);
});

test('a host\'s state: up with its pid, unreachable since when, why, and when it is tried again', () => {
	assert.match(hostState(fleet()[2]!, epoch + 1000), /^unreachable since \d\d:\d\d:\d\d: the connection closed; retry in 3\.0s$/);
	assert.match(hostState(fleet()[0]!, epoch), /^up since \d\d:\d\d:\d\d, pid 1234$/);
	assert.equal(hostState(fleet()[3]!, epoch), 'connecting…');
});

/** A fleet of stubs: the calls each host's handle got. */
function stubFleet(hosts: FleetHostView[]) {
	const calls: string[] = [];
	const listeners = new Set<(host: string, event?: SupervisorEvent) => void>();
	const source: FleetSource = {
		hosts: () => hosts,
		handle: name => (hosts.find(each => each.name === name)?.status === 'up' ? {
			scaleBy(job, by) {
				calls.push(`${name} scale ${job} ${by}`);
			},
			pause(job) {
				calls.push(`${name} pause ${job}`);
			},
			resume(job) {
				calls.push(`${name} resume ${job}`);
			},
			restart(job) {
				calls.push(`${name} restart ${job}`);
			},
		} : undefined),
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
	const emit = (host: string, event: SupervisorEvent) => {
		for (const listener of listeners) {
			listener(host, event);
		}
	};

	return {source, calls, emit};
}

/** The fleet view on `source`, `columns` wide, unmounted when the test ends; its last frame as text, and a wait on it. */
function renderFleet(t: TestContext, source: FleetSource, columns: number) {
	const instance = render(createElement(FleetApp, {fleet: source, capabilities: {unicode: false, color: false}, size: {columns, rows: 24}}));
	t.after(() => {
		instance.unmount();
	});
	const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
	const until = async (condition: () => boolean, what: string) => waitFor(condition, what, 3000, () => `last frame:\n${frame()}`);
	return {instance, frame, until};
}

test('fleet view: Enter shows a job\'s hosts; + acts on the selected host; p on a job asks, and y pauses it on every host that answers', async t => {
	const {source, calls} = stubFleet(fleet());
	const {instance, frame, until} = renderFleet(t, source, 120);
	await until(() => instance.stdin.listenerCount('readable') > 0 && frame().includes('Jobs'), 'the first frame');
	assert.match(lineWith(frame(), 'emails'), /^> \+ emails +2 of 3 +dependent +5\/5\/6 +40 +26 +13 +1 err 3 +2\.0s!/);
	assert.match(frame(), /fleet \| 4 hosts \| 2 up \| 3 jobs \| 6 runs \| 1 unreachable/);
	assert.match(lineWith(frame(), 'feeds'), /^ {2}\+ feeds +0 of 1 +down *$/);
	assert.match(lineWith(frame(), 'web3 '), /unreachable since \d\d:\d\d:\d\d: the connection closed; retry in/);

	instance.stdin.write(keys.enter);
	const hostRow = (name: string) => frame().split('\n').find(line => new RegExp(`^.{4}emails +${name} `).test(line)) ?? '';
	await until(() => hostRow('web1') !== '', 'the hosts of emails');
	assert.match(hostRow('web2'), /^ {4}emails +web2 +dependent +2\/2\/2 +30 +20 +10 +0 err 3 +2\.0s!/);
	assert.match(hostRow('web3'), /^ {4}emails +web3 +down *$/);
	instance.stdin.write('j');
	instance.stdin.write('+');
	await until(() => calls.length === 1, 'a scale on web1');
	assert.deepEqual(calls, ['web1 scale emails 1']);
	await until(() => frame().includes('web1: emails: instances +1'), 'the status line');

	// web3 is down: nothing is sent, and the status says so.
	instance.stdin.write('jj');
	instance.stdin.write('-');
	await until(() => frame().includes('web3 is unreachable: nothing sent'), 'the refusal');

	instance.stdin.write('g');
	instance.stdin.write('p');
	await until(() => frame().includes('Pause emails on 2 hosts (web1, web2)? y = yes, n = no'), 'the question');
	assert.equal(calls.length, 1, 'nothing is sent before y');
	instance.stdin.write('y');
	await until(() => calls.length === 3, 'pauses on both hosts');
	assert.deepEqual(calls.slice(1), ['web1 pause emails', 'web2 pause emails']);
	await until(() => frame().includes('emails: paused on 2 of 2 hosts'), 'the outcome');

	instance.stdin.write('r');
	await until(() => frame().includes('Restart every run of emails on 2 hosts'), 'the restart question');
	instance.stdin.write('n');
	await until(() => frame().includes('nothing done'), 'the cancel');
	assert.equal(calls.length, 3);

	instance.stdin.write('?');
	await until(() => frame().includes('Help: keys and columns') && frame().includes('every daemon goes on running'), 'the help');
});

test('fleet view: what a host says of itself reaches the status line, its warnings as its errors', async t => {
	const {source, emit} = stubFleet(fleet());
	const {frame, until} = renderFleet(t, source, 160);
	await until(() => frame().includes('Jobs'), 'the first frame');
	emit('web1', {time: takenAt, type: 'supervisor-warning', message: 'the spawner thread does not serve (unshare(CLONE_FILES): EPERM)'});
	await until(() => frame().includes('web1: the spawner thread does not serve (unshare(CLONE_FILES): EPERM)'), 'the warning');
	emit('web2', {time: takenAt, type: 'supervisor-error', message: 'could not write the run history'});
	await until(() => frame().includes('web2: could not write the run history'), 'the error');
});
