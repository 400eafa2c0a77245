import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import {linePrefix, prefixLines} from '../../source/driver/line-prefix.js';
import {onCleanup} from '../helpers/cleanup.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {killAfter, request} from './helpers.js';

// Lines as a run may write them: plain, empty, carriage return, bytes that are not UTF-8, a last line without newline.
const written = Buffer.concat([Buffer.from('one\n\ntwo\r\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from('last')]);
const printf = `printf '${[...written].map(byte => `\\${byte.toString(8).padStart(3, '0')}`).join('')}'`;

test('prefixLines puts the prefix before every line of a block and leaves the bytes after it as they were', () => {
	const prefix = Buffer.from('P ');
	assert.deepEqual(prefixLines(Buffer.from('a\n\nb\n'), prefix), Buffer.from('P a\nP \nP b\n'));
	assert.deepEqual(prefixLines(Buffer.from([0xff, 0x0a]), prefix), Buffer.from([0x50, 0x20, 0xff, 0x0a]));
	assert.deepEqual(prefixLines(Buffer.from('no newline'), prefix), Buffer.from('P no newline'));
	assert.deepEqual(prefixLines(Buffer.alloc(0), prefix), Buffer.alloc(0));
});

test('linePrefix: the ISO time and/or the run in brackets', () => {
	const now = Date.UTC(2026, 10, 24, 18, 30, 0, 123);
	assert.equal(linePrefix({time: true, run: 'run 5 slot 0'}, now).toString(), '2026-11-24T18:30:00.123Z [run 5 slot 0] ');
	assert.equal(linePrefix({time: true}, now).toString(), '2026-11-24T18:30:00.123Z ');
	assert.equal(linePrefix({time: false, run: 'run 5 slot 0'}, now).toString(), '[run 5 slot 0] ');
});

test('without logPrefix the log file holds byte for byte what the run wrote (a newline added to a last unfinished line)', async t => {
	const directory = temporaryFolder(t);
	const driver = createProcessDriver();
	onCleanup(t, async () => driver.close());
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', printf])));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.deepEqual(readFileSync(join(directory, 'run.log')), Buffer.concat([written, Buffer.from('\n')]));
});

test('with logPrefix every line in the log, stdout and stderr, starts with the time and the run; onLine sees the last lines unprefixed', async t => {
	const directory = temporaryFolder(t);
	const driver = createProcessDriver();
	onCleanup(t, async () => driver.close());
	const seen: string[] = [];
	const errLogFile = join(directory, 'err.log');
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', `${printf}; echo; echo oops >&2`], {
		errLogFile,
		logPrefix: {time: true, run: 'run 1 slot 2'},
		onLine(line) {
			seen.push(line);
		},
	})));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	const log = readFileSync(join(directory, 'run.log'));
	const prefix = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[run 1 slot 2\] /;
	const lines = log.toString('latin1').split('\n').slice(0, -1);
	assert.equal(lines.length, 5);
	for (const line of lines) {
		assert.match(line, prefix);
	}

	// What follows each prefix is the run's own bytes.
	assert.deepEqual(Buffer.from(lines.map(line => `${line.replace(prefix, '')}\n`).join(''), 'latin1'), Buffer.concat([written, Buffer.from('\n')]));
	assert.match(readFileSync(errLogFile, 'utf8'), /^\d{4}-\S+Z \[run 1 slot 2\] oops\n$/);
	assert.ok(seen.includes('last') && seen.includes('oops') && seen.every(line => !prefix.test(line)), seen.join('|'));
});
