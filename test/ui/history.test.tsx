import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {HistoryEntry} from '../../source/core/run-history.js';
import {sparkline} from '../../source/ui/sparkline.js';
import {lineWith, renderApp} from '../helpers/render-app.js';
import {epoch, makeJob, makeSnapshot, StubHandle} from '../helpers/stub-handle.js';

function ended(runId: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		job: 'send-emails', runId, slot: runId % 2, pid: 5000 + runId, startedAt: epoch + (runId * 1000), endedAt: epoch + (runId * 1000) + 1500, duration: 1500,
		result: 'done', code: 0, signal: null, stopReason: null, spawnError: null, lastLine: `sent batch ${runId}`, ...overrides,
	};
}

test('sparkline: scaled from 0 to the largest, the last values that fit; ASCII levels without Unicode', () => {
	assert.equal(sparkline([1, 2, 4, 8], 4, true), '▁▂▄█');
	assert.equal(sparkline([1, 2, 4, 8], 2, true), '▄█');
	assert.equal(sparkline([0, 8], 2, false), '_#');
	assert.equal(sparkline([], 5, true), '');
});

test('TUI: h shows the selected job\'s last runs, newest first, and scrolls back through older ones', async t => {
	const handle = new StubHandle(makeSnapshot({jobs: [makeJob({name: 'send-emails', recentDurations: [100, 200, 400, 800]})]}));
	handle.historyEntries = Array.from({length: 40}, (_, index) => ended(40 - index));
	handle.historyEntries[1] = ended(39, {result: 'error', code: 3, lastLine: 'could not connect'});
	const app = renderApp(handle, {columns: 120, rows: 30});
	t.after(app.unmount);
	await app.ready();
	assert.match(lineWith(app.frame(), 'send-emails'), / _\.=#$/, 'a sparkline of the last durations (ASCII here)');
	await app.press('h');
	const frame = await app.waitFor(text => text.includes('History of send-emails') && text.includes('run 40'), 'the history pane');
	assert.match(lineWith(frame, 'run 40'), /run 40 {2}slot 0 {2}pid 5040 +1\.5s {2}done \(exit 0\) {2}"sent batch 40"/);
	assert.match(lineWith(frame, 'run 39'), /error \(exit 3\) {2}"could not connect"/);
	assert.ok(frame.indexOf('run 40') < frame.indexOf('run 39'), 'newest first');
	assert.deepEqual(handle.called('history').at(-1), [{job: 'send-emails', limit: 500}]);
	await app.press('\t');
	await app.press('\t');
	await app.press('G');
	const scrolled = await app.waitFor(text => text.includes('run 1 '), 'the oldest run after G');
	assert.doesNotMatch(scrolled, /run 40 /);
	await app.press('h');
	await app.waitFor(text => !text.includes('History of'), 'the events again');
});
