import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineSplitter, lastLineOf, maximumPartialLineBytes} from '../../source/driver/line-splitter.js';

function split(chunks: string[]): string[] {
	const blocks: string[] = [];
	const splitter = new LineSplitter((lines, start) => blocks.push((start?.toString() ?? '') + lines.toString()));
	for (const chunk of chunks) {
		splitter.push(Buffer.from(chunk));
	}

	splitter.finish();
	return blocks;
}

test('line splitter hands on only whole lines, joining lines split across chunks', () => {
	assert.deepEqual(split(['a\nb', 'c\nd', 'e']), ['a\n', 'bc\n', 'de\n']);
});

test('line splitter keeps a last line without newline and adds one', () => {
	assert.deepEqual(split(['only']), ['only\n']);
	assert.deepEqual(split(['done\n']), ['done\n']);
	assert.deepEqual(split([]), []);
});

test('line splitter cuts a partial line at 64 KiB without losing a byte', () => {
	const long = 'y'.repeat(maximumPartialLineBytes + 10);
	const blocks = split([long.slice(0, 1000), long.slice(1000), '\n']);
	assert.deepEqual(blocks, [`${'y'.repeat(maximumPartialLineBytes)}\n`, `${'y'.repeat(10)}\n`]);
});

test('line splitter hands on a chunk\'s lines as read, not copied, after the start of their first line', () => {
	const pieces: Array<{lines: Buffer; start?: Buffer}> = [];
	const splitter = new LineSplitter((lines, start) => pieces.push({lines, start}));
	splitter.push(Buffer.from('a\nb'));
	const chunk = Buffer.from('c\nd\ne');
	splitter.push(chunk);
	assert.equal(pieces[1]!.start?.toString(), 'b');
	assert.equal(pieces[1]!.lines.buffer, chunk.buffer, 'the chunk\'s own memory');
	assert.equal(pieces[1]!.lines.toString(), 'c\nd\n');
	assert.equal(lastLineOf(pieces[1]!.lines, pieces[1]!.start), 'd');
	assert.equal(lastLineOf(Buffer.from('c\n'), Buffer.from('b')), 'bc', 'a block of one line began in its start');
});

test('lastLineOf is the block\'s last line without newline or carriage return, decoded alone', () => {
	assert.equal(lastLineOf(Buffer.from('a\r\nb\n\n')), '');
	assert.equal(lastLineOf(Buffer.from('a\nbé\r\n')), 'bé');
	assert.equal(lastLineOf(Buffer.from('only\n')), 'only');
	assert.equal(lastLineOf(Buffer.concat([Buffer.from([0xe9, 0x0a]), Buffer.from('fine\n')])), 'fine');
});
