import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {closeSync} from 'node:fs';
import {Socket} from 'node:net';
import {test, type TestContext} from 'node:test';
import {posixEngineUnavailable, spawnEngineNamed} from '../../source/driver/choose-spawn-engine.js';
import {boundLibc, constants} from '../../source/driver/libc.js';
import {PipeReader, pipeReaders, pipeReaderVariable} from '../../source/driver/pipe-reader.js';
import type {OutputStream} from '../../source/core/process-driver.js';
import {onCleanup} from '../helpers/cleanup.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {request} from './helpers.js';

const unavailable = posixEngineUnavailable();

/** A pipe: [read, write], close-on-exec. */
function pipe(): [number, number] {
	const descriptors = new Int32Array(2);
	assert.equal(boundLibc()!.pipe2(descriptors, constants.oCloexec), 0);
	return [descriptors[0]!, descriptors[1]!];
}

/** Starts `command` with its stdout on `write` (closed here after: the child holds the only write end). */
function writer(t: TestContext, write: number, command: string, args: string[]) {
	const child = spawn(command, args, {stdio: ['ignore', write, 'ignore']});
	closeSync(write);
	onCleanup(t, () => {
		child.kill('SIGKILL');
	});
	return child;
}

/** Everything a stream gives, in order, and the events in the order they came. */
function collect(stream: OutputStream) {
	const chunks: Buffer[] = [];
	const events: string[] = [];
	stream.on('data', chunk => chunks.push(chunk));
	stream.on('error', () => events.push('error'));
	const closed = new Promise<void>(resolve => {
		stream.once('end', () => events.push('end'));
		stream.once('close', () => {
			events.push('close');
			resolve();
		});
	});
	return {closed, events, text: () => Buffer.concat(chunks).toString()};
}

test('on this Node a pipe is read with its libuv handle, not a net.Socket; FATC_PIPE_READER=stream gives net.Socket', {skip: unavailable}, t => {
	const [read, write] = pipe();
	closeSync(write);
	const readers = pipeReaders();
	assert.match(readers.description, /libuv pipe handles/);
	const reader = readers.open(read);
	reader.destroy();
	assert.ok(reader instanceof PipeReader);

	const previous = process.env[pipeReaderVariable];
	process.env[pipeReaderVariable] = 'stream';
	t.after(() => {
		if (previous === undefined) {
			delete process.env[pipeReaderVariable];
		} else {
			process.env[pipeReaderVariable] = previous;
		}
	});
	const [read2, write2] = pipe();
	closeSync(write2);
	const streams = pipeReaders();
	assert.match(streams.description, /net\.Socket \(FATC_PIPE_READER=stream\)/);
	const socket = streams.open(read2);
	socket.destroy();
	assert.ok(socket instanceof Socket);
});

test('the posix engine hands a run\'s output over as a PipeReader, and says so in its description', {skip: unavailable}, async t => {
	const engine = spawnEngineNamed('posix');
	assert.match(engine.description, /output read from libuv pipe handles/);
	const attempt = engine.start(request(temporaryFolder(t), '/bin/echo', ['hello']));
	assert.ok('started' in attempt);
	const [output] = attempt.started.pipes;
	assert.ok(output!.stream instanceof PipeReader);
	const {closed, text} = collect(output!.stream);
	const exited = new Promise(resolve => {
		attempt.started.onExit(resolve);
	});
	await closed;
	assert.equal(text(), 'hello\n');
	assert.deepEqual(await exited, {code: 0, signal: null});
});

test('a PipeReader gives every byte in order, then end, then close', {skip: unavailable}, async t => {
	const [read, write] = pipe();
	const reader = pipeReaders().open(read);
	const {closed, events, text} = collect(reader);
	// 100,000 lines, ~590 KB: many times a pipe's 64 KiB, so the reads come in many chunks.
	writer(t, write, 'seq', ['1', '100000']);
	await closed;
	const expected = Array.from({length: 100_000}, (_, index) => `${index + 1}\n`).join('');
	assert.equal(text(), expected);
	assert.deepEqual(events, ['end', 'close']);
});

test('a paused PipeReader gives nothing until resumed, then everything', {skip: unavailable}, async t => {
	const [read, write] = pipe();
	const reader = pipeReaders().open(read);
	reader.pause();
	assert.equal(reader.isPaused(), true);
	const {closed, text} = collect(reader);
	// One short line: the writer can finish and exit while nothing is read.
	const child = writer(t, write, 'echo', ['held']);
	await once(child, 'exit');
	// The line waits in the pipe; any read would have come in the turns the exit took to arrive.
	assert.equal(text(), '');
	reader.resume();
	await closed;
	assert.equal(text(), 'held\n');
});

test('destroy closes fatc\'s end: a writer still writing gets EPIPE / SIGPIPE, and close follows', {skip: unavailable}, async t => {
	const [read, write] = pipe();
	const reader = pipeReaders().open(read);
	const {closed, events, text} = collect(reader);
	const child = writer(t, write, 'yes', []);
	const exited = once(child, 'exit');
	// Some output read first: the writer is under way.
	await waitFor(() => text().length > 0, 'yes to write');
	reader.destroy();
	await closed;
	assert.deepEqual(events, ['close']);
	// Without the close, yes would write for ever (a blocked write, then the test's time-out).
	assert.deepEqual(await exited, [null, 'SIGPIPE']);
});
