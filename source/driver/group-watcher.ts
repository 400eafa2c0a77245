import {groupMayExist, scanLiveGroups} from './process-group.js';

/** How often groups being stopped are checked for emptiness. */
export const groupPollInterval = 25;

type Watch = {pgid: number; onEmpty: () => void};

/**
 * Polls process groups until they are empty, with one /proc scan per tick for all of them.
 * The timer runs only while some group is watched.
 */
export class GroupWatcher {
	private readonly watches = new Set<Watch>();
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly interval = groupPollInterval) {}

	/** Calls `onEmpty` once, when no live process is left in the group; returns the cancellation. */
	watch(pgid: number, onEmpty: () => void): () => void {
		const watch = {pgid, onEmpty};
		this.watches.add(watch);
		this.timer ??= setInterval(() => {
			this.tick();
		}, this.interval);
		return () => {
			this.remove(watch);
		};
	}

	private tick(): void {
		let liveGroups: Set<number> | 'unknown' | undefined;
		for (const watch of [...this.watches]) {
			if (groupMayExist(watch.pgid)) {
				liveGroups ??= scanLiveGroups() ?? 'unknown';
				// Unreadable /proc (descriptor limit): ask again next tick rather than call a live group empty.
				if (liveGroups === 'unknown' || liveGroups.has(watch.pgid)) {
					continue;
				}
			}

			this.remove(watch);
			watch.onEmpty();
		}
	}

	private remove(watch: Watch): void {
		this.watches.delete(watch);
		if (this.watches.size === 0 && this.timer !== undefined) {
			clearInterval(this.timer);
			this.timer = undefined;
		}
	}
}
