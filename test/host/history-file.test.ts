import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {HistoryEntry} from '../../source/core/run-history.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import type {SupervisorHandle} from '../../source/core/supervisor-handle.js';
import {createHistoryWriter, historyFilePath, keepHistory} from '../../source/host/history-file.js';
import {queryHistoryFile, readHistoryTail} from '../../source/host/read-history.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

function entry(job: string, runId: number, more: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		job,
		runId,
		slot: runId % 3,
		pid: 1000 + runId,
		startedAt: 1_000_000 + runId * 10,
		endedAt: 1_000_000 + runId * 10 + 5,
		duration: 5,
		result: 'done',
		code: 0,
		signal: null,
		stopReason: null,
		spawnError: null,
		lastLine: `line ${runId}`,
		...more,
	};
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(line => line !== '');

test('history file: the runs that end within batchDelay go in one append, handed over after it or at flushed(); close writes what waits', async t => {
	const folder = temporaryFolder(t);
	const appended: string[] = [];
	const writerWith = (batchDelay: number) => createHistoryWriter({
		file: join(folder, 'turn.history.ndjson'),
		onEvent: event => assert.fail(JSON.stringify(event)),
		batchDelay,
		async appendText(_file, text) {
			appended.push(text);
		},
	});
	const turn = async () => new Promise(resolve => {
		setImmediate(resolve);
	});
	const runIds = (text: string) => text.trim().split('\n').map(line => (JSON.parse(line) as HistoryEntry).runId);
	const waiting = writerWith(60_000);
	for (let runId = 1; runId <= 5; runId++) {
		waiting.append(entry('work', runId));
		await turn();
	}

	assert.equal(appended.length, 0, 'nothing handed over within batchDelay, over several loop turns');
	await waiting.flushed();
	assert.deepEqual(appended.map(text => runIds(text)), [[1, 2, 3, 4, 5]]);
	waiting.append(entry('work', 6));
	await waiting.close();
	assert.deepEqual(appended.map(text => runIds(text)), [[1, 2, 3, 4, 5], [6]], 'close writes what waits');

	const short = writerWith(5);
	short.append(entry('work', 7));
	short.append(entry('work', 8));
	await waitFor(() => appended.length === 3, 'the batch to be handed over by itself, without a flushed() call');
	assert.deepEqual(runIds(appended[2]!), [7, 8]);
	await short.close();
});

test('history file: each entry is one JSON line, in order; the tail read gives the last runs of each configured job, oldest first', async t => {
	const folder = temporaryFolder(t);
	const file = historyFilePath({name: 'app', logDir: join(folder, 'logs')});
	assert.equal(file, join(folder, 'logs/app.history.ndjson'));
	const events: SupervisorEvent[] = [];
	const writer = createHistoryWriter({file, onEvent: event => events.push(event)});
	for (let runId = 1; runId <= 30; runId++) {
		writer.append(entry(runId % 2 === 0 ? 'even' : 'odd', runId));
	}

	writer.append(entry('gone', 31));
	await writer.close();
	assert.deepEqual(events, [], 'the missing logs folder was made');
	assert.deepEqual(lines(file).map(line => (JSON.parse(line) as HistoryEntry).runId), Array.from({length: 31}, (_, index) => index + 1));
	assert.deepEqual(JSON.parse(lines(file)[0]!), entry('odd', 1));

	const tail = readHistoryTail(file, {jobs: ['odd', 'even'], perJob: 4});
	assert.deepEqual(tail.entries.map(each => each.runId), [23, 24, 25, 26, 27, 28, 29, 30], 'oldest first, four of each, not the unconfigured job');
	assert.equal(tail.corrupt, 0);

	const newest = queryHistoryFile(file, {job: 'odd', since: entry('odd', 21).endedAt, limit: 3});
	assert.deepEqual(newest.entries.map(each => each.runId), [29, 27, 25]);
	assert.deepEqual(queryHistoryFile(file, {since: entry('odd', 28).endedAt, limit: 100}).entries.map(each => each.runId), [31, 30, 29, 28]);
	assert.equal(queryHistoryFile(join(folder, 'none.ndjson'), {limit: 10}).found, false);
});

