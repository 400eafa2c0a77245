import {chmod, mkdir, stat} from 'node:fs/promises';

/**
 * Creates `path` with mode 0700 (only the owner may reach the control socket), or tightens an existing one we own.
 * `parents: false`: only `path` itself is made; its parent must exist (ENOENT otherwise).
 */
export async function ensurePrivateDirectory(path: string, {parents = true}: {parents?: boolean} = {}): Promise<void> {
	if (parents) {
		await mkdir(path, {recursive: true, mode: 0o700});
	} else {
		await mkdir(path, {mode: 0o700}).catch((error: unknown) => {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		});
	}

	const info = await stat(path);
	if (info.uid === process.getuid?.() && (info.mode & 0o077) !== 0) {
		await chmod(path, 0o700);
	}
}
