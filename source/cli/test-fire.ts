import {spawn} from 'node:child_process';
import {classifyExit} from '../core/classify-exit.js';
import type {Configuration, JobDefinition, RunResult} from '../core/job-definition.js';
import {buildSpawnRequest} from '../core/spawn-request.js';
import type {RunExit} from '../core/process-driver.js';
import {spawnErrorMessage} from '../driver/spawn-error-message.js';
import {formatDuration} from '../reporters/format-duration.js';

type Output = {write(text: string): unknown};

const meanings: Record<RunResult, (definition: JobDefinition) => string> = {
	done: definition => `done: no more work for now; fatc would rest it for ${formatDuration(definition.sleep)}`,
	more: () => 'more: there is more work; fatc would run it again at once',
	error: definition => `error: fatc would back off for ${formatDuration(definition.sleepOnError)}`,
	stopped: () => 'stopped',
};

/** `fatc check --test-fire`: each job once, in the foreground, its output on the terminal. Resolves 0 if every run read as done or more. */
export async function testFire(configuration: Configuration, output: Output): Promise<number> {
	let failures = 0;
	for (const definition of configuration.jobs) {
		const request = buildSpawnRequest(definition, 0, 1, () => {});
		output.write(`> ${definition.name}: ${[request.command, ...request.args].join(' ')}\n`);
		const startedAt = Date.now();
		const exit = await runInForeground(request.command, request.args, request.cwd, request.env, definition.timeout);
		const result = exit.timedOut ? 'error' : classifyExit(definition, {}, exit);
		const how = exit.spawnError ?? (exit.timedOut ? `killed after timeout ${formatDuration(definition.timeout)}` : (exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`));
		output.write(`< ${definition.name}: ${how} after ${formatDuration(Date.now() - startedAt)} reads as ${meanings[result](definition)}\n`);
		if (result === 'error') {
			failures++;
		}
	}

	return failures === 0 ? 0 : 1;
}

function runInForeground(command: string, args: string[], cwd: string, env: Record<string, string>, timeout: number): Promise<RunExit & {timedOut: boolean}> {
	return new Promise(resolve => {
		const child = spawn(command, args, {cwd, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true});
		let timedOut = false;
		const killGroup = (signal: NodeJS.Signals) => {
			try {
				process.kill(-child.pid!, signal);
			} catch {}
		};

		const forward = () => {
			killGroup('SIGTERM');
		};

		const timer = timeout > 0 ? setTimeout(() => {
			timedOut = true;
			killGroup('SIGKILL');
		}, timeout) : undefined;
		process.on('SIGINT', forward);
		let finished = false;
		const finish = (exit: RunExit) => {
			if (finished) {
				return;
			}

			finished = true;
			clearTimeout(timer);
			process.off('SIGINT', forward);
			if (child.pid !== undefined) {
				killGroup('SIGKILL');
			}

			resolve({...exit, timedOut});
		};

		child.on('error', error => {
			finish({code: null, signal: null, spawnError: spawnErrorMessage(error, command, cwd, env)});
		});
		child.on('exit', (code, signal) => {
			finish({code, signal});
		});
	});
}
