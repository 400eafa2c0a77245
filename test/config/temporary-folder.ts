import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {TestContext} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';

/** A fresh folder under the system temp folder, removed when the test ends. */
export async function temporaryFolder(context: TestContext): Promise<string> {
	const folder = await mkdtemp(path.join(tmpdir(), 'fatc-config-test-'));
	onCleanup(context, () => rm(folder, {recursive: true, force: true}));
	return folder;
}

/** Writes `content` to `folder/name` (making folders on the way) and returns the absolute path. */
export async function writeIn(folder: string, name: string, content: string | Uint8Array): Promise<string> {
	const file = path.join(folder, name);
	await mkdir(path.dirname(file), {recursive: true});
	await writeFile(file, content);
	return file;
}
