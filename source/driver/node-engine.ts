import {spawn} from 'node:child_process';
import type {SpawnEngine} from './spawn-engine.js';

/** Two pipes a run: child_process cannot hand one pipe to both stdout and stderr. */
export const nodeDescriptorsPerRun = () => 2;

/** child_process.spawn: works everywhere Node does; libuv forks the whole fatc (its page tables) for each run. */
export function createNodeEngine(reason: string): SpawnEngine {
	return {
		name: 'node',
		// As PID 1 (a container's entrypoint) fatc would have to reap every orphan, which takes waitpid through koffi.
		description: `child_process.spawn (${reason})${process.pid === 1 ? '; fatc is PID 1 but cannot reap orphans this way: run it under an init (docker run --init)' : ''}`,
		descriptorsPerRun: nodeDescriptorsPerRun,
		start(request) {
			let child;
			try {
				child = spawn(request.command, request.args, {
					cwd: request.cwd,
					env: request.env,
					detached: true,
					stdio: ['ignore', 'pipe', 'pipe'],
				});
			} catch (error) {
				return {failure: Promise.resolve(error)};
			}

			if (child.pid === undefined) {
				// Node reports ENOENT / EACCES on the next tick.
				const failed = child;
				return {failure: new Promise(resolve => failed.on('error', resolve))};
			}

			child.on('error', () => undefined);
			const exited = child;
			return {
				started: {
					pid: child.pid,
					pipes: [
						{stream: child.stdout, name: 'stdout', logFile: request.logFile},
						{stream: child.stderr, name: 'stderr', logFile: request.errLogFile ?? request.logFile},
					],
					onExit(listener) {
						exited.once('exit', (code, signal) => {
							listener({code, signal});
						});
					},
				},
			};
		},
	};
}
