/** Time for the supervisor: milliseconds since the epoch, and one-shot timers. Tests pass a fake. */
export type Clock = {
	now(): number;
	/** Calls `callback` at `time` (or at once if it passed), never before; returns the cancel. */
	setTimer(time: number, callback: () => void): () => void;
};

const maximumTimerDelay = 2 ** 31 - 1;

/** Monotonic (never jumps with the wall clock) yet close to Date.now(). */
export const systemClock: Clock = {
	now: () => performance.timeOrigin + performance.now(),
	setTimer(time, callback) {
		let timer: NodeJS.Timeout;
		const arm = () => {
			const delay = time - systemClock.now();
			if (delay <= 0) {
				callback();
				return;
			}

			// setTimeout fires at once past 2^31−1 ms (24.8 days), and up to 1 ms early on libuv's millisecond
			// clock: wait at most that long, and arm again for whatever is left.
			timer = setTimeout(arm, Math.min(Math.ceil(delay), maximumTimerDelay));
		};

		timer = setTimeout(arm, Math.min(Math.max(0, Math.ceil(time - systemClock.now())), maximumTimerDelay));
		return () => {
			clearTimeout(timer);
		};
	},
};
