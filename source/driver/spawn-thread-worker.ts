import {readdirSync, readlinkSync} from 'node:fs';
import {setImmediate} from 'node:timers/promises';
import {receiveMessageOnPort, workerData, type MessagePort} from 'node:worker_threads';
import {constants, loadLibc, type Libc} from './libc.js';
import {SpawnCall, type SpawnCallRequest} from './posix-spawn-call.js';
import {slot, state} from './spawn-thread-protocol.js';

/**
 * The spawner thread (spawn-thread.ts starts it): it gives itself a descriptor table of its own, closes the copies
 * of fatc's descriptors it got with it, and then only spawns, each request's pipe write ends copied into its table
 * with pidfd_getfd. Never returns to its event loop while it serves: the loop's pipes were closed with the rest.
 */
const {control, port, refuse} = workerData as {control: SharedArrayBuffer; port: MessagePort; refuse: boolean};
const words = new Int32Array(control);

try {
	const libc = loadLibc();
	if ('unavailable' in libc) {
		throw new Error(libc.unavailable);
	}

	// One turn of the loop first, so that every watcher the thread's start registered is in its epoll before the
	// pipes behind them are closed here (libuv aborts when it later fails to add one).
	await setImmediate();
	const pidfd = ownTable(libc);
	Atomics.store(words, slot.ready, 1);
	// After the store: the main thread reads it when this arrives.
	port.postMessage({});
	serve(libc, pidfd);
} catch (error) {
	Atomics.store(words, slot.ready, -1);
	Atomics.store(words, slot.state, state.dead);
	Atomics.notify(words, slot.state);
	// After the stores: the main thread reads them when this arrives.
	port.postMessage({unusable: (error as Error).message});
}

/** Leaves fatc's table: a copy of it, of which only epoll and eventfd descriptors (the event loops') are kept. */
function ownTable(libc: Libc): number {
	if (libc.blockSignals() !== 0) {
		throw new Error('could not block signals in the spawner thread');
	}

	if (libc.unshareDescriptors() !== 0) {
		throw new Error(`unshare(CLONE_FILES): ${libc.errnoName(libc.errno())}`);
	}

	let kept: number | undefined;
	for (const name of readdirSync('/proc/thread-self/fd')) {
		const descriptor = Number(name);
		if (descriptor <= 2) {
			continue;
		}

		let target: string;
		try {
			target = readlinkSync(`/proc/thread-self/fd/${name}`);
		} catch {
			// The directory's own descriptor, closed once it was read.
			continue;
		}

		if (target === 'anon_inode:[eventpoll]' || target === 'anon_inode:[eventfd]') {
			kept ??= descriptor;
		} else {
			libc.close(descriptor);
		}
	}

	const pidfd = libc.pidfdOpen(process.pid);
	if (pidfd < 0) {
		throw new Error(`pidfd_open: ${libc.errnoName(libc.errno())}`);
	}

	// fatc's table has every descriptor it had when this one was copied: try one.
	if (kept !== undefined) {
		const copy = refuse ? -1 : libc.pidfdGetDescriptor(pidfd, kept);
		if (copy < 0) {
			throw new Error(`pidfd_getfd: ${refuse ? 'EPERM (FATC_SPAWN_THREAD_REFUSE)' : libc.errnoName(libc.errno())}`);
		}

		libc.close(copy);
	}

	return pidfd;
}

function serve(libc: Libc, pidfd: number): never {
	const call = new SpawnCall(libc);
	for (;;) {
		// Idle, or done and not yet taken back by the main thread: sleep until that changes.
		const now = Atomics.load(words, slot.state);
		if (now !== state.requested) {
			Atomics.wait(words, slot.state, now);
			continue;
		}

		const request = receiveMessageOnPort(port)?.message as SpawnCallRequest;
		let result: number;
		try {
			result = spawnCopied(libc, call, pidfd, request);
		} catch {
			// A NUL in the environment: the main thread checks it again and throws its own error.
			result = -constants.eInval;
		}

		words[slot.result] = result;
		Atomics.store(words, slot.state, state.done);
		Atomics.notify(words, slot.state);
	}
}

function spawnCopied(libc: Libc, call: SpawnCall, pidfd: number, request: SpawnCallRequest): number {
	const stdout = libc.pidfdGetDescriptor(pidfd, request.stdout);
	if (stdout < 0) {
		return -libc.errno();
	}

	const stderr = request.stderr === request.stdout ? stdout : libc.pidfdGetDescriptor(pidfd, request.stderr);
	if (stderr < 0) {
		const errno = libc.errno();
		libc.close(stdout);
		return -errno;
	}

	try {
		return call.run({...request, stdout, stderr});
	} finally {
		libc.close(stdout);
		if (stderr !== stdout) {
			libc.close(stderr);
		}
	}
}
