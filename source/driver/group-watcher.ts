import {groupMayExist, isLiveMember, scanLiveMembers} from './process-group.js';

/** How often groups being stopped are checked for emptiness. */
export const groupPollInterval = 25;

/** Cheaper ways to know a group, given by the engine (the posix one: fatc reaps and adopts what its runs leave). */
export type GroupWatcherOptions = {
	interval?: number;
	/** Reaps ended orphans first, so that kill(-pgid, 0) finds no zombie of fatc's own. */
	beforeCheck?: () => void;
	/** A live member of the group found without scanning all of /proc (fatc's own children); undefined if none was. */
	findMember?: (pgid: number) => number | undefined;
};

type Watch = {pgid: number; onEmpty: () => void};
type Scan = Map<number, number> | 'unknown' | undefined;

/**
 * Knows when process groups are empty, as cheaply as can be proven. "Empty" is only ever concluded from
 * kill(-pgid, 0) failing with ESRCH (no process at all in the group) or from a scan of all of /proc finding no live
 * member; "not empty" from any live member seen: a witness, whose /proc/PID/stat is read again on the next check
 * (one file instead of every process's), or one found among fatc's own children. So the full scan runs only when the
 * last witness is gone while kill still finds something: zombies whose parent is not fatc, or a member that is
 * neither fatc's child nor a known witness. With the posix engine the orphans of a run are fatc's children and reaped
 * by it, so a group whose members were orphans is settled without any full scan.
 */
export class GroupWatcher {
	private readonly watches = new Set<Watch>();
	private readonly witnesses = new Map<number, number>();
	private timer: NodeJS.Timeout | undefined;
	private readonly interval: number;

	constructor(private readonly options: GroupWatcherOptions = {}) {
		this.interval = options.interval ?? groupPollInterval;
	}

	/**
	 * Whether no live process is left in the group now. Asks kill(-pgid, 0) before reaping anything: called on a
	 * leader's exit, which the reaper reports only once every ended child is reaped, so a reap first (a walk of the
	 * kernel's list of all of fatc's children) would only repeat that, once per run, with thousands ending at once.
	 */
	isEmpty(pgid: number): boolean {
		const empty = this.check(pgid, {scan: undefined});
		if (empty) {
			this.witnesses.delete(pgid);
		}

		return empty;
	}

	/** Drops what is known of a group that ended (its witness). */
	forget(pgid: number): void {
		this.witnesses.delete(pgid);
	}

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
		this.options.beforeCheck?.();
		// One full scan at most per tick, shared by every group that needs one.
		const shared: {scan: Scan} = {scan: undefined};
		for (const watch of [...this.watches]) {
			if (this.check(watch.pgid, shared)) {
				this.remove(watch);
				watch.onEmpty();
			}
		}
	}

	private check(pgid: number, shared: {scan: Scan}): boolean {
		if (!groupMayExist(pgid)) {
			return true;
		}

		const witness = this.witnesses.get(pgid);
		if (witness !== undefined && isLiveMember(witness, pgid)) {
			return false;
		}

		let found: number | 'unknown' | undefined = this.options.findMember?.(pgid);
		if (found === undefined && this.options.findMember !== undefined) {
			// A member that died since the tick began is fatc's zombie child until reaped: reap, then ask the kernel
			// again before any /proc scan.
			this.options.beforeCheck?.();
			if (!groupMayExist(pgid)) {
				this.witnesses.delete(pgid);
				return true;
			}
		}

		found ??= this.scanFor(pgid, shared);
		if (found === undefined) {
			this.witnesses.delete(pgid);
			return true;
		}

		// 'unknown' (an unreadable /proc at the descriptor limit) reads as "maybe alive", never as "empty".
		if (found !== 'unknown') {
			this.witnesses.set(pgid, found);
		}

		return false;
	}

	private scanFor(pgid: number, shared: {scan: Scan}): number | 'unknown' | undefined {
		shared.scan ??= scanLiveMembers() ?? 'unknown';
		return shared.scan === 'unknown' ? 'unknown' : shared.scan.get(pgid);
	}

	private remove(watch: Watch): void {
		this.watches.delete(watch);
		this.witnesses.delete(watch.pgid);
		if (this.watches.size === 0 && this.timer !== undefined) {
			clearInterval(this.timer);
			this.timer = undefined;
		}
	}
}
