import type {TestContext} from 'node:test';

const stacks = new WeakMap<TestContext, Array<() => unknown>>();

/**
 * Registers a cleanup that runs when the test ends, last registered first — unlike t.after, which runs in order of
 * registration and so would remove a temporary folder before the daemon living in it is stopped.
 */
export function onCleanup(t: TestContext, cleanup: () => unknown): void {
	let stack = stacks.get(t);
	if (!stack) {
		const created: Array<() => unknown> = [];
		stack = created;
		stacks.set(t, created);
		t.after(async () => {
			for (const next of created.reverse()) {
				await next();
			}
		});
	}

	stack.push(cleanup);
}
