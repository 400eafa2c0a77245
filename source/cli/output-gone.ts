import {fstatSync} from 'node:fs';
import {createRequire} from 'node:module';

type Poll = (descriptor: number) => boolean;

/** poll(2)'s POLLERR and POLLHUP: a pipe whose reader is gone, a socket whose peer closed. */
const pollError = 0x08;
const pollHangUp = 0x10;
const checkEvery = 1000;

/**
 * Calls `onGone` once when nobody reads fatc's stdout any more: an SSH session without a terminal that ended, `| head`
 * that exited. A write then fails with EPIPE; but a fatc whose runs say nothing for hours writes nothing, so a pipe or
 * socket is also asked every second whether its other end is gone (poll(2) through koffi, which the posix_spawn engine
 * loads anyway; without koffi only the EPIPE counts). Returns the unwatch.
 */
export function watchOutputGone(output: NodeJS.WriteStream & {fd: number}, onGone: () => void): () => void {
	let gone = false;
	const tell = () => {
		if (!gone) {
			gone = true;
			onGone();
		}
	};

	const onError = (error: NodeJS.ErrnoException) => {
		// Any write error but EPIPE is no sign the reader left (it is ignored, as before: supervision goes on).
		if (error.code === 'EPIPE') {
			tell();
		}
	};

	output.on('error', onError);
	const poll = isPipeOrSocket(output.fd) ? loadPoll() : undefined;
	const timer = poll && setInterval(() => {
		if (poll(output.fd)) {
			tell();
		}
	}, checkEvery);
	timer?.unref();
	return () => {
		output.off('error', onError);
		// A noop listener stays: a late EPIPE must not become an uncaught 'error'.
		output.on('error', () => undefined);
		clearInterval(timer);
	};
}

function isPipeOrSocket(descriptor: number): boolean {
	try {
		const stat = fstatSync(descriptor);
		return stat.isFIFO() || stat.isSocket();
	} catch {
		return false;
	}
}

let loaded: {poll?: Poll} | undefined;

/** Bound once: koffi refuses a second type of the same name. */
function loadPoll(): Poll | undefined {
	loaded ??= {poll: bindPoll()};
	return loaded.poll;
}

function bindPoll(): Poll | undefined {
	if (process.platform !== 'linux') {
		return undefined;
	}

	try {
		const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
		const library = koffi.load('libc.so.6');
		koffi.struct('fatc_pollfd', {fd: 'int', events: 'short', revents: 'short'});
		const poll = library.func('int poll(_Inout_ fatc_pollfd *fds, unsigned long nfds, int timeout)') as (descriptors: {fd: number; events: number; revents: number}, count: number, timeout: number) => number;
		return descriptor => {
			// events 0: only the conditions poll always reports (error, hang-up), never "writable".
			const descriptors = {fd: descriptor, events: 0, revents: 0};
			return poll(descriptors, 1, 0) > 0 && (descriptors.revents & (pollError | pollHangUp)) !== 0;
		};
	} catch {
		return undefined;
	}
}
