import {readFile} from 'node:fs/promises';
import {watch} from 'chokidar';

export type WatchOptions = {
	/** Called once for each save that changed the file's content. */
	onChange: () => void;
	/** A watcher error (the file's folder removed, too many watches): watching goes on where it can. */
	onError?: (error: Error) => void;
	/** Milliseconds the file's size must stay the same before a save counts as finished. Default 150. */
	stabilityThreshold?: number;
	/** Milliseconds that gather the events of one save (an editor's rename plus write). Default 50. */
	settle?: number;
};

export type ConfigurationWatcher = {
	/** Resolves once changes are seen. */
	readonly ready: Promise<void>;
	/** Stops watching; no handle stays open. Idempotent. */
	close(): Promise<void>;
};

/**
 * Watches one config file for saves: in place, by an editor's write-and-rename (the new file keeps being watched),
 * after a delete and a re-create, and by a slow writer (awaitWriteFinish waits until the size holds still, so the
 * reload reads the whole file). A save whose content equals the last one seen (a second event of one save, a
 * `touch`) calls nothing; a deleted file calls nothing until it is back.
 */
export function watchConfiguration(file: string, options: WatchOptions): ConfigurationWatcher {
	const {stabilityThreshold = 150, settle = 50} = options;
	let lastContent: string | undefined;
	let timer: NodeJS.Timeout | undefined;
	let closed = false;
	let checking = Promise.resolve();
	const watcher = watch(file, {
		ignoreInitial: true,
		awaitWriteFinish: {stabilityThreshold, pollInterval: 25},
	});

	const check = async () => {
		const content = await readContent(file);
		if (closed || content === undefined || content === lastContent) {
			return;
		}

		lastContent = content;
		options.onChange();
	};

	const saved = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			// One check at a time, in order: two reads of one save never both look new.
			checking = checking.then(check).catch((error: unknown) => {
				options.onError?.(error instanceof Error ? error : new Error(String(error)));
			});
		}, settle);
	};

	watcher.on('add', saved);
	watcher.on('change', saved);
	watcher.on('error', error => {
		options.onError?.(error instanceof Error ? error : new Error(String(error)));
	});
	const watching = new Promise<void>(resolve => {
		watcher.once('ready', resolve);
	});
	const ready = (async () => {
		const content = await readContent(file);
		lastContent ??= content;
		await watching;
	})();

	return {
		ready,
		async close() {
			closed = true;
			clearTimeout(timer);
			await watcher.close();
			await checking;
		},
	};
}

async function readContent(file: string): Promise<string | undefined> {
	try {
		return await readFile(file, 'utf8');
	} catch {
		return undefined;
	}
}
