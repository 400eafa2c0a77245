import {EventEmitter} from 'node:events';

export type ScreenWriterOptions = {
	/** Most frames a second written to the terminal; the frames in between are dropped. Default 10 (SPEC §5). */
	maxFps?: number;
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
 * Puts Ink's frames on the alternate screen, rewriting only the lines that changed, at absolute positions, at most
 * `maxFps` times a second, and never while the terminal has not drained the last frame: a slow SSH link gets the
 * latest frame, not a backlog. (Ink 6.8's own incremental mode misplaces lines by one row outside full screen, and
 * its full-screen mode clears and repaints everything on every frame.)
 */
export function createScreenWriter(terminal: NodeJS.WriteStream, options: ScreenWriterOptions = {}): ScreenWriter {
	const {maxFps = 10, now = () => performance.now()} = options;
	const interval = 1000 / maxFps;
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
			if (clear || line !== (shown[row] ?? '')) {
				// Erase first, then write: erasing after a full-width line would take its last character.
				out += `${escape}${row + 1};1H${escape}2K${line}`;
			}
		}

		clear = false;
		shown = lines;
		if (out !== '') {
			frames++;
			write(beginSynchronized + out + endSynchronized);
		}
	};

	function schedule() {
		timer ??= setTimeout(flush, Math.max(0, lastFlush + interval - now()));
	}

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
			write(`${escape}?25h${escape}?1049l`);
		},
	};
}
