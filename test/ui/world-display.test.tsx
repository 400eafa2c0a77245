import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatStatus} from '../../source/reporters/format-status.js';
import {lineWith, renderApp} from '../helpers/render-app.js';
import {epoch, makeJob, makeSnapshot, StubHandle} from '../helpers/stub-handle.js';

const takenAt = epoch + 65_000;

function worldJobs() {
	return [
		makeJob({name: 'send-emails', instances: 8, allowed: 3, held: {reason: 'load 2.6/cpu > 2', since: takenAt - 5000}, backlog: {count: 120, target: 3, failed: null}}),
		makeJob({name: 'rebuild-feeds', quiet: {until: takenAt + 3_600_000, instances: 0}}),
		makeJob({name: 'import-orders', backlog: {count: null, target: null, failed: 'exit status 2'}}),
	];
}

test('TUI: STATE says held or quiet, WAIT shows the backlog, and the runs title says why', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({takenAt, jobs: worldJobs()})), {columns: 120});
	t.after(app.unmount);
	const frame = await app.waitFor(text => text.includes('send-emails'), 'the jobs');
	assert.match(lineWith(frame, 'JOB'), /R\/A\/I +WAIT +STATE +RUNS/);
	assert.match(lineWith(frame, 'send-emails'), /0\/3\/8 +120 +held /);
	assert.match(lineWith(frame, 'rebuild-feeds'), / quiet /);
	assert.match(lineWith(frame, 'import-orders'), / \? /);
	assert.match(lineWith(frame, 'Runs of send-emails'), /Runs of send-emails · held: load 2\.6\/cpu > 2 · backlog 120 -> 3 runs/);
	assert.match(frame, /held: no runs/);
});

test('TUI: no WAIT column when no job has a backlog', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({takenAt, jobs: [makeJob({name: 'plain'})]})), {columns: 120});
	t.after(app.unmount);
	const frame = await app.waitFor(text => text.includes('plain'), 'the job');
	assert.doesNotMatch(lineWith(frame, 'JOB'), /WAIT/);
});

test('fatc status: the state column and one line per condition under the job', () => {
	const text = formatStatus(makeSnapshot({takenAt, jobs: worldJobs()}));
	assert.match(text, /send-emails +dependent +0\/3\/8 +held /);
	assert.match(text, /\n {2}held: load 2\.6\/cpu > 2\n {2}backlog 120 -> 3 runs\n/);
	assert.match(text, /rebuild-feeds +dependent +0\/1\/1 +quiet /);
	assert.match(text, /\n {2}quiet until \S+ \(no new runs\)\n/);
	assert.match(text, /\n {2}backlog probe fails: exit status 2\n/);
});

test('fatc status: a line of the last 15 minutes\' figures under each job that ran', () => {
	const statistics = [
		{window: '1m', runs: 3, perMinute: 3, done: 2, more: 0, errors: 1, stopped: 0, durationP50: 1200, durationP95: 3400, durationMax: 5000, heldFor: 0},
		{window: '15m', runs: 42, perMinute: 2.8, done: 40, more: 0, errors: 2, stopped: 0, durationP50: 1200, durationP95: 3400, durationMax: 5000, heldFor: 130_000},
	];
	const text = formatStatus(makeSnapshot({takenAt, jobs: [makeJob({name: 'busy', statistics}), makeJob({name: 'idle'})]}));
	assert.match(text, /\n {2}last 15m: 42 runs \(2\.8\/min\), 40 done, 2 errors; took p50 1\.2s, p95 3\.4s, max 5\.0s; held 2m 10s\n/);
	assert.equal((text.match(/last 15m/g) ?? []).length, 1, 'nothing for a job that did not run');
});

test('a job of 0 instances is "off" in the TUI\'s STATE and in fatc status; t on it says why nothing starts', async t => {
	const handle = new StubHandle(makeSnapshot({takenAt, jobs: [makeJob({name: 'spare', instances: 0, allowed: 0})]}));
	assert.match(formatStatus(handle.current), /spare +dependent +0\/0\/0 +off /);
	const app = renderApp(handle, {columns: 120});
	t.after(app.unmount);
	const frame = await app.waitFor(text => text.includes('spare'), 'the job');
	assert.match(lineWith(frame, 'spare'), / off /);
	app.press('t');
	await app.waitFor(text => text.includes('not triggered: it has 0 instances'), 'the reason');
	assert.deepEqual(handle.called('trigger'), []);
});
