/** Tasks run a few at a time, and a bounded number wait: the rest are refused (the caller counts them). */
export type TaskQueue = {
	/** Queues the task; false when `waiting` are already queued (the task is dropped). Never runs it synchronously. */
	push(task: () => Promise<void>): boolean;
	/** Drops the tasks not started yet; returns how many. */
	clear(): number;
	/** Resolves once no task runs and none waits. */
	idle(): Promise<void>;
};

/**
 * A queue of at most `running` tasks at once and `waiting` waiting. A task starts on a later turn of the event loop
 * (setImmediate), so whoever pushes — a supervisor's event listener — never waits for a spawn.
 */
export function createTaskQueue(limits: {running: number; waiting: number}): TaskQueue {
	const queued: Array<() => Promise<void>> = [];
	let active = 0;
	let idlers: Array<() => void> = [];

	function settle() {
		if (active === 0 && queued.length === 0) {
			for (const idler of idlers) {
				idler();
			}

			idlers = [];
		}
	}

	function next() {
		while (active < limits.running && queued.length > 0) {
			const task = queued.shift()!;
			active++;
			setImmediate(() => {
				void Promise.resolve().then(task).catch(() => {}).finally(() => {
					active--;
					next();
					settle();
				});
			});
		}
	}

	return {
		push(task) {
			if (queued.length >= limits.waiting) {
				return false;
			}

			queued.push(task);
			next();
			return true;
		},
		clear() {
			const dropped = queued.length;
			queued.length = 0;
			settle();
			return dropped;
		},
		idle() {
			if (active === 0 && queued.length === 0) {
				return Promise.resolve();
			}

			return new Promise(resolve => {
				idlers.push(resolve);
			});
		},
	};
}
