import {chmod, mkdir, stat} from 'node:fs/promises';

/** Creates `path` with mode 0700 (only the owner may reach the control socket), or tightens an existing one we own. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
	await mkdir(path, {recursive: true, mode: 0o700});
	const info = await stat(path);
	if (info.uid === process.getuid?.() && (info.mode & 0o077) !== 0) {
		await chmod(path, 0o700);
	}
}
