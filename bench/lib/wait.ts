/** Resolves after `milliseconds`. */
export async function delay(milliseconds: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, milliseconds);
	});
}

/**
 * Polls `check` every `interval` ms until it returns a value other than undefined; throws `what` after `timeout` ms.
 * Benchmarks wait on the outside world (a socket answering, 1,000 processes up), never on a fixed guess.
 */
export async function waitFor<T>(
	what: string,
	check: () => T | undefined | Promise<T | undefined>,
	{timeout = 30_000, interval = 50}: {timeout?: number; interval?: number} = {},
): Promise<T> {
	const deadline = Date.now() + timeout;
	for (;;) {
		const value = await check();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
		}

		await delay(interval);
	}
}
