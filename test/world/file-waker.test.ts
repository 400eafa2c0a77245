import assert from 'node:assert/strict';
import {mkdirSync, renameSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {watchWakeFile} from '../../source/world/file-waker.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {collect, stopAfter} from './helpers.js';

/** What `touch` does: both times set to now. */
function touch(file: string): void {
	const now = new Date();
	utimesSync(file, now, now);
}

test('wake file: not there yet, nor its folders; created, then touched twice: a report for each', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'var/spool/wake');
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(file, listener));
	mkdirSync(join(folder, 'var/spool'), {recursive: true});
	writeFileSync(file, '');
	await waitFor(() => readings.length >= 1, 'a report of the creation');
	for (const touches of [1, 2]) {
		const before = readings.length;
		touch(file);
		await waitFor(() => readings.length > before, `a report of touch ${touches}`);
	}

	assert.ok(readings.length >= 3);
	assert.ok(readings.every(reading => reading.kind === 'file'));
});

test('wake file: every touch after a report gives a new one, even when the times do not move', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'wake');
	writeFileSync(file, '');
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(file, listener));
	// The same times every time: mtime stays put (ctime may, within one coarse kernel tick).
	const fixed = new Date('2026-01-01T00:00:00Z');
	for (let touches = 1; touches <= 5; touches++) {
		const before = readings.length;
		utimesSync(file, fixed, fixed);
		await waitFor(() => readings.length > before, `a report of touch ${touches}`);
	}
});

test('wake file: a file there at the start is reported only once it changes; a write counts as a change', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'wake');
	writeFileSync(file, 'old');
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(file, listener));
	// A reading of another file as a clock: had the existing file been reported, it would be by now.
	const clockFile = join(folder, 'clock');
	const clock = collect();
	stopAfter(t, watchWakeFile(clockFile, clock.listener));
	writeFileSync(clockFile, '');
	await waitFor(() => clock.readings.length >= 1, 'the clock file\'s report');
	assert.equal(readings.length, 0);
	writeFileSync(file, 'new content');
	await waitFor(() => readings.length >= 1, 'a report of the write');
});

test('wake file: removed, then made again: the re-creation is reported', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'wake');
	writeFileSync(file, '');
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(file, listener));
	rmSync(file);
	writeFileSync(file, '');
	await waitFor(() => readings.length >= 1, 'a report of the re-creation');
});

test('wake file: its folder removed and made again: a file created in the new folder is reported', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'spool/wake');
	mkdirSync(join(folder, 'spool'));
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(file, listener));
	rmSync(join(folder, 'spool'), {recursive: true});
	mkdirSync(join(folder, 'spool'));
	writeFileSync(file, '');
	await waitFor(() => readings.length >= 1, 'a report of the file in the new folder');
	const before = readings.length;
	touch(file);
	await waitFor(() => readings.length > before, 'a report of a touch after that');
});

test('wake file: a file renamed onto the path is reported', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'wake');
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(file, listener));
	writeFileSync(join(folder, 'wake.tmp'), 'ready');
	renameSync(join(folder, 'wake.tmp'), file);
	await waitFor(() => readings.length >= 1, 'a report of the rename');
});

test('wake file: a folder as the path: a file dropped into it is reported', async t => {
	const folder = temporaryFolder(t);
	const spool = join(folder, 'spool');
	mkdirSync(spool);
	const {readings, listener} = collect();
	stopAfter(t, watchWakeFile(spool, listener));
	for (const name of ['first', 'second']) {
		const before = readings.length;
		writeFileSync(join(spool, name), '');
		await waitFor(() => readings.length > before, `a report of the file ${name}`);
	}
});

test('wake file: after stop, a touch is not reported', async t => {
	const folder = temporaryFolder(t);
	const file = join(folder, 'wake');
	writeFileSync(file, '');
	const {readings, listener} = collect();
	await watchWakeFile(file, listener).stop();
	const clockFile = join(folder, 'clock');
	const clock = collect();
	stopAfter(t, watchWakeFile(clockFile, clock.listener));
	touch(file);
	writeFileSync(clockFile, '');
	await waitFor(() => clock.readings.length >= 1, 'the clock file\'s report');
	assert.equal(readings.length, 0);
});
