import type {OutputStream, SpawnRequest} from '../core/process-driver.js';
import {linePrefix, prefixLines} from './line-prefix.js';
import {LineSplitter, lastLineOf} from './line-splitter.js';
import type {LogWriter} from './log-writer.js';

export type OutputCaptureOptions = {
	stream: OutputStream;
	name: 'stdout' | 'stderr';
	writer: LogWriter;
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** Told the size of each chunk read. */
	onRead?: (bytes: number) => void;
	/** Put before each line in the log (the job's logFormat); `onLine` gets the lines as the run wrote them. */
	logPrefix?: SpawnRequest['logPrefix'];
	/** Called once, after the stream's end (or its close, destroyed before it) and its last line was handed to the writer. */
	onClosed: () => void;
	onError: (error: Error) => void;
};

/** Reads one pipe of a run to its end, handing whole lines to the log writer, which may pause the pipe. */
export class OutputCapture {
	private closed = false;
	private readonly stream: OutputStream;

	constructor(options: OutputCaptureOptions) {
		const {stream, name, writer, onLine, onRead, logPrefix} = options;
		this.stream = stream;
		const splitter = new LineSplitter((lines, start) => {
			if (logPrefix === undefined) {
				// Without a prefix the block goes to the file as read: no copy, no decoding. Its two pieces are queued in
				// one call, so they are next to each other in the writer's queue and go out in the same write.
				if (start !== undefined) {
					writer.write(start);
				}

				writer.write(lines);
			} else {
				writer.write(prefixLines(start === undefined ? lines : Buffer.concat([start, lines]), linePrefix(logPrefix)));
			}

			if (onLine !== undefined) {
				callOnLine(lines, start, name, onLine, options.onError);
			}
		});
		const removeSource = writer.addSource(stream);
		stream.on('data', (chunk: Buffer) => {
			onRead?.(chunk.length);
			splitter.push(chunk);
		});
		// A failing read is followed by 'close'; what was read is kept.
		stream.on('error', () => undefined);
		// Done at the end of the output, found by a read in the same loop turn as the reaping turn that takes in the
		// leaders' exits; the descriptor's 'close' comes in a later phase, one callback each. Done at 'close', each end of
		// a burst was told from a callback of its own (2,000 ends made 1,586 writes of event lines); done at 'end', the
		// reaping turn tells most of them together (311). A stream destroyed before its end (a pipe an escaped process
		// holds) is done at 'close'.
		const finish = () => {
			if (this.closed) {
				return;
			}

			splitter.finish();
			removeSource();
			this.closed = true;
			options.onClosed();
		};

		stream.once('end', finish);
		stream.once('close', finish);
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Paused by the log writer's backpressure: the pipe may still hold unread output. */
	get isPaused(): boolean {
		return this.stream.isPaused();
	}

	/** Stops reading (a pipe held open by an escaped process); what was read is kept. */
	destroy(): void {
		this.stream.destroy();
	}
}

/** Hands on the block's last line: the one a TUI shows and the history keeps (SpawnRequest.onLine). */
function callOnLine(
	block: Buffer,
	start: Buffer | undefined,
	name: 'stdout' | 'stderr',
	onLine: (line: string, stream: 'stdout' | 'stderr') => void,
	onError: (error: Error) => void,
): void {
	try {
		onLine(lastLineOf(block, start), name);
	} catch (error) {
		onError(new Error('An onLine callback threw', {cause: error}));
	}
}
