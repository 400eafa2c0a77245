import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {BoundedList} from '../../source/core/bounded-list.js';
import {detectCapabilities} from '../../source/ui/display.js';
import {lineWith, renderApp} from '../helpers/render-app.js';
import {epoch, makeJob, makeSnapshot, makeWorkers, StubHandle} from '../helpers/stub-handle.js';

const started = (runId: number, time = epoch): SupervisorEvent => ({time, job: 'send-emails', type: 'run-started', runId, slot: 0, pid: 4000 + runId, startedAt: time});

test('header: fatc\'s name, pid, uptime, its own CPU and memory, and the jobs and runs it has', async t => {
	const snapshot = makeSnapshot({name: 'mysite', pid: 4242, jobs: [makeJob({name: 'a', workers: makeWorkers(2)}), makeJob({name: 'b', workers: makeWorkers(1, 5)})], usage: {cpuPercent: 3.4, memoryBytes: 52 * 1024 * 1024}});
	const app = renderApp(new StubHandle(snapshot));
	t.after(app.unmount);
	const header = (await app.ready()).split('\n')[0]!;
	assert.equal(header.trimEnd(), 'mysite | pid 4242 | up 1m 05s | cpu 3.4% | mem 52M | 2 jobs | 3 runs');
});

test('header: a failed reload shows its error under the header, with the running config kept', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({configError: '/srv/.fatcontrollerrc: jobs.a.instances: expected a positive integer, got -1'})));
	t.after(app.unmount);
	assert.match(await app.ready(), /^config error \(running config kept\): \/srv\/\.fatcontrollerrc: jobs\.a\.instances: expected a positive integer, got -1/m);
});

test('event lines: the events from before the UI and after, newest at the bottom, in fatc run\'s words', async t => {
	const handle = new StubHandle();
	const app = renderApp(handle, {earlierEvents: () => [{time: epoch, type: 'supervisor-started', pid: 1234, jobs: 1}, started(1)]});
	t.after(app.unmount);
	await app.ready();
	handle.emit({time: epoch + 1000, job: 'send-emails', type: 'run-ended', runId: 1, slot: 0, pid: 4001, result: 'error', code: 3, signal: null, duration: 1000, startedAt: epoch});
	handle.emit({time: epoch + 1000, job: 'send-emails', type: 'scaled', from: 4, to: 5});
	handle.emit({time: epoch + 1000, job: 'send-emails', type: 'run-warning', runId: 2, slot: 1, pid: 4002, runTime: 3_600_000});
	handle.emit({time: epoch + 1000, job: 'send-emails', type: 'run-stopping', runId: 2, slot: 1, pid: 4002, reason: 'timeout'});
	handle.emit({time: epoch + 1000, type: 'supervisor-error', message: 'Could not open log file /x'});
	const frame = await app.waitFor(text => text.includes('Could not open log file'), 'the events');
	const lines = frame.split('\n');
	const events = lines.slice(lines.findIndex(line => line.startsWith('-- Events')) + 1, -1).filter(line => line.trim() !== '').map(line => line.replace(/^\d\d:\d\d:\d\d /, '').trimEnd());
	assert.deepEqual(events, [
		'fatc started (pid 1234, 1 job)',
		'send-emails[0] run 1 started (pid 4001)',
		'send-emails[0] run 1 ended: error (exit 3) after 1.0s',
		'send-emails instances 4 -> 5',
		'send-emails[1] warn: run 2 (pid 4002) still running after 1h 00m',
		'send-emails[1] run 2 (pid 4002) timed out: stopping',
		'fatc error: Could not open log file /x',
	]);
});

test('a burst of 1,000 events costs one snapshot, not 1,000: the view pulls at most every 100 ms', async t => {
	const handle = new StubHandle();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	const before = handle.snapshotCount;
	for (let runId = 1; runId <= 1000; runId++) {
		handle.emit(started(runId));
	}

	await app.waitFor(frame => frame.includes('run 1000 started'), 'the last event to show');
	assert.ok(handle.snapshotCount - before <= 2, `${handle.snapshotCount - before} snapshots for 1,000 events`);
	assert.ok(!app.frame().includes('run 800 started'), 'only the events that fit are shown');
});

