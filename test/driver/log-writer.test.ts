import assert from 'node:assert/strict';
import {rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {LogWriter} from '../../source/driver/log-writer.js';
import {parseProcessStat} from '../../source/driver/proc-stat.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {readText} from './helpers.js';

test('log writer pauses its sources above the high-water mark and resumes them once written', async t => {
	const directory = temporaryFolder(t);
	const writer = new LogWriter(join(directory, 'nested', 'out.log'), {highWaterMark: 10});
	const events: string[] = [];
	const remove = writer.addSource({pause: () => events.push('pause'), resume: () => events.push('resume')});
	writer.write(Buffer.from('short\n'));
	assert.deepEqual(events, []);
	writer.write(Buffer.from('long enough\n'));
	assert.deepEqual(events, ['pause']);
	await writer.flushed();
	assert.deepEqual(events, ['pause', 'resume']);
	remove();
	await writer.close();
	assert.equal(readText(join(directory, 'nested', 'out.log')), 'short\nlong enough\n');
});

test('log writer drops lines while its file cannot be opened, reports it, and never rejects', async t => {
	const directory = temporaryFolder(t);
	const errors: Error[] = [];
	writeFileSync(join(directory, 'blocker'), 'a file where a directory should be');
	const writer = new LogWriter(join(directory, 'blocker', 'out.log'), {onError: error => errors.push(error)});
	writer.write(Buffer.from('lost\n'));
	writer.write(Buffer.from('lost too\n'));
	await writer.flushed();
	await writer.close();
	assert.equal(errors.length, 1, 'a second open is not tried within the retry delay');
	assert.match(errors[0]!.message, /Could not open log file .*blocker/);
});

test('log writer reports a failing file once, not per line, and says what it dropped once it writes again', async t => {
	const directory = temporaryFolder(t);
	const errors: Error[] = [];
	const resumptions: unknown[] = [];
	writeFileSync(join(directory, 'blocker'), 'a file where a directory should be');
	const writer = new LogWriter(join(directory, 'blocker', 'out.log'), {
		onError: error => errors.push(error),
		onResumed: dropped => resumptions.push(dropped),
		retryDelay: 0,
	});
	for (const block of ['one\n', 'two\nthree\n', 'four\n']) {
		writer.write(Buffer.from(block));
		await writer.flushed();
	}

	assert.equal(errors.length, 1, 'one report for the whole failure');
	assert.deepEqual(resumptions, []);
	rmSync(join(directory, 'blocker'));
	writer.write(Buffer.from('five\n'));
	await writer.close();
	assert.deepEqual(resumptions, [{lines: 4, bytes: 19}]);
	assert.equal(readText(join(directory, 'blocker', 'out.log')), 'five\n');
});

test('stat parsing reads state and pgid after the last parenthesis of the command name', () => {
	assert.equal(parseProcessStat('42 (a) b (c) d) S 1 4242 4242 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 99 1000 55')?.group, 4242);
	assert.equal(parseProcessStat('43 (zombie) Z 1 4242 4242 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 99 1000 55'), undefined);
});

test('log writer reports the same failure again only after the repeat window, counting its lines all the same', async t => {
	for (const [repeatWindow, reports] of [[60_000, 1], [0, 2]] as const) {
		const directory = temporaryFolder(t);
		const blocker = join(directory, 'blocker');
		const errors: Error[] = [];
		const resumptions: unknown[] = [];
		writeFileSync(blocker, 'a file where a directory should be');
		const writer = new LogWriter(join(blocker, 'out.log'), {
			onError: error => errors.push(error),
			onResumed: dropped => resumptions.push(dropped),
			retryDelay: 0,
			repeatWindow,
		});
		writer.write(Buffer.from('one\n'));
		await writer.flushed();
		rmSync(blocker);
		writer.write(Buffer.from('two\n'));
		await writer.flushed();
		// The same failure again: the folder is a file once more, and the file is opened anew (as after logrotate).
		rmSync(blocker, {recursive: true});
		writeFileSync(blocker, 'a file again');
		writer.reopen();
		writer.write(Buffer.from('three\n'));
		await writer.flushed();
		rmSync(blocker);
		writer.write(Buffer.from('four\n'));
		await writer.close();
		assert.equal(errors.length, reports, `repeat window ${repeatWindow} ms: ${errors.map(error => error.message).join('; ')}`);
		assert.deepEqual(resumptions, [{lines: 1, bytes: 4}, {lines: 1, bytes: 6}], 'the lines of both failures are counted');
		assert.equal(readText(join(blocker, 'out.log')), 'four\n');
	}
});