test('history file: a start reads only the end of a long file, as far as it needs', t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'long.history.ndjson');
	// Unreadable lines at the start: a read that went that far would count them.
	const filler = `${'not json '.repeat(100)}\n`.repeat(30_000);
	const recent = Array.from({length: 2000}, (_, index) => `${JSON.stringify(entry('work', index + 1, {lastLine: 'é'.repeat(index % 50)}))}\n`).join('');
	writeFileSync(file, filler + recent);
	assert.ok(statSync(file).size > 20 * 1024 * 1024);

	const tail = readHistoryTail(file, {jobs: ['work'], perJob: 1000});
	assert.equal(tail.corrupt, 0, 'never reached the start');
	assert.deepEqual(tail.entries.map(each => each.runId), Array.from({length: 1000}, (_, index) => index + 1001));
	assert.equal(tail.entries[999]!.lastLine, 'é'.repeat(1999 % 50), 'characters cut by a chunk stay whole');

	// A job that has no runs near the end: the byte budget stops the read.
	const bounded = readHistoryTail(file, {jobs: ['work', 'rare'], perJob: 1000, maxBytes: 1024 * 1024});
	assert.equal(bounded.entries.length, 1000);
	assert.ok(bounded.corrupt > 0 && bounded.corrupt < 2000, `read about 1 MiB past the entries, not 20 MiB (${bounded.corrupt} filler lines)`);
});

test('history file: past maxBytes it becomes .1 (one old file is kept) and reads go on into it', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'app.history.ndjson');
	const lineBytes = `${JSON.stringify(entry('work', 100))}\n`.length;
	const writer = createHistoryWriter({file, maxBytes: lineBytes * 10, onEvent: event => assert.fail(JSON.stringify(event))});
	for (let runId = 100; runId < 125; runId++) {
		writer.append(entry('work', runId));
		// One write each, so the file is rotated at the line that would pass the limit.
		await writer.flushed();
	}

	await writer.close();
	assert.ok(!existsSync(`${file}.2`));
	const current = lines(file).map(line => (JSON.parse(line) as HistoryEntry).runId);
	const old = lines(`${file}.1`).map(line => (JSON.parse(line) as HistoryEntry).runId);
	assert.ok(statSync(file).size <= lineBytes * 10);
	assert.deepEqual([...old, ...current], Array.from({length: 25 - (old[0]! - 100)}, (_, index) => old[0]! + index), 'no line lost or repeated across the rotation');
	assert.ok(old[0]! > 100, 'the oldest file was replaced');
	assert.deepEqual(queryHistoryFile(file, {limit: 12}).entries.map(each => each.runId), Array.from({length: 12}, (_, index) => 124 - index));
	assert.deepEqual(readHistoryTail(file, {jobs: ['work'], perJob: 12}).entries.map(each => each.runId), Array.from({length: 12}, (_, index) => 113 + index));
});

