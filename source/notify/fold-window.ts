import type {Clock} from '../core/clock.js';

type Window<Item> = {
	endsAt: number;
	/** The `every` of the newest item: the length of the window its sending opens. */
	every: number;
	/** The newest item that came inside the window: sent when it ends. */
	latest?: Item;
	/** Items inside the window that no notification will carry (every one but `latest`). */
	folded: number;
	cancel?: () => void;
};

export type FoldWindows<Item> = {
	/** An item for `key`: sent now when the key's window is over (it opens a new one of `every`), else folded. */
	offer(key: string, every: number, item: Item): void;
	/** Cancels every window: what was folded and not yet sent is dropped. */
	close(): void;
};

/**
 * At most one item per key per `every`, and no item lost from the count: the first goes at once and opens a window;
 * the ones inside it are folded into the newest of them, which goes when the window ends (carrying how many it folded)
 * and opens the next window. So `items = sent + Σ folded` holds, and a storm that stops is still told in full. A
 * window's end is fixed when it opens (a reload's new `every` applies from the next one). One window per key: bounded.
 */
export function createFoldWindows<Item>(clock: Clock, send: (item: Item, folded: number) => void): FoldWindows<Item> {
	const windows = new Map<string, Window<Item>>();

	function open(key: string, every: number, item: Item, folded: number) {
		windows.set(key, {endsAt: clock.now() + every, every, folded: 0});
		send(item, folded);
	}

	return {
		offer(key, every, item) {
			const window = windows.get(key);
			if (window === undefined || clock.now() >= window.endsAt) {
				window?.cancel?.();
				open(key, every, item, window?.latest === undefined ? 0 : window.folded + 1);
				return;
			}

			if (window.latest !== undefined) {
				window.folded++;
			}

			window.latest = item;
			window.every = every;
			window.cancel ??= clock.setTimer(window.endsAt, () => {
				windows.delete(key);
				open(key, window.every, window.latest!, window.folded);
			});
		},
		close() {
			for (const window of windows.values()) {
				window.cancel?.();
			}

			windows.clear();
		},
	};
}
