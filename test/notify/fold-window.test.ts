import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createFoldWindows} from '../../source/notify/fold-window.js';
import {FakeClock} from '../helpers/fake-clock.js';

function folding() {
	const clock = new FakeClock();
	const sent: Array<{item: number; folded: number; at: number}> = [];
	const windows = createFoldWindows<number>(clock, (item, folded) => {
		sent.push({item, folded, at: clock.now()});
	});
	return {clock, sent, windows};
}

test('fold windows: the first item goes at once, the ones within `every` fold into the newest, sent when the window ends', () => {
	const {clock, sent, windows} = folding();
	const start = clock.now();
	windows.offer('a', 1000, 1);
	for (const item of [2, 3, 4]) {
		clock.advance(100);
		windows.offer('a', 1000, item);
	}

	assert.deepEqual(sent, [{item: 1, folded: 0, at: start}]);
	clock.advance(700);
	assert.deepEqual(sent.at(-1), {item: 4, folded: 2, at: start + 1000});
	// The trailing one opened a window of its own: nothing in it, nothing sent at its end.
	clock.advance(5000);
	assert.equal(sent.length, 2);
	windows.offer('a', 1000, 5);
	assert.deepEqual(sent.at(-1), {item: 5, folded: 0, at: clock.now()});
});

test('fold windows: one item within a window still goes at its end, with nothing folded; keys are apart', () => {
	const {clock, sent, windows} = folding();
	windows.offer('a', 1000, 1);
	windows.offer('b', 1000, 10);
	clock.advance(10);
	windows.offer('a', 1000, 2);
	clock.advance(2000);
	assert.deepEqual(sent.map(({item, folded}) => [item, folded]), [[1, 0], [10, 0], [2, 0]]);
});

test('fold windows: a steady storm gives one item per `every`, and every item is sent or counted', () => {
	const {clock, sent, windows} = folding();
	for (let item = 0; item < 10_000; item++) {
		windows.offer('a', 60_000, item);
		clock.advance(37);
	}

	clock.advance(60_000);
	for (const [index, notification] of sent.entries()) {
		if (index > 0) {
			assert.ok(notification.at - sent[index - 1]!.at >= 60_000, `notification ${index} came ${notification.at - sent[index - 1]!.at} ms after the one before`);
		}
	}

	assert.equal(sent.length + sent.reduce((sum, {folded}) => sum + folded, 0), 10_000);
	assert.equal(sent.at(-1)!.item, 9999, 'the newest item is the one told last');
});

test('fold windows: close drops what was folded; `every` 0 sends every item', () => {
	const {clock, sent, windows} = folding();
	windows.offer('a', 1000, 1);
	windows.offer('a', 1000, 2);
	windows.close();
	clock.advance(5000);
	assert.deepEqual(sent.map(({item}) => item), [1]);
	for (const item of [3, 4, 5]) {
		windows.offer('b', 0, item);
	}

	assert.deepEqual(sent.map(({item, folded}) => [item, folded]), [[1, 0], [3, 0], [4, 0], [5, 0]]);
});
