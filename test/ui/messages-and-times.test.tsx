import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fitColumns} from '../../source/ui/columns.js';
import {displayFor} from '../../source/ui/display.js';
import {fittingHints} from '../../source/ui/footer.js';
import {configErrorLines} from '../../source/ui/header.js';
import {jobColumns} from '../../source/ui/jobs-columns.js';
import {computeLayout} from '../../source/ui/layout.js';
import {lineWith, renderApp} from '../helpers/render-app.js';
import {epoch, makeJob, makeSnapshot, makeWorker, StubHandle} from '../helpers/stub-handle.js';

const takenAt = epoch + 65_000;
const configError = '/srv/site/config/jobs.yml: jobs.send-emails-to-customers.instances: expected a positive integer, got -1';

test('runs table: a run waiting for its spawn shows as starting, no pid and no run time; a spawned one counts from its spawn', async t => {
	const job = makeJob({name: 'work', instances: 2, workers: [
		makeWorker({slot: 0, runId: 1, pid: null, startedAt: takenAt - 669, spawnedAt: null}),
		makeWorker({slot: 1, runId: 2, pid: 4321, startedAt: takenAt - 3000, spawnedAt: takenAt - 1000}),
	]});
	const app = renderApp(new StubHandle(makeSnapshot({takenAt, jobs: [job]})), {columns: 120});
	t.after(app.unmount);
	const frame = await app.ready();
	assert.match(lineWith(frame, '#1 '), /#1 +- +starting +- /);
	assert.doesNotMatch(frame, /669ms/);
	assert.match(lineWith(frame, '#2 '), /#2 +4321 +running +1(\.0)?s /, 'run time from the spawn, not the decision 3 s ago');
});

test('header: at 80 columns a config error wraps onto up to three lines, so its reason shows after the file and key path', async t => {
	const lines = configErrorLines(configError, 80);
	assert.ok(lines.length > 1 && lines.length <= 3);
	assert.ok(lines.every(line => line.length <= 80));
	assert.match(lines.join(' '), /expected a positive integer, got -1$/);
	assert.deepEqual(configErrorLines(null, 80), []);
	assert.match(configErrorLines('x '.repeat(400), 80).at(-1)!, /…$/, 'past three lines it is cut');

	const app = renderApp(new StubHandle(makeSnapshot({takenAt, configError})), {columns: 80, rows: 24});
	t.after(app.unmount);
	const frame = await app.ready();
	assert.match(frame, /got -1/);
	assert.equal(frame.split('\n').length, 24, 'the panes make room for the lines');
});

test('footer at 80 columns hints R and D (moves give way), and every hint at 120', () => {
	const {glyphs} = displayFor({unicode: false, color: false});
	const at80 = fittingHints(glyphs, 80).map(hint => hint.keys);
	for (const key of ['+-', 'r', 'p', 't', 'x', 'R', 'D', '?', 'q']) {
		assert.ok(at80.includes(key), `${key} at 80 columns: ${at80.join(' ')}`);
	}

	assert.equal(fittingHints(glyphs, 120).length, 13);
});

test('layout at 200x60: the bottom pane gets at most half, the runs table the rest; at 80x24 the events keep their lines', () => {
	const tall = computeLayout({rows: 60, jobs: 2, instances: 4, headerLines: 1});
	assert.ok(tall.runRows >= 20, `runs ${tall.runRows}, events ${tall.bottomRows}`);
	assert.ok(tall.bottomRows <= 27);
	assert.equal(tall.jobRows + tall.runRows + tall.bottomRows, 60 - 7);
	assert.deepEqual(computeLayout({rows: 24, jobs: 2, instances: 1, headerLines: 1}), {jobRows: 2, runRows: 1, bottomRows: 14});
	const many = computeLayout({rows: 24, jobs: 30, instances: 50, headerLines: 1});
	assert.equal(many.jobRows + many.runRows + many.bottomRows, 24 - 7);
});

test('jobs table at 200 columns: the JOB column is at most 40 wide', () => {
	const fitted = fitColumns(jobColumns(takenAt), 200);
	assert.equal(fitted.find(column => column.title === 'JOB')!.width, 40);
	assert.equal(fitColumns(jobColumns(takenAt), 80).find(column => column.title === 'JOB')!.width >= 12, true);
});
