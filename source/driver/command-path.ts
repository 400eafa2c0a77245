import {accessSync, constants, statSync, type Stats} from 'node:fs';
import {resolve} from 'node:path';

/** libuv's search path when the run's environment has no PATH. */
const defaultPath = '/usr/bin:/bin';

/**
 * The file to execute for `command`, found as child_process finds it (libuv's execvp searches the run's own PATH, not
 * fatc's, after the chdir to cwd): a command with a slash is used as it is (posix_spawn resolves a relative one after
 * its chdir); otherwise the first executable regular file on PATH, else the first file of that name (so exec says
 * EACCES: "not executable"); undefined when there is none (ENOENT: "not found on PATH").
 */
export function resolveCommand(command: string, cwd: string, path: string | undefined): string | undefined {
	if (command.includes('/')) {
		return command;
	}

	if (command === '') {
		return undefined;
	}

	let firstFound: string | undefined;
	for (const folder of (path ?? defaultPath).split(':')) {
		// An empty entry is the current folder, the run's cwd.
		const file = resolve(cwd, folder, command);
		const stats = statOrUndefined(file);
		if (stats === undefined) {
			continue;
		}

		if (stats.isFile() && isExecutable(file)) {
			return file;
		}

		firstFound ??= file;
	}

	return firstFound;
}

/** The file's stats, or undefined when it cannot be seen. */
export function statOrUndefined(file: string): Stats | undefined {
	try {
		return statSync(file);
	} catch {
		// ENOENT, or ENOTDIR/EACCES for a PATH entry that is a file or a folder we may not search: execvp goes on too.
		return undefined;
	}
}

/** True when `path` may be executed (a file) or searched (a folder) by this process: access(2) with X_OK. */
export function isExecutable(path: string): boolean {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}
