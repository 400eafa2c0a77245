import {mkdtempSync, rmSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {onCleanup} from './cleanup.js';

/**
 * A fresh folder under the system temp folder, removed when the test ends — after every cleanup registered later with
 * onCleanup, so that whatever runs in it (a fatc, a run) is stopped before its folder goes. FATC_TEST_KEEP=1 keeps
 * them, to read a failed test's logs.
 */
export function temporaryFolder(t: TestContext): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'fatc-test-'));
	onCleanup(t, () => {
		if (!process.env.FATC_TEST_KEEP) {
			rmSync(folder, {recursive: true, force: true});
		}
	});
	return folder;
}

/** Writes `content` to `folder/name` (making folders on the way) and returns the absolute path. */
export async function writeIn(folder: string, name: string, content: string | Uint8Array): Promise<string> {
	const file = path.join(folder, name);
	await mkdir(path.dirname(file), {recursive: true});
	await writeFile(file, content);
	return file;
}
