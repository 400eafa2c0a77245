/** The words of the spawner thread's shared control buffer (spawn-thread.ts, spawn-thread-worker.ts). */
export const slot = {
	/** One of `state`. */
	state: 0,
	/** The spawned pid, or minus an errno value. */
	result: 1,
	/** 0 starting, 1 serving, -1 unusable (its reason posted on the port). */
	ready: 2,
} as const;

export const state = {
	idle: 0,
	requested: 1,
	done: 2,
	/** The thread stopped serving: the main thread spawns on its own again. */
	dead: 3,
} as const;

export const controlBytes = 4 * 4;
