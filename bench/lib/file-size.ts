import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';

/** Size of a file in bytes, 0 while it does not exist. */
export function fileSize(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}

/** Every file under `folder`, recursively. */
export function filesUnder(folder: string): string[] {
	let entries;
	try {
		entries = readdirSync(folder, {withFileTypes: true});
	} catch {
		return [];
	}

	return entries.flatMap(entry => {
		const full = path.join(entry.parentPath, entry.name);
		return entry.isDirectory() ? filesUnder(full) : [full];
	});
}

/** Total size of every file under `folder`. */
export function folderSize(folder: string): number {
	return filesUnder(folder).reduce((total, file) => total + fileSize(file), 0);
}
