import assert from 'node:assert/strict';
import {test} from 'node:test';
import {boundedOutput, unreadOutputLimit} from '../../source/reporters/bounded-output.js';

test('writes go out while less than the limit waits; beyond, they are dropped and counted, and told once before the next that fits', () => {
	const stream = {writableLength: 0, written: [] as string[], write(text: string) {
		this.written.push(text);
	}};
	const told: number[] = [];
	const output = boundedOutput(stream, lines => told.push(lines), 100);
	output.write('a\n');
	stream.writableLength = 101;
	output.write('b\nc\n');
	output.write('d\n');
	assert.deepEqual(stream.written, ['a\n']);
	assert.deepEqual(told, []);
	stream.writableLength = 100;
	output.write('e\n');
	output.write('f\n');
	assert.deepEqual(told, [3]);
	assert.deepEqual(stream.written, ['a\n', 'e\n', 'f\n']);
});

test('FATC_UNREAD_OUTPUT_LIMIT: bytes, at least 64 KiB; anything else is the 16 MiB default', () => {
	assert.equal(unreadOutputLimit({}), 16 * 1024 * 1024);
	assert.equal(unreadOutputLimit({FATC_UNREAD_OUTPUT_LIMIT: '1048576'}), 1_048_576);
	assert.equal(unreadOutputLimit({FATC_UNREAD_OUTPUT_LIMIT: '10'}), 65_536);
	assert.equal(unreadOutputLimit({FATC_UNREAD_OUTPUT_LIMIT: 'lots'}), 16 * 1024 * 1024);
	assert.equal(unreadOutputLimit({FATC_UNREAD_OUTPUT_LIMIT: '-5'}), 16 * 1024 * 1024);
});