test('without events the view still pulls a snapshot every second, so countdowns and run times move', async t => {
	const handle = new StubHandle();
	const app = renderApp(handle);
	t.after(app.unmount);
	await app.ready();
	const before = handle.snapshotCount;
	await app.waitUntil(() => handle.snapshotCount >= before + 2, 'two ticks', 5000);
});

test('the UI unsubscribes from the handle when it goes', async t => {
	const handle = new StubHandle();
	const app = renderApp(handle);
	await app.ready();
	assert.equal(handle.listenerCount(), 1);
	app.unmount();
	await app.waitUntil(() => handle.listenerCount() === 0, 'the unsubscribe');
	t.diagnostic('unsubscribed');
});

test('the event list is bounded: it keeps the last items only', () => {
	const list = new BoundedList<number>(200);
	for (let index = 1; index <= 1000; index++) {
		list.push(index);
	}

	const items = list.toArray();
	assert.equal(items.length, 200);
	assert.equal(items[0], 801);
	assert.equal(items.at(-1), 1000);
});

test('80x24 holds every pane in 24 rows, and a live resize reflows the frame', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({jobs: [makeJob({name: 'send-emails', instances: 4, workers: makeWorkers(4)})]})), {sizeFollowsTerminal: true});
	t.after(app.unmount);
	const stdout = app.stdout as unknown as {columns: number; rows: number; emit(event: string): void};
	Object.defineProperty(stdout, 'columns', {value: 80, configurable: true});
	Object.defineProperty(stdout, 'rows', {value: 24, configurable: true});
	stdout.emit('resize');
	const frame = await app.waitFor(text => text.split('\n').every(line => line.length <= 80) && text.includes('q quit'), 'the 80-column frame');
	assert.equal(frame.split('\n').length, 24, 'the frame fills the terminal, the keys on its last line');
	assert.match(frame.split('\n').at(-1)!, /q quit/);
	for (const pane of ['Jobs (1)', 'Runs of send-emails', 'Events']) {
		assert.ok(frame.includes(pane), `${pane} is shown`);
	}

	Object.defineProperty(stdout, 'columns', {value: 60, configurable: true});
	stdout.emit('resize');
	await app.waitFor(text => text.split('\n').every(line => line.length <= 60), 'the frame to fit 60 columns');
});

test('box characters on a UTF-8 terminal, plain ASCII otherwise', async t => {
	const unicode = renderApp(new StubHandle(), {unicode: true});
	t.after(unicode.unmount);
	assert.match(lineWith(await unicode.ready(), 'Jobs'), /^━━ Jobs \(1\) ━+$/);
	assert.match(unicode.frame(), /^── Runs of job ─+$/m);
	assert.match(unicode.frame(), /^› job/m);
	const ascii = renderApp(new StubHandle(), {unicode: false});
	t.after(ascii.unmount);
	assert.match(lineWith(await ascii.ready(), 'Jobs'), /^== Jobs \(1\) =+$/);
	assert.match(ascii.frame(), /^-- Runs of job -+$/m);
	assert.ok(/^[\u0020-\u007E\n]*$/.test(ascii.frame()), 'only ASCII characters');
});

test('capabilities: UTF-8 locales and able TERMs draw boxes; NO_COLOR, TERM=dumb and FATC_ASCII turn things off', () => {
	assert.deepEqual(detectCapabilities({LANG: 'en_US.UTF-8', TERM: 'xterm-256color'}), {unicode: true, color: true});
	assert.deepEqual(detectCapabilities({LC_ALL: 'C', LANG: 'en_US.UTF-8', TERM: 'xterm'}), {unicode: false, color: true});
	assert.deepEqual(detectCapabilities({LANG: 'C.UTF-8', TERM: 'linux'}), {unicode: false, color: true});
	assert.deepEqual(detectCapabilities({LANG: 'C.UTF-8', TERM: 'screen', NO_COLOR: '1'}), {unicode: true, color: false});
	assert.deepEqual(detectCapabilities({LANG: 'C.UTF-8', TERM: 'tmux-256color', NO_COLOR: ''}), {unicode: true, color: true});
	assert.deepEqual(detectCapabilities({LANG: 'C.UTF-8', TERM: 'dumb'}), {unicode: false, color: false});
	assert.deepEqual(detectCapabilities({LANG: 'C.UTF-8', TERM: 'xterm', FATC_ASCII: '1'}), {unicode: false, color: true});
});
