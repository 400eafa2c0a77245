import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import type {TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {onCleanup} from './cleanup.js';

/** The built CLI (`npm test` builds first): what a user runs. */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliProcess = {
	child: ChildProcess;
	output(): string;
	errors(): string;
	/** Resolves with the exit status (or 128 + signal number style text) once the CLI exited. */
	exited: Promise<number | null>;
};

/**
 * Starts `fatc ARGS` in `cwd` without a TTY; stdout and stderr are collected. `wrapper`: a command that runs it, e.g.
 * `['prlimit', '--nofile=200:200']` (it must exec fatc, so that the child's pid is fatc's).
 */
export function startCli(args: string[], options: {cwd: string; env?: Record<string, string>; wrapper?: string[]}): CliProcess {
	const [command, ...commandArgs] = [...options.wrapper ?? [], process.execPath, cliPath, ...args];
	const child = spawn(command!, commandArgs, {
		cwd: options.cwd,
		// Each test's own runDir (pid file, socket), unless the config names one: tests run in parallel.
		env: {...process.env, XDG_RUNTIME_DIR: options.cwd, ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', code => {
			resolve(code);
		});
		child.on('error', error => {
			stderr += `could not start fatc: ${error.message}\n`;
			resolve(null);
		});
	});
	return {child, output: () => stdout, errors: () => stderr, exited};
}

/** Runs `fatc ARGS` to the end. */
export async function runCli(args: string[], options: {cwd: string; env?: Record<string, string>}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const cli = startCli(args, options);
	const code = await cli.exited;
	return {code, stdout: cli.output(), stderr: cli.errors()};
}

/** The pids of runs that `fatc run` reported as started. */
export function startedPids(output: string): number[] {
	return [...output.matchAll(/started \(pid (\d+)\)/g)].map(match => Number(match[1]));
}

/**
 * SIGKILLs each fatc still running when the test ends, and waits for it to die, before its temporary folder is
 * removed (it waits for the exit, not for the pipes to close: a run may still hold them).
 */
export function killOnCleanup(t: TestContext, ...clis: Array<Pick<CliProcess, 'child'>>): void {
	onCleanup(t, async () => {
		await Promise.all(clis.map(async ({child}) => {
			if (child.exitCode === null && child.signalCode === null) {
				const exit = once(child, 'exit');
				child.kill('SIGKILL');
				await exit;
			}
		}));
	});
}
