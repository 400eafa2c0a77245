import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import type {HistoryEntry} from '../../source/core/run-history.js';
import {runCli} from '../helpers/cli.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {readRunRecords, type RunRecord} from '../helpers/run-records.js';
import {waitFor} from '../helpers/wait-for.js';

/** A config with one job, `work`, of two slots: slot 0 exits 0 (done), slot 1 exits 64 (more); runs of 0.1 s. */
async function historyFolder(t: TestContext) {
	const {folder, records} = await daemonFolder(t, {name: 'hist', runSeconds: 0.1, env: {EXIT_BY_SLOT: '0 64'}});
	const fatc = async (...args: string[]) => {
		const result = await runCli(args, {cwd: folder});
		assert.equal(result.code, 0, `fatc ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	};

	return {
		folder,
		records,
		file: join(folder, 'logs/hist.history.ndjson'),
		fatc,
		history: async (...args: string[]) => JSON.parse(await fatc('history', '--json', '--limit', '10000', ...args)) as HistoryEntry[],
	};
}

const key = (entry: HistoryEntry) => `${entry.runId}@${entry.startedAt}`;

/** Each entry against the run's own record (same pid): its run number and slot, and the result its slot exits with. */
function assertMatchesRecords(entries: HistoryEntry[], records: RunRecord[]) {
	const byPid = new Map(records.map(record => [record.pid, record]));
	for (const entry of entries) {
		const record = byPid.get(entry.pid!);
		if (record === undefined) {
			// Stopped before the script wrote its start: nothing to hold it against.
			assert.equal(entry.result, 'stopped', JSON.stringify(entry));
			continue;
		}

		assert.equal(entry.runId, record.run, JSON.stringify(entry));
		assert.equal(entry.slot, record.slot, JSON.stringify(entry));
		if (entry.result !== 'stopped') {
			assert.deepEqual([entry.result, entry.code, entry.signal], entry.slot === 0 ? ['done', 0, null] : ['more', 64, null], JSON.stringify(entry));
		}
	}
}

test('fatc history: the daemon\'s runs as their own records tell them; they outlive a restart, once each; without a daemon it reads the file', async t => {
	const folder = await historyFolder(t);
	await folder.fatc('--detach');
	let first: HistoryEntry[] = [];
	await waitFor(async () => {
		first = await folder.history();
		return first.length >= 6;
	}, 'six runs to end', 15_000);
	assert.ok(first.every((entry, index) => index === 0 || entry.endedAt <= first[index - 1]!.endedAt), 'newest first');
	assertMatchesRecords(first, readRunRecords(folder.records));
	assert.ok(first.some(entry => entry.result === 'done') && first.some(entry => entry.result === 'more'));
	await folder.fatc('stop');

	// Stopped: every run is gone and its end written; the file holds each run once, and every run that ran.
	const stopped = await folder.history();
	const records = readRunRecords(folder.records);
	assertMatchesRecords(stopped, records);
	const entryPids = new Set(stopped.map(entry => entry.pid));
	assert.deepEqual(records.filter(record => !entryPids.has(record.pid)), [], 'every run that started has its entry');
	assert.equal(new Set(stopped.map(key)).size, stopped.length, 'no run twice');
	for (const entry of first) {
		assert.ok(stopped.some(each => key(each) === key(entry)), `${key(entry)} is still there`);
	}

	const lines = readFileSync(folder.file, 'utf8').trimEnd().split('\n');
	assert.equal(lines.length, stopped.length, 'one line per run in the file');

	await folder.fatc('--detach');
	let again: HistoryEntry[] = [];
	await waitFor(async () => {
		again = await folder.history();
		return again.length >= stopped.length + 4;
	}, 'four more runs to end', 15_000);
	assert.equal(new Set(again.map(key)).size, again.length, 'no run twice after the restart');
	for (const entry of stopped) {
		assert.ok(again.some(each => key(each) === key(entry)), `${key(entry)} came back from the file`);
	}

	const before = (await folder.history('--since', '1h')).length;
	assert.ok(before >= again.length);
	const newestTwo = await folder.history('work', '--limit', '2');
	assert.equal(newestTwo.length, 2);
	await folder.fatc('stop');

	const afterwards = await folder.history();
	assert.equal(new Set(afterwards.map(key)).size, afterwards.length);
	assert.equal(readFileSync(folder.file, 'utf8').trimEnd().split('\n').length, afterwards.length, 'the second daemon appended only its own runs');
	assertMatchesRecords(afterwards, readRunRecords(folder.records));

	const text = (await folder.fatc('history', 'work', '--limit', '3')).trimEnd().split('\n');
	assert.equal(text.length, 4);
	assert.match(text[0]!, /^ENDED +JOB +RUN +SLOT +PID +TOOK +RESULT +LAST LINE$/);
	const newest = afterwards[0]!;
	assert.match(text[1]!, new RegExp(`^${new Date(newest.endedAt).toISOString()}  work  +${newest.runId} +${newest.slot} +${newest.pid} +\\S+ +${newest.result} \\(`));
});

test('fatc history: exit 3 with no daemon and no history, 2 for a --since or --limit that is not one', async t => {
	const folder = await historyFolder(t);
	const none = await runCli(['history'], {cwd: folder.folder});
	assert.equal(none.code, 3, none.stderr);
	assert.match(none.stderr, /no fatc "hist" is running and it has no run history \(.*hist\.history\.ndjson\)/);
	const since = await runCli(['history', '--since', 'yesterday'], {cwd: folder.folder});
	assert.equal(since.code, 2);
	assert.match(since.stderr, /--since: expected a duration/);
	const limit = await runCli(['history', '--limit', '0'], {cwd: folder.folder});
	assert.equal(limit.code, 2);
	const extra = await runCli(['history', 'work', 'more'], {cwd: folder.folder});
	assert.equal(extra.code, 2);
});
