import {EventEmitter} from 'node:events';
import {Socket} from 'node:net';
import type {OutputStream} from '../core/process-driver.js';

/** The variable that makes fatc read pipes with `net.Socket` even where the pipe handle serves (tests, comparisons). */
export const pipeReaderVariable = 'FATC_PIPE_READER';

/** How fatc's ends of the posix engine's pipes are read: one phrase for the engine's description. */
export type PipeReaders = {
	readonly description: string;
	/** Starts reading `descriptor` (a pipe's read end, which the reader owns and closes). */
	open(descriptor: number): OutputStream;
};

/**
 * The pipe handle Node's own `net.Socket` wraps (libuv's uv_pipe_t, read through its epoll) and the read protocol its
 * streams use. Neither is documented: they are what `net.Socket` is made of, reached with `process.binding`, which Node
 * keeps for compatibility. A run's output read through a `net.Socket` costs a Duplex stream a run — its set-up, and an
 * end that takes several loop turns ('end', the writable side's finish, destroy, 'close') — which measured ~27 µs a
 * run in a loop of its own and ~0.2 ms of fatc's CPU a restart in the reaction workload (1.51 against 1.33 ms,
 * 2026-12-03), where it runs right after a spawn with the caches cold. Only what
 * fatc needs is kept: data, end, pause and resume (the log writer's backpressure), destroy.
 */
type PipeBinding = {
	Pipe: new (type: number) => PipeHandle;
	socketType: number;
	state: Int32Array;
	bytesOrError: number;
	offset: number;
	endOfFile: number;
};

type PipeHandle = {
	open(descriptor: number): number;
	readStart(): number;
	readStop(): number;
	close(callback: () => void): void;
	onread: (buffer: ArrayBuffer | undefined) => void;
};

/**
 * Reads with the pipe handle where this Node has it as expected, else with `net.Socket`; `FATC_PIPE_READER=stream`
 * forces `net.Socket`. The shape is checked here, once; the handle's reading is tested on every Node fatc is tested on.
 */
export function pipeReaders(): PipeReaders {
	const forced = process.env[pipeReaderVariable] === 'stream';
	const binding = forced ? undefined : pipeBinding();
	if (binding === undefined) {
		const why = forced ? `${pipeReaderVariable}=stream` : 'this Node has no pipe handle fatc knows';
		return {
			description: `output read with net.Socket (${why})`,
			open: descriptor => new Socket({fd: descriptor, readable: true, writable: false}),
		};
	}

	return {
		description: 'output read from libuv pipe handles',
		open: descriptor => new PipeReader(descriptor, binding),
	};
}

function pipeBinding(): PipeBinding | undefined {
	// Not in @types/node: deprecated (DEP0111, documentation only) and kept by Node for modules that still use it.
	const {binding} = process as unknown as {binding(name: string): unknown};
	try {
		// As lib/net.js and lib/internal/stream_base_commons.js use them: pipe_wrap's Pipe, stream_wrap's shared read state.
		const pipes = binding('pipe_wrap') as {Pipe?: unknown; constants?: {SOCKET?: unknown}};
		const streams = binding('stream_wrap') as {streamBaseState?: unknown; kReadBytesOrError?: unknown; kArrayBufferOffset?: unknown};
		const {UV_EOF: endOfFile} = binding('uv') as {UV_EOF?: unknown};
		const {Pipe, constants} = pipes;
		const {streamBaseState: state, kReadBytesOrError: bytesOrError, kArrayBufferOffset: offset} = streams;
		const methods = ['open', 'readStart', 'readStop', 'close'];
		if (typeof Pipe !== 'function' || !methods.every(name => typeof (Pipe.prototype as Record<string, unknown>)[name] === 'function')
			|| typeof constants?.SOCKET !== 'number' || !(state instanceof Int32Array)
			|| typeof bytesOrError !== 'number' || typeof offset !== 'number' || typeof endOfFile !== 'number') {
			return undefined;
		}

		return {Pipe: Pipe as PipeBinding['Pipe'], socketType: constants.SOCKET, state, bytesOrError, offset, endOfFile};
	} catch {
		return undefined;
	}
}

/** One pipe's read end, read through libuv as `net.Socket` reads it, without the stream around it. */
export class PipeReader extends EventEmitter implements OutputStream {
	private readonly handle: PipeHandle;
	private paused = false;
	private closing = false;

	constructor(descriptor: number, binding: PipeBinding) {
		super();
		this.handle = new binding.Pipe(binding.socketType);
		const failed = this.handle.open(descriptor);
		if (failed !== 0) {
			throw Object.assign(new Error(`Could not read from pipe ${descriptor} (libuv error ${failed})`), {errno: failed});
		}

		// Called by libuv with the bytes read (a buffer of their size, the reader's to keep), or an end or error.
		this.handle.onread = buffer => {
			const result = binding.state[binding.bytesOrError]!;
			if (result > 0) {
				this.emit('data', Buffer.from(buffer!, binding.state[binding.offset]!, result));
			} else if (result < 0) {
				if (result === binding.endOfFile) {
					this.emit('end');
				} else if (this.listenerCount('error') > 0) {
					this.emit('error', Object.assign(new Error(`Reading a run's pipe failed (libuv error ${result})`), {errno: result}));
				}

				this.destroy();
			}
		};

		this.handle.readStart();
	}

	pause(): this {
		if (!this.paused && !this.closing) {
			this.paused = true;
			this.handle.readStop();
		}

		return this;
	}

	resume(): this {
		if (this.paused && !this.closing) {
			this.paused = false;
			this.handle.readStart();
		}

		return this;
	}

	isPaused(): boolean {
		return this.paused;
	}

	/** Stops reading and closes the descriptor; 'close' follows. */
	destroy(): this {
		if (!this.closing) {
			this.closing = true;
			this.handle.readStop();
			this.handle.close(() => {
				this.emit('close');
			});
		}

		return this;
	}
}
