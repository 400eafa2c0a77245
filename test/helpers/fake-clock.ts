import type {Clock} from '../../source/core/clock.js';

/** A clock that moves only when told; timers fire in time order during `advance`. */
export class FakeClock implements Clock {
	time = 1_000_000;
	private timers: Array<{time: number; callback: () => void; cancelled: boolean}> = [];

	now(): number {
		return this.time;
	}

	setTimer(time: number, callback: () => void): () => void {
		const timer = {time, callback, cancelled: false};
		this.timers.push(timer);
		return () => {
			timer.cancelled = true;
		};
	}

	advance(milliseconds: number): void {
		const target = this.time + milliseconds;
		for (;;) {
			const due = this.timers.filter(timer => !timer.cancelled && timer.time <= target).sort((first, second) => first.time - second.time)[0];
			if (!due) {
				break;
			}

			due.cancelled = true;
			this.time = Math.max(this.time, due.time);
			due.callback();
		}

		this.time = target;
		this.timers = this.timers.filter(timer => !timer.cancelled);
	}
}
