/** Time for the supervisor: milliseconds since the epoch, and one-shot timers. Tests pass a fake. */
export type Clock = {
	now(): number;
	/** Calls `callback` at `time` (or at once if it passed); returns the cancel. */
	setTimer(time: number, callback: () => void): () => void;
};

const maximumTimerDelay = 2 ** 31 - 1;

/** Monotonic (never jumps with the wall clock) yet close to Date.now(). */
export const systemClock: Clock = {
	now: () => performance.timeOrigin + performance.now(),
	setTimer(time, callback) {
		// setTimeout fires at once for delays past 2^31−1 ms (24.8 days): wait that long at most; the tick re-plans.
		const timer = setTimeout(callback, Math.min(Math.max(0, time - systemClock.now()), maximumTimerDelay));
		return () => {
			clearTimeout(timer);
		};
	},
};
