import type {Socket} from 'node:net';

export type Ownership = {
	/** Called on hello: the first client that claims the daemon owns it (a local TUI that started it, SPEC §5). */
	claim(socket: Socket): void;
	/** A hand-off: the owner may now go without taking the runs with it. */
	release(): void;
	/** Called when a connection closes; losing the owner without a hand-off calls `onOwnerLost`. */
	disconnected(socket: Socket): void;
};

/** Who owns the daemon, and what happens when the owner goes without handing off. */
export function createOwnership(onOwnerLost: (() => void) | undefined): Ownership {
	let owner: Socket | undefined;
	let released = false;
	return {
		claim(socket) {
			owner ??= socket;
		},
		release() {
			released = true;
		},
		disconnected(socket) {
			if (socket === owner && !released) {
				onOwnerLost?.();
			}
		},
	};
}
