/** How long starting runs may hold the event loop before the pacer yields to sockets, signals and output. */
export const spawnSliceMilliseconds = 10;

export type SpawnPacerOptions = {
	/** Default spawnSliceMilliseconds. */
	sliceMilliseconds?: number;
	/** A monotonic clock in ms. Default performance.now. */
	now?: () => number;
	/** Runs the next slice after the loop has served I/O. Default setImmediate. */
	defer?: (callback: () => void) => void;
};

/** Cancels a start that is still waiting; true when it was waiting (so it will never run). */
export type CancelStart = () => boolean;

export type SpawnPacer = {
	/**
	 * Runs `start` now when this slice has time left and no start waits, else queues it for a later slice, in order.
	 * Returns undefined when `start` already ran, else its cancellation.
	 */
	schedule(start: () => void): CancelStart | undefined;
	/** Starts queued and not yet run. */
	readonly waiting: number;
};

/**
 * Spreads starts over event-loop turns: a spawn blocks the loop ~10 ms, so thousands in one pass would leave the
 * control socket, signals and log writing unanswered for seconds. Each turn spends at most one slice spawning.
 */
export function createSpawnPacer(options: SpawnPacerOptions = {}): SpawnPacer {
	const {sliceMilliseconds = spawnSliceMilliseconds, now = () => performance.now(), defer = setImmediate} = options;
	const queue = new Set<() => void>();
	let used = 0;
	let turnArmed = false;

	function run(start: () => void) {
		const begin = now();
		try {
			start();
		} finally {
			used += now() - begin;
			armTurn();
		}
	}

	// The slice's budget is renewed once the loop has had its turn.
	function armTurn() {
		if (!turnArmed) {
			turnArmed = true;
			defer(nextTurn);
		}
	}

	function nextTurn() {
		turnArmed = false;
		used = 0;
		for (const start of queue) {
			if (used >= sliceMilliseconds) {
				armTurn();
				return;
			}

			queue.delete(start);
			run(start);
		}
	}

	return {
		schedule(start) {
			if (queue.size === 0 && used < sliceMilliseconds) {
				run(start);
				return undefined;
			}

			// A wrapper of its own, so that the same function queued twice is two starts.
			const entry = () => {
				start();
			};

			queue.add(entry);
			armTurn();
			return () => queue.delete(entry);
		},
		get waiting() {
			return queue.size;
		},
	};
}
