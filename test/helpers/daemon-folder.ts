import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import {temporaryFolder, writeIn} from './temporary-folder.js';
import {onCleanup} from './cleanup.js';
import {runCli} from './cli.js';
import {fixture} from './fixture.js';
import {isAlive} from './processes.js';
import {waitFor} from './wait-for.js';

/**
 * The pid in the daemon's pid file (undefined while there is none), and a cleanup that stops whatever daemon of
 * `folder` is alive when the test ends.
 */
export function stopDaemonAfter(t: TestContext, folder: string, pidFile: string): () => number | undefined {
	const daemonPid = () => {
		try {
			return Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
		} catch {
			return undefined;
		}
	};

	onCleanup(t, async () => {
		const pid = daemonPid();
		if (pid !== undefined && isAlive(pid)) {
			await runCli(['stop'], {cwd: folder});
		}
	});
	return daemonPid;
}

/**
 * A folder with a .fatcontrollerrc whose runDir is inside it, and one record-run.sh job `work` (independent,
 * `instances` slots, runs of RUN_SECONDS). Whatever daemon it starts is stopped, or killed, when the test ends.
 */
export async function daemonFolder(t: TestContext, options: {name?: string; instances?: number; runSeconds?: number; env?: Record<string, string>; extra?: string; runDir?: string} = {}) {
	const name = options.name ?? 'testd';
	const runDir = options.runDir ?? 'run';
	const folder = temporaryFolder(t);
	const records = join(folder, 'work.records');
	await writeIn(folder, '.fatcontrollerrc', [
		`name: ${name}`,
		`runDir: ./${runDir}`,
		'jobs:',
		'  work:',
		`    command: ${fixture('record-run.sh')}`,
		`    args: [${records}]`,
		'    model: independent',
		`    instances: ${options.instances ?? 2}`,
		'    sleep: 0',
		'    stopTimeout: 5s',
		`    env: ${JSON.stringify({RUN_SECONDS: String(options.runSeconds ?? 1000), ...options.env})}`,
		options.extra ?? '',
	].join('\n'));
	const pidFile = join(folder, `${runDir}/${name}.pid`);
	const daemonPid = stopDaemonAfter(t, folder, pidFile);
	return {
		folder,
		records,
		pidFile,
		daemonPid,
		socket: join(folder, `${runDir}/${name}.sock`),
		fatc: (args: string[]) => runCli(args, {cwd: folder}),
		/** Waits until `count` runs of `work` are under way, per the daemon's status. */
		async runsUnderWay(count: number) {
			await waitFor(() => {
				const status = readFileSync(join(folder, `logs/${name}.daemon.log`), 'utf8');
				return (status.match(/ started \(pid/g) ?? []).length >= count;
			}, `${count} runs to start`, 15_000);
		},
	};
}
