import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {test, type TestContext} from 'node:test';
import {createScreenWriter, type ScreenWriterOptions} from '../../source/ui/screen-writer.js';

class FakeTerminal extends EventEmitter {
	columns = 20;
	rows = 5;
	writableNeedDrain = false;
	output: string[] = [];
	times: number[] = [];
	write(text: string): boolean {
		this.output.push(text);
		this.times.push(Date.now());
		return true;
	}

	asStream(): NodeJS.WriteStream {
		return this as unknown as NodeJS.WriteStream;
	}
}

/** A screen writer on fake timers: its frames come when the test moves the clock on (`t.mock.timers.tick`), not before. */
function fakeTimeScreen(t: TestContext, terminal: FakeTerminal, options: ScreenWriterOptions) {
	t.mock.timers.enable({apis: ['setTimeout', 'Date'], now: 1_000_000});
	return createScreenWriter(terminal.asStream(), {...options, now: () => Date.now()});
}

const synchronized = (text: string) => text.replace('\u001B[?2026h', '').replace('\u001B[?2026l', '');

test('screen writer: the first frame paints every line at its row; later frames rewrite only what changed', t => {
	const terminal = new FakeTerminal();
	const screen = fakeTimeScreen(t, terminal, {maxFps: 1000, maxBytesPerSecond: Number.POSITIVE_INFINITY});
	assert.equal(terminal.output[0], '\u001B[?1049h\u001B[?25l', 'it enters the alternate screen and hides the cursor');
	screen.stream.write('one\ntwo\nthree');
	t.mock.timers.tick(1);
	assert.equal(screen.framesWritten(), 1, 'the first frame');
	assert.equal(synchronized(terminal.output[1]!), '\u001B[2J\u001B[1;1H\u001B[2Kone\u001B[2;1H\u001B[2Ktwo\u001B[3;1H\u001B[2Kthree');
	screen.stream.write('one\nTWO');
	t.mock.timers.tick(1);
	assert.equal(screen.framesWritten(), 2, 'the second frame');
	assert.equal(synchronized(terminal.output[2]!), '\u001B[2;1HTWO\u001B[3;1H\u001B[K', 'the changed cells, and an erase where a line went');
	screen.stream.write('one\nTWO');
	t.mock.timers.tick(20);
	assert.equal(screen.framesWritten(), 2, 'an unchanged frame writes nothing');
	screen.close();
	assert.equal(terminal.output.at(-1), '\u001B[?25h\u001B[?1049l', 'it shows the cursor and leaves the alternate screen');
	assert.equal(screen.bytesWritten(), terminal.output.join('').length);
});

test('screen writer: frames come at most maxFps a second, and the latest one wins', t => {
	const terminal = new FakeTerminal();
	const screen = fakeTimeScreen(t, terminal, {maxFps: 10});
	for (let index = 1; index <= 100; index++) {
		screen.stream.write(`frame ${index}`);
	}

	t.mock.timers.tick(0);
	assert.equal(screen.framesWritten(), 1, 'the first frame');
	assert.ok(synchronized(terminal.output.at(-1)!).endsWith('frame 100'), 'the latest frame is the one written');
	screen.stream.write('frame 101');
	t.mock.timers.tick(99);
	assert.equal(screen.framesWritten(), 1, 'no frame before its turn');
	t.mock.timers.tick(1);
	assert.equal(screen.framesWritten(), 2, 'the next frame');
	const [first, second] = terminal.times.slice(-2);
	assert.ok(second! - first! >= 95, `the next frame waits for its turn (${(second! - first!).toFixed(1)} ms)`);
	screen.close();
});

test('screen writer: a terminal that has not drained gets no new frame until it drains', t => {
	const terminal = new FakeTerminal();
	const screen = fakeTimeScreen(t, terminal, {maxFps: 1000, maxBytesPerSecond: Number.POSITIVE_INFINITY});
	terminal.writableNeedDrain = true;
	screen.stream.write('waiting');
	t.mock.timers.tick(20);
	assert.equal(screen.framesWritten(), 0);
	terminal.writableNeedDrain = false;
	terminal.emit('drain');
	t.mock.timers.tick(0);
	assert.equal(screen.framesWritten(), 1, 'the frame after the drain');
	screen.close();
});

test('screen writer: a resize clears the screen and repaints every line, and Ink hears of it', t => {
	const terminal = new FakeTerminal();
	const screen = fakeTimeScreen(t, terminal, {maxFps: 1000, maxBytesPerSecond: Number.POSITIVE_INFINITY});
	screen.stream.write('a\nb');
	t.mock.timers.tick(0);
	assert.equal(screen.framesWritten(), 1, 'the first frame');
	let heard = 0;
	screen.stream.on('resize', () => heard++);
	terminal.columns = 40;
	terminal.emit('resize');
	assert.equal(heard, 1);
	assert.equal(screen.stream.columns, 40);
	screen.stream.write('a\nb');
	t.mock.timers.tick(1);
	assert.equal(screen.framesWritten(), 2, 'the repaint');
	assert.equal(synchronized(terminal.output.at(-1)!), '\u001B[2J\u001B[1;1H\u001B[2Ka\u001B[2;1H\u001B[2Kb');
	screen.close();
});

test('screen writer: while big frames churn they come about maxBytesPerSecond apart; after a key, at maxFps again', t => {
	const terminal = new FakeTerminal();
	const keyboard = new EventEmitter() as NodeJS.ReadStream;
	terminal.columns = 80;
	terminal.rows = 24;
	const screen = fakeTimeScreen(t, terminal, {maxFps: 10, maxBytesPerSecond: 2000, input: keyboard});
	const frame = (index: number) => Array.from({length: 20}, (_, row) => `${index} ${row} `.repeat(12)).join('\n');
	screen.stream.write(frame(0));
	t.mock.timers.tick(0);
	const first = terminal.output.at(-1)!.length;
	assert.ok(first > 1000, `a big first frame (${first} bytes)`);
	screen.stream.write(frame(1));
	t.mock.timers.tick(100);
	assert.equal(screen.framesWritten(), 1, 'not at 10 a second: the last frame\'s bytes are not sent yet');
	t.mock.timers.tick(Math.ceil(first / 2) - 100);
	assert.equal(screen.framesWritten(), 2, 'the next frame once the budget allows it');
	let index = 2;
	const start = Date.now();
	const bytesBefore = screen.bytesWritten();
	while (Date.now() - start < 10_000) {
		screen.stream.write(frame(index++));
		t.mock.timers.tick(10);
	}

	const rate = (screen.bytesWritten() - bytesBefore) / 10;
	assert.ok(rate <= 2100, `about maxBytesPerSecond while churning (${rate.toFixed(0)} B/s)`);
	const framesBefore = screen.framesWritten();
	keyboard.emit('readable');
	screen.stream.write('a key was pressed');
	t.mock.timers.tick(100);
	assert.equal(screen.framesWritten(), framesBefore + 1, 'the key\'s frame comes within 1/maxFps, whatever the bytes before');
	screen.close();
	assert.equal(keyboard.listenerCount('readable'), 0, 'it stops listening to the keyboard');
});
