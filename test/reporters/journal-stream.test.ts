import assert from 'node:assert/strict';
import {closeSync, fstatSync, openSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {isJournalStream} from '../../source/reporters/journal-stream.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';

test('journal stream: only when JOURNAL_STREAM names the device and inode of the fd itself', t => {
	const folder = temporaryFolder(t);
	const fd = openSync(join(folder, 'out'), 'w');
	const other = openSync(join(folder, 'other'), 'w');
	t.after(() => {
		closeSync(fd);
		closeSync(other);
	});
	const {dev, ino} = fstatSync(fd, {bigint: true});
	assert.equal(isJournalStream(fd, `${dev}:${ino}`), true);
	// Inherited from a unit whose journal stream this fd is not (a detached daemon's log file).
	assert.equal(isJournalStream(other, `${dev}:${ino}`), false);
	assert.equal(isJournalStream(fd, undefined), false);
	assert.equal(isJournalStream(fd, ''), false);
	assert.equal(isJournalStream(fd, 'nonsense'), false);
	assert.equal(isJournalStream(9999, `${dev}:${ino}`), false, 'a closed fd');
});
