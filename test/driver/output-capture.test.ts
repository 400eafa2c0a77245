import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {LogWriter} from '../../source/driver/log-writer.js';
import {OutputCapture} from '../../source/driver/output-capture.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';

/** A run's pipe as the capture sees it: data, then its end; its descriptor's close comes later. */
class FakePipe extends EventEmitter {
	paused = false;
	pause() {
		this.paused = true;
	}

	resume() {
		this.paused = false;
	}

	isPaused() {
		return this.paused;
	}

	destroy() {
		this.emit('close');
	}
}

test('a pipe is done at its end, in the callback that read it, not at the close after; one destroyed before its end, at its close', async t => {
	const folder = temporaryFolder(t);
	const writer = new LogWriter(join(folder, 'out.log'));
	const capture = (pipe: FakePipe) => {
		let done = 0;
		new OutputCapture({stream: pipe, name: 'stdout', writer, onClosed: () => done++, onError: error => assert.fail(error)});
		return () => done;
	};

	const ended = new FakePipe();
	const endedDone = capture(ended);
	ended.emit('data', Buffer.from('first\nlast'));
	ended.emit('end');
	// Done here: the reaping turn that took in the leader's exit tells its end with the others of that turn.
	assert.equal(endedDone(), 1, 'done at the end of the output');
	ended.emit('close');
	assert.equal(endedDone(), 1, 'once');

	const destroyed = new FakePipe();
	const destroyedDone = capture(destroyed);
	destroyed.emit('data', Buffer.from('held open\n'));
	assert.equal(destroyedDone(), 0);
	destroyed.destroy();
	assert.equal(destroyedDone(), 1, 'done at its close');

	await writer.flushed();
	assert.equal(readFileSync(join(folder, 'out.log'), 'utf8'), 'first\nlast\nheld open\n', 'every line whole, the last one too');
	await writer.close();
});
