import {statSync, watch, type BigIntStats, type FSWatcher} from 'node:fs';
import {basename, dirname, relative, resolve, sep} from 'node:path';
import type {Reading} from '../core/sensors.js';
import type {ErrorReport, Report, SensorWatcher} from './sensor-watcher.js';

export type FileWakerOptions = {
	/** Milliseconds that gather a burst of events (a write in many chunks, a quick double touch) into one check. Default 20. */
	coalesce?: number;
	/** Milliseconds between checks while no folder on the way can be watched (out of inotify watches). Default 1000. */
	pollInterval?: number;
	/** A folder that could not be watched (then it is polled), or a watch that failed. */
	onError?: ErrorReport;
};

/** One fs.watch handle and the folder it was opened on, by path and inode (a folder removed and made again is new). */
type Watched = {identity: string; watcher: FSWatcher};

/**
 * Reports `{kind: 'file'}` each time `path` is created or changed (a `touch`, a write, a rename onto it; for a folder,
 * also an entry added or removed in it); its removal is no report, and neither is the file being there at the start.
 *
 * fs.watch (inotify) on the nearest folder on the way that exists — the file's own folder once it exists, so that the
 * file may not exist yet, nor its folder, nor the one above — and, for a folder, on the folder itself. Inotify
 * costs nothing while nothing happens and sees a creation at once; polling would delay every wake by its interval
 * and stat for ever. Not chokidar: it throttles a file's changes (5 ms) and drops a change whose mtime equals the
 * last one seen, so a second touch within one timestamp tick would be lost, and it does not follow a missing folder.
 *
 * A touch is never lost: an event naming the file counts even when its times did not move (the kernel's timestamps are
 * coarse), and every check compares the file's identity and times (ns) too, which catches what happened while the
 * watches moved down the path. Checks are synchronous (a few stats of local paths), so the first watch is open and
 * the baseline read by the time this returns: a touch after that is reported.
 */
export function watchWakeFile(path: string, report: Report<Extract<Reading, {kind: 'file'}>>, options: FileWakerOptions = {}): SensorWatcher {
	const {coalesce = 20, pollInterval = 1000, onError} = options;
	const file = resolve(path);
	const name = basename(file);
	let watched = new Map<string, Watched>();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let polling: NodeJS.Timeout | undefined;
	let pollingReported = false;
	/** An event about the file itself (or inside it, for a folder) since the last check. */
	let touched = false;

	const fail = (error: unknown, what: string) => {
		onError?.(new Error(`Could not watch ${what} for the wake file ${file}`, {cause: error}));
	};

	const schedule = () => {
		if (!stopped && timer === undefined) {
			timer = setTimeout(() => {
				timer = undefined;
				check();
			}, coalesce);
		}
	};

	const retire = (folder: string, watcher: FSWatcher) => {
		watcher.close();
		if (watched.get(folder)?.watcher === watcher) {
			watched.delete(folder);
		}
	};

	/** Opens a watch on `folder` (or keeps the one open on it); false when it cannot be watched. */
	const open = (folder: string, identity: string, next: Map<string, Watched>, onEvent: (filename: string | null) => void): boolean => {
		const existing = watched.get(folder);
		if (existing?.identity === identity) {
			next.set(folder, existing);
			return true;
		}

		try {
			const self = basename(folder);
			const watcher = watch(folder, {persistent: true}, (_event, filename) => {
				const entry = filename === null ? null : String(filename);
				if (entry === self) {
					// The folder itself removed or moved (inotify names it so): its watch is done, even if a new
					// folder of that name gets its inode number again. A child of the same name only costs a reopen.
					retire(folder, watcher);
				}

				onEvent(entry);
			});
			watcher.on('error', error => {
				// The next check opens whatever is needed now.
				retire(folder, watcher);
				if (!stopped) {
					fail(error, folder);
					schedule();
				}
			});
			next.set(folder, {identity, watcher});
			return true;
		} catch (error) {
			if (!pollingReported) {
				pollingReported = true;
				fail(error, `${folder} (checking every ${pollInterval} ms instead)`);
			}

			return false;
		}
	};

	/** Moves the watches to where the path now leads; `target`: the file's stat, when it exists. */
	const rearm = (target: BigIntStats | undefined) => {
		const next = new Map<string, Watched>();
		const folder = nearestFolder(dirname(file));
		const self = basename(folder.path);
		let armed;
		if (folder.path === dirname(file)) {
			armed = open(folder.path, folder.identity, next, filename => {
				if (filename === name || filename === null) {
					touched = true;
					schedule();
				} else if (filename === self) {
					// The folder itself removed or moved: the watches move up.
					schedule();
				}
			});
		} else {
			// Only the next folder on the way (or the watched folder itself going away) matters up here.
			const step = relative(folder.path, file).split(sep)[0];
			armed = open(folder.path, folder.identity, next, filename => {
				if (filename === step || filename === self || filename === null) {
					schedule();
				}
			});
		}

		if (target?.isDirectory()) {
			armed = open(file, `${file}:${target.ino}`, next, () => {
				touched = true;
				schedule();
			}) && armed;
		}

		for (const [key, entry] of watched) {
			if (next.get(key) !== entry) {
				entry.watcher.close();
			}
		}

		watched = next;
		if (armed) {
			clearInterval(polling);
			polling = undefined;
		} else {
			polling ??= setInterval(schedule, pollInterval);
		}
	};

	const check = () => {
		const sawTouch = touched;
		touched = false;
		rearm(statOrUndefined(file));
		// Read after the watches are open: whatever changes from here on is an event.
		const current = signature(statOrUndefined(file));
		const changed = current !== baseline;
		baseline = current;
		if (current !== undefined && (changed || sawTouch)) {
			report({kind: 'file'});
		}
	};

	rearm(statOrUndefined(file));
	let baseline = signature(statOrUndefined(file));
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			clearInterval(polling);
			for (const entry of watched.values()) {
				entry.watcher.close();
			}

			watched.clear();
		},
	};
}

function statOrUndefined(path: string): BigIntStats | undefined {
	try {
		return statSync(path, {bigint: true, throwIfNoEntry: false});
	} catch {
		// ENOTDIR (a file where a folder should be on the way), EACCES: as good as absent.
		return undefined;
	}
}

/** What a touch changes: the times (ns), and the inode for a file replaced by a rename. */
function signature(stats: BigIntStats | undefined): string | undefined {
	return stats === undefined ? undefined : `${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.size}`;
}

/** The nearest existing folder at or above `path` (the root, at worst), and its identity. */
function nearestFolder(path: string): {path: string; identity: string} {
	let folder = path;
	for (;;) {
		const stats = statOrUndefined(folder);
		if (stats?.isDirectory()) {
			return {path: folder, identity: `${folder}:${stats.ino}`};
		}

		const parent = dirname(folder);
		if (parent === folder) {
			return {path: folder, identity: folder};
		}

		folder = parent;
	}
}
