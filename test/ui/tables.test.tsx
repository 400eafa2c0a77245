import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';
import {epoch, makeJob, makeSnapshot, makeWorker, makeWorkers, StubHandle} from '../helpers/stub-handle.js';
import {formatRunTime} from '../../source/ui/runs-columns.js';

const takenAt = epoch + 65_000;

function exampleJobs() {
	return [
		makeJob({
			name: 'send-emails',
			model: 'dependent',
			instances: 4,
			allowed: 3,
			runs: 15,
			done: 3,
			more: 11,
			errors: 1,
			lastExit: {result: 'more', code: 64, signal: null, at: takenAt},
			averageDuration: 1200,
			lastDuration: 900,
			workers: [
				makeWorker({slot: 0, runId: 14, pid: 4321, startedAt: takenAt - 2500, cpuPercent: 4.2, memoryBytes: 3.2 * 1024 * 1024, lastLine: 'sending a batch of 10 emails'}),
				makeWorker({slot: 1, runId: 9, pid: 4300, startedAt: takenAt - 3_725_000, warned: true, cpuPercent: 0, memoryBytes: 512 * 1024}),
				makeWorker({slot: 2, runId: 15, pid: 4400, startedAt: takenAt - 400, state: 'stopping', stopReason: 'scale'}),
			],
		}),
		makeJob({name: 'resize-images', model: 'independent', instances: 2, allowed: 2, paused: true, phase: 'paused', runs: 9, done: 8, errors: 1, lastExit: {result: 'stopped', code: null, signal: 'SIGTERM', at: takenAt}, averageDuration: 2100, lastDuration: 2000}),
		makeJob({name: 'rebuild-feeds', model: 'fixed', runs: 4, done: 4, lastExit: {result: 'done', code: 0, signal: null, at: takenAt}, nextStartAt: takenAt + 7800, averageDuration: 1100, lastDuration: 1000}),
		makeJob({name: 'import-orders', model: 'dependent', runs: 2, errors: 2, lastExit: {result: 'error', code: 3, signal: null, at: takenAt}, nextStartAt: takenAt + 185_000}),
	];
}

test('jobs table: name, model, running/allowed/instances, paused, runs, done/more/error counts, last exit, next start, average and last duration', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({takenAt, jobs: exampleJobs()})), {columns: 120});
	t.after(app.unmount);
	const frame = await app.ready();
	assert.match(lineWith(frame, 'JOB'), /JOB +MODEL +R\/A\/I +STATE +RUNS +DONE +MORE +ERR +EXIT +NEXT +AVG +LAST +DURATIONS$/);
	assert.match(lineWith(frame, 'send-emails'), /^> send-emails +dependent +3\/3\/4 +15 +3 +11 +1 more 64 +- +1\.2s +900ms$/);
	assert.match(lineWith(frame, 'resize-images'), /^ {2}resize-images +independent +0\/2\/2 +paused +9 +8 +0 +1 stop TERM +2\.1s +2\.0s$/);
	assert.match(lineWith(frame, 'rebuild-feeds'), /^ {2}rebuild-feeds +fixed +0\/1\/1 +4 +4 +0 +0 done 0 +7\.8s +1\.1s +1\.0s$/);
	assert.match(lineWith(frame, 'import-orders'), /^ {2}import-orders +dependent +0\/1\/1 +2 +0 +0 +2 err 3 +3m 05s! +- +-$/);
});

test('jobs table: the next start counts down from the snapshot\'s own time, so a new snapshot moves it', async t => {
	const handle = new StubHandle(makeSnapshot({takenAt, jobs: exampleJobs()}));
	const app = renderApp(handle, {columns: 120});
	t.after(app.unmount);
	assert.match(lineWith(await app.ready(), 'rebuild-feeds'), / 7\.8s /);
	handle.change(makeSnapshot({takenAt: takenAt + 5000, jobs: exampleJobs()}));
	await app.waitFor(frame => / 2\.8s /.test(lineWith(frame, 'rebuild-feeds')), 'the countdown to move with the snapshot');
	assert.match(lineWith(app.frame(), 'import-orders'), / 3m 00s! /);
});

