import {constants, type Libc} from './libc.js';

/** Ready pids read per epoll_wait. */
const batch = 256;

/**
 * Children waited for by pid whose exit is told apart without walking all of fatc's children: a pidfd each (Linux ≥
 * 5.3) in an epoll set of fatc's own, asked without blocking which became readable (exited) after a SIGCHLD. What a
 * waitpid(-1) costs grows with the children fatc has (the kernel walks their list to find a zombie); this costs the
 * same for any number.
 */
export class ExitWatch {
	/** An exit watch, or undefined where epoll or pidfds are not there (the reaper then polls as before). */
	static open(libc: Libc): ExitWatch | undefined {
		// A test's made-up libc may have no epoll at all.
		const epoll = typeof libc.epollCreate === 'function' ? libc.epollCreate(constants.oCloexec) : -1;
		return epoll < 0 ? undefined : new ExitWatch(libc, epoll);
	}

	private readonly descriptors = new Map<number, number>();
	private readonly event = Buffer.alloc(constants.epollEventSize);
	private readonly events = Buffer.alloc(constants.epollEventSize * batch);

	private constructor(private readonly libc: Libc, private readonly epoll: number) {}

	/** Pids watched and not reaped yet. */
	get size(): number {
		return this.descriptors.size;
	}

	/** Watches the child `pid`; false when it cannot (no pidfd: an old kernel, or no descriptor left). */
	add(pid: number): boolean {
		if (this.descriptors.has(pid)) {
			return true;
		}

		const descriptor = this.libc.pidfdOpen(pid);
		if (descriptor < 0) {
			return false;
		}

		this.event.fill(0);
		this.event.writeUInt32LE(constants.epollIn, 0);
		this.event.writeInt32LE(pid, constants.epollDataOffset);
		if (this.libc.epollControl(this.epoll, constants.epollControlAdd, descriptor, this.event) !== 0) {
			this.libc.close(descriptor);
			return false;
		}

		this.descriptors.set(pid, descriptor);
		return true;
	}

	/** Watched pids that have exited (a batch at most: `more` says whether there may be others). */
	exited(): {pids: number[]; more: boolean} {
		const count = this.descriptors.size === 0 ? 0 : this.libc.epollWait(this.epoll, this.events, batch, 0);
		const pids: number[] = [];
		for (let index = 0; index < count; index++) {
			pids.push(this.events.readInt32LE(index * constants.epollEventSize + constants.epollDataOffset));
		}

		return {pids, more: count === batch};
	}

	/** Stops watching `pid` (reaped): closing its pidfd takes it out of the epoll set. */
	forget(pid: number): void {
		const descriptor = this.descriptors.get(pid);
		if (descriptor !== undefined) {
			this.descriptors.delete(pid);
			this.libc.close(descriptor);
		}
	}
}