test('history file: unreadable lines are skipped and counted, told in one line at start; a torn last line does not swallow the next entry', async t => {
	const folder = temporaryFolder(t);
	const configuration = {name: 'app', logDir: folder, runDir: folder, jobs: [{name: 'work'}]} as unknown as Parameters<typeof keepHistory>[0]['configuration'];
	const file = historyFilePath(configuration);
	writeFileSync(file, [
		JSON.stringify(entry('work', 1)),
		'{"job": "work", "runId": "two"}',
		'garbage',
		'',
		JSON.stringify(entry('work', 3)),
		JSON.stringify(entry('work', 4)).slice(0, 40),
	].join('\n'));

	const events: SupervisorEvent[] = [];
	const kept = keepHistory({configuration, onEvent: event => events.push(event)});
	assert.deepEqual(kept.earlier.map(each => each.runId), [1, 3]);
	let listener: ((event: SupervisorEvent) => void) | undefined;
	const supervisor = {subscribe(next: (event: SupervisorEvent) => void) {
		listener = next;
		return () => {
			listener = undefined;
		};
	}} as unknown as SupervisorHandle;
	const unsubscribe = kept.record(supervisor);
	assert.deepEqual(events.map(event => event.type === 'supervisor-error' && event.message), [`the run history ${file} has 3 unreadable lines: skipped`]);

	const ended = entry('work', 5);
	listener!({time: ended.endedAt, type: 'run-ended', job: 'work', runId: 5, slot: ended.slot, pid: ended.pid!, startedAt: ended.startedAt, duration: 5, result: 'done', code: 0, signal: null, lastLine: 'line 5'} as SupervisorEvent);
	listener!({time: ended.endedAt, type: 'run-started', job: 'work', runId: 6, slot: 0, pid: 7} as SupervisorEvent);
	unsubscribe();
	await kept.close();
	assert.deepEqual(JSON.parse(lines(file).at(-1)!), ended);
	assert.deepEqual(readHistoryTail(file, {jobs: ['work']}).entries.map(each => each.runId), [1, 3, 5], 'the torn line stays one bad line');
});

test('history file: a failed write is one error event, the entries wait, and writing resumes with nothing lost', async t => {
	const folder = temporaryFolder(t);
	const logDir = join(folder, 'logs');
	const file = join(logDir, 'app.history.ndjson');
	// The folder is a file: neither the append nor making the folder can work.
	writeFileSync(logDir, 'in the way');
	const events: SupervisorEvent[] = [];
	const writer = createHistoryWriter({file, retryDelay: 20, onEvent: event => events.push(event)});
	writer.append(entry('work', 1));
	await waitFor(() => events.length > 0, 'the error event');
	writer.append(entry('work', 2));
	writer.append(entry('work', 3));
	assert.equal(events[0]!.type, 'supervisor-error');
	assert.match((events[0] as {message: string}).message, /could not write the run history .*app\.history\.ndjson: .*(ENOTDIR|EEXIST)/);

	rmSync(logDir);
	mkdirSync(logDir);
	await waitFor(() => events.length === 2, 'writing to resume');
	// The retries that failed meanwhile (every 20 ms) were not told again.
	assert.deepEqual(events[1], {time: events[1]!.time, type: 'log-resumed', file, droppedLines: 0, droppedBytes: 0});
	writer.append(entry('work', 4));
	await writer.close();
	assert.deepEqual(lines(file).map(line => (JSON.parse(line) as HistoryEntry).runId), [1, 2, 3, 4]);
});

test('history file: entries past maxPending wait no more: the oldest are dropped and counted when writing resumes', async t => {
	const folder = temporaryFolder(t);
	const logDir = join(folder, 'logs');
	const file = join(logDir, 'app.history.ndjson');
	writeFileSync(logDir, 'in the way');
	const events: SupervisorEvent[] = [];
	const writer = createHistoryWriter({file, retryDelay: 20, maxPending: 3, onEvent: event => events.push(event)});
	for (let runId = 1; runId <= 5; runId++) {
		writer.append(entry('work', runId));
	}

	await waitFor(() => events.length === 1, 'the error event');
	rmSync(logDir);
	mkdirSync(logDir);
	await waitFor(() => events.length === 2, 'writing to resume');
	await writer.close();
	assert.deepEqual(lines(file).map(line => (JSON.parse(line) as HistoryEntry).runId), [3, 4, 5]);
	const resumed = events[1] as Extract<SupervisorEvent, {type: 'log-resumed'}>;
	assert.equal(resumed.droppedLines, 2);
	assert.equal(resumed.droppedBytes, `${JSON.stringify(entry('work', 1))}\n${JSON.stringify(entry('work', 2))}\n`.length);
});
