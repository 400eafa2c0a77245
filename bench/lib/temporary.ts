import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const folders: string[] = [];

/** A new empty folder under the system's temp folder, removed by `removeTemporaryFolders()`. */
export function temporaryFolder(purpose: string): string {
	const folder = mkdtempSync(path.join(tmpdir(), `fatc-bench-${purpose}-`));
	folders.push(folder);
	return folder;
}

/** Removes every folder made here; called last, once every process that wrote into them is gone. */
export function removeTemporaryFolders(): void {
	for (const folder of folders.splice(0)) {
		rmSync(folder, {recursive: true, force: true});
	}
}
