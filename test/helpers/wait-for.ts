import {setTimeout as delay} from 'node:timers/promises';

/**
 * Polls `condition` (which may be async, e.g. a question on a socket) every 10 ms until it holds. Fails after
 * `timeout` ms (default 30 s: only a failing test waits that long, and a machine shared with other suites can take
 * many seconds to start a node) naming `description` and, when given, what `detail()` shows at that moment.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, description: string, timeout = 30_000, detail?: () => string): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!(await condition())) {
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeout} ms waiting for ${description}${detail === undefined ? '' : `; ${detail()}`}`);
		}

		await delay(10);
	}
}