test('jobs table at 80 columns keeps every name whole and gives up MODEL and LAST first', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({takenAt, jobs: exampleJobs()})), {columns: 80, rows: 24});
	t.after(app.unmount);
	const frame = await app.ready();
	assert.match(lineWith(frame, 'JOB'), /^ {2}JOB +R\/A\/I +STATE +RUNS +DONE +MORE +ERR +EXIT +NEXT +AVG$/);
	for (const name of ['send-emails', 'resize-images', 'rebuild-feeds', 'import-orders']) {
		assert.ok(frame.includes(`${name} `), `${name} is shown whole`);
	}

	assert.ok(frame.split('\n').every(line => line.length <= 80), 'no line is wider than the terminal');
	assert.ok(frame.split('\n').length <= 24, 'the frame fits in 24 rows');
});

test('runs table: slot, run, pid, state, run time, CPU and memory of the process group, last output line', async t => {
	const app = renderApp(new StubHandle(makeSnapshot({takenAt, jobs: exampleJobs()})), {columns: 120});
	t.after(app.unmount);
	const frame = await app.ready();
	assert.match(lineWith(frame, 'SLOT'), /^ {2}SLOT +RUN +PID +STATE +TIME +CPU +MEM +LAST LINE$/);
	assert.match(lineWith(frame, '#14'), /^> +0 +#14 +4321 +running +2s +4\.2% +3\.2M +sending a batch of 10 emails$/);
	assert.match(lineWith(frame, '#9 '), /^ {2} +1 +#9 +4300 +overdue +1h 02m +0\.0% +512K$/);
	assert.match(lineWith(frame, '#15'), /^ {2} +2 +#15 +4400 +stopping +<1s +- +-$/);
});

test('runs table: a run\'s time counts whole seconds, so a new snapshot within the same second leaves its cell as it was', () => {
	assert.deepEqual([0, 999, 1000, 2500, 9999, 59_999, 65_000, 3_725_000].map(formatRunTime), ['<1s', '<1s', '1s', '2s', '9s', '59s', '1m 05s', '1h 02m']);
});

test('runs table: a run\'s last line is shown without its escape codes and controls', async t => {
	const job = makeJob({name: 'noisy', workers: [makeWorker({lastLine: '\u001B[31mred\u001B[0m\tand\u0007 \u001B]0;title\u0007bell'})]});
	const app = renderApp(new StubHandle(makeSnapshot({jobs: [job]})));
	t.after(app.unmount);
	await app.ready();
	assert.match(app.lastFrame()!, /red {2}and bell/);
	assert.ok(!app.lastFrame()!.includes('\u0007'));
});

test('runs table with 1,000 runs renders only the rows that fit, and the selection scrolls the window', async t => {
	const job = makeJob({name: 'big', instances: 1000, allowed: 1000, workers: makeWorkers(1000)});
	const app = renderApp(new StubHandle(makeSnapshot({jobs: [job, makeJob({name: 'small'})]})), {columns: 100, rows: 24});
	t.after(app.unmount);
	const frame = await app.ready();
	const runRows = frame.split('\n').filter(line => / #\d+ /.test(line));
	assert.ok(runRows.length > 0 && runRows.length <= 8, `only the rows that fit are rendered (${runRows.length})`);
	assert.match(frame, /Runs of big 1-\d of 1000/);
	app.press(keys.tab);
	await app.waitFor(frame => /^== Runs of big/m.test(frame), 'the runs table to take the focus');
	app.press('G');
	await app.waitFor(frame => lineWith(frame, '#1000').startsWith('>') && /of 1000/.test(frame), 'G to show and select the last run');
	assert.ok(!app.frame().includes(' #1 '), 'the first run scrolled out');
	app.press(keys.pageDown);
	app.press('g');
	await app.waitFor(frame => lineWith(frame, ' #1 ').startsWith('>'), 'g to go back to the first run');
});

test('jobs table with 200 jobs shows a window of them and follows the selection', async t => {
	const jobs = Array.from({length: 200}, (_, index) => makeJob({name: `job-${String(index).padStart(3, '0')}`}));
	const app = renderApp(new StubHandle(makeSnapshot({jobs})), {columns: 80, rows: 24});
	t.after(app.unmount);
	const frame = await app.ready();
	assert.match(frame, /Jobs \(200\) 1-\d of 200/);
	assert.ok(!frame.includes('job-150'));
	app.press('G');
	await app.waitFor(frame => lineWith(frame, 'job-199').startsWith('>'), 'G to select the last job');
	assert.ok(!app.frame().includes('job-000'));
});
