import {isExecutable, statOrUndefined} from './command-path.js';
import {delimiter, isAbsolute, join, resolve} from 'node:path';
import {descriptorErrorMessage} from './descriptor-budget.js';

/** A message a user can act on, for a spawn that failed; `descriptorsPerRun`: what a run holds under the engine in use. */
export function spawnErrorMessage(error: unknown, command: string, cwd: string, env: Record<string, string>, descriptorsPerRun?: number): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	// Out of descriptors or processes: the command is fine, and probing it would need descriptors too.
	const exhausted = descriptorErrorMessage(code, undefined, descriptorsPerRun) ?? (code === 'EAGAIN' ? 'too many processes (EAGAIN); see ulimit -u (LimitNPROC= under systemd)' : undefined);
	if (exhausted !== undefined) {
		return `command "${command}" could not be started: ${exhausted}`;
	}

	const directory = statOrUndefined(cwd);
	if (directory === undefined) {
		return `working directory ${cwd} does not exist`;
	}

	if (!directory.isDirectory()) {
		return `working directory ${cwd} is not a directory`;
	}

	if (!isExecutable(cwd)) {
		return `working directory ${cwd} is not accessible`;
	}

	const file = locate(command, cwd, env['PATH']);
	if (code === 'ENOENT') {
		if (file !== undefined) {
			return `command "${command}" could not be started: the interpreter on its #! line was not found`;
		}

		const found = command.includes('/') ? `command "${command}" not found` : `command "${command}" not found on PATH`;
		// "php worker.php" as one command: fatc runs no shell, so it looked for a program of that whole name.
		return /\s/.test(command.trim()) ? `${found} (commands are not run through a shell: put the arguments in args, or use command: sh with args: [-c, "…"])` : found;
	}

	if (code === 'EACCES') {
		if (file !== undefined && statOrUndefined(file)?.isDirectory()) {
			return `command "${command}" is a directory, not a program`;
		}

		return `command "${command}" is not executable`;
	}

	const detail = error instanceof Error ? error.message : String(error);
	return `command "${command}" could not be started: ${detail}`;
}

/** The file `command` names: a path relative to cwd, or the first match on PATH. */
function locate(command: string, cwd: string, path: string | undefined): string | undefined {
	if (command.includes('/')) {
		const file = isAbsolute(command) ? command : resolve(cwd, command);
		return statOrUndefined(file) === undefined ? undefined : file;
	}

	for (const folder of (path ?? '').split(delimiter)) {
		const file = join(resolve(cwd, folder || '.'), command);
		if (statOrUndefined(file) !== undefined) {
			return file;
		}
	}

	return undefined;
}
