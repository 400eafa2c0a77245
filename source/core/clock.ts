/** Time for the supervisor: milliseconds since the epoch, and one-shot timers. Tests pass a fake. */
export type Clock = {
	now(): number;
	/** Calls `callback` at `time` (or at once if it passed); returns the cancel. */
	setTimer(time: number, callback: () => void): () => void;
};

/** Monotonic (never jumps with the wall clock) yet close to Date.now(). */
export const systemClock: Clock = {
	now: () => performance.timeOrigin + performance.now(),
	setTimer(time, callback) {
		const timer = setTimeout(callback, Math.max(0, time - systemClock.now()));
		return () => {
			clearTimeout(timer);
		};
	},
};
