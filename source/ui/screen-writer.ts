import {EventEmitter} from 'node:events';
import {lineUpdate, wholeLine} from './line-update.js';

export type ScreenWriterOptions = {
	/** Most frames a second written to the terminal; the frames in between are dropped. Default 10 (SPEC §5). */
	maxFps?: number;
	/**
	 * Bytes a second the frames aim at while the screen churns: after a frame of N bytes the next waits N / this
	 * seconds (at most 1 s), so a link over SSH carries about this much whatever changes. Frames after a key press
	 * (read from `input`) only wait for `maxFps`. Default 1,800; Infinity for no pacing.
	 */
	maxBytesPerSecond?: number;
	/** The keyboard: a key makes the next frames come at `maxFps` again. */
	input?: NodeJS.ReadStream;
	now?: () => number;
};

export type ScreenWriter = {
	/** What Ink renders into (in debug mode: one whole frame per write). Looks like a TTY of the terminal's size. */
	stream: NodeJS.WriteStream;
	/** Bytes written to the terminal so far. */
	bytesWritten(): number;
	/** Frames written to the terminal so far. */
	framesWritten(): number;
	/** Leaves the alternate screen and shows the cursor again. Idempotent. */
	close(): void;
};

const escape = '\u001B[';
const beginSynchronized = `${escape}?2026h`;
const endSynchronized = `${escape}?2026l`;

/**
 * Puts Ink's frames on the alternate screen, rewriting only the cells that changed (line-update.ts), at most
 * `maxFps` times a second and about `maxBytesPerSecond` while everything churns, and never while the terminal has not drained the last frame: a slow SSH link gets the
 * latest frame, not a backlog. (Ink 6.8's own incremental mode misplaces lines by one row outside full screen, and
 * its full-screen mode clears and repaints everything on every frame.)
 */
export function createScreenWriter(terminal: NodeJS.WriteStream, options: ScreenWriterOptions = {}): ScreenWriter {
	const {maxFps = 10, maxBytesPerSecond = 1800, input, now = () => performance.now()} = options;
	const interval = 1000 / maxFps;
	const keyWindow = 500; // a key's own frame, and what it opens (a pane, a table's page), come at maxFps
	let lastFrameBytes = 0;
	let lastKey = Number.NEGATIVE_INFINITY;
	const stream = new EventEmitter() as NodeJS.WriteStream;
	let shown: string[] = [];
	let pending: string | undefined;
	let lastFlush = Number.NEGATIVE_INFINITY;
	let timer: NodeJS.Timeout | undefined;
	let clear = true;
	let closed = false;
	let waitingForDrain = false;
	let bytes = 0;
	let frames = 0;

	const write = (text: string) => {
		bytes += Buffer.byteLength(text);
		terminal.write(text);
	};

	const flush = () => {
		timer = undefined;
		if (closed || pending === undefined) {
			return;
		}

		if (terminal.writableNeedDrain) {
			if (!waitingForDrain) {
				waitingForDrain = true;
				terminal.once('drain', onDrain);
			}

			return;
		}

		lastFlush = now();
		const lines = pending.split('\n').slice(0, terminal.rows || Number.POSITIVE_INFINITY);
		pending = undefined;
		let out = clear ? `${escape}2J` : '';
		for (let row = 0; row < Math.max(lines.length, shown.length); row++) {
			const line = lines[row] ?? '';
			if (clear) {
				out += wholeLine(row, line);
			} else if (line !== (shown[row] ?? '')) {
				out += lineUpdate(row, shown[row] ?? '', line);
			}
		}

		clear = false;
		shown = lines;
		lastFrameBytes = 0;
		if (out !== '') {
			frames++;
			const frame = beginSynchronized + out + endSynchronized;
			lastFrameBytes = Buffer.byteLength(frame);
			write(frame);
		}
	};

	/** When the next frame may go: maxFps apart, and further while frames are big, unless a key was just pressed. */
	function nextAt() {
		const paced = now() - lastKey < keyWindow ? interval : Math.min(1000, Math.max(interval, lastFrameBytes * 1000 / maxBytesPerSecond));
		return lastFlush + paced;
	}

	function schedule() {
		timer ??= setTimeout(flush, Math.max(0, nextAt() - now()));
	}

	// Only listens: Ink reads the keys. A frame already waiting out the pacing goes at maxFps instead.
	const onKey = () => {
		lastKey = now();
		if (timer !== undefined) {
			clearTimeout(timer);
			timer = undefined;
			schedule();
		}
	};

	function onDrain() {
		waitingForDrain = false;
		schedule();
	}

	const onResize = () => {
		// A resize reflows what the terminal shows: repaint all of it.
		clear = true;
		stream.emit('resize');
	};

	Object.assign(stream, {
		isTTY: true,
		write(frame: string) {
			pending = frame;
			schedule();
			return true;
		},
	});
	Object.defineProperty(stream, 'columns', {get: () => terminal.columns});
	Object.defineProperty(stream, 'rows', {get: () => terminal.rows});
	terminal.on('resize', onResize);
	input?.on('readable', onKey);
	write(`${escape}?1049h${escape}?25l`);

	return {
		stream,
		bytesWritten: () => bytes,
		framesWritten: () => frames,
		close() {
			if (closed) {
				return;
			}

			closed = true;
			clearTimeout(timer);
			terminal.off('resize', onResize);
			terminal.off('drain', onDrain);
			input?.off('readable', onKey);
			write(`${escape}?25h${escape}?1049l`);
		},
	};
}
