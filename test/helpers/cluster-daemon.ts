import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import {onCleanup} from './cleanup.js';
import {runCli} from './cli.js';
import {fixture} from './fixture.js';
import {stopDaemonAfter} from './daemon-folder.js';
import {killLeftRun} from './processes.js';
import type {RedisServer} from './redis-server.js';
import {readRunRecords, type RunRecord} from './run-records.js';
import {temporaryFolder, writeIn} from './temporary-folder.js';

/* fatc daemons in one cluster, for the cluster tests (issue 17): a record-run.sh job `work` with a cluster limit. */

/** A fatc folder (its own name and runDir) whose job `work` runs record-run.sh, `instances` locally, `clusterInstances` across the key. */
export async function clusterDaemon(t: TestContext, redis: RedisServer, name: string, options: {key: string; instances?: number; clusterInstances?: number; once?: boolean; runSeconds: number; sleep?: string; redisUrl?: string}) {
	const folder = temporaryFolder(t);
	const records = join(folder, 'work.records');
	await writeIn(folder, '.fatcontrollerrc', [
		`name: ${name}`,
		'runDir: ./run',
		`cluster: {redis: "${options.redisUrl ?? redis.url}", key: ${options.key}, leaseTtl: 3s}`,
		'jobs:',
		'  work:',
		`    command: ${fixture('record-run.sh')}`,
		`    args: [${records}]`,
		`    model: ${options.once ? 'fixed' : 'independent'}`,
		`    instances: ${options.instances ?? 2}`,
		`    sleep: ${options.sleep ?? '0.3s'}`,
		'    stopTimeout: 5s',
		`    env: {RUN_SECONDS: "${options.runSeconds}"}`,
		options.once ? '    cluster: {once: true}' : `    cluster: {instances: ${options.clusterInstances}}`,
	].join('\n'));
	// A SIGKILLed daemon leaves its runs: they go with the test, their whole group (record-run.sh's sleep too), once
	// a live daemon was stopped (cleanups run last registered first).
	onCleanup(t, () => {
		for (const record of readRunRecords(records)) {
			if (record.end === undefined) {
				killLeftRun(record.pid, folder);
			}
		}
	});
	const daemonPid = stopDaemonAfter(t, folder, join(folder, `run/${name}.pid`));
	return {name, folder, records, daemonPid, fatc: async (args: string[]) => runCli(args, {cwd: folder})};
}

export type Daemon = Awaited<ReturnType<typeof clusterDaemon>>;

export async function startDaemon(daemon: Daemon) {
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
}

export const allRecords = (daemons: Daemon[]): RunRecord[] => daemons.flatMap(daemon => readRunRecords(daemon.records));
export const ended = (daemons: Daemon[]) => allRecords(daemons).filter(record => record.end !== undefined).length;
export const daemonLog = (daemon: Daemon) => readFileSync(join(daemon.folder, `logs/${daemon.name}.daemon.log`), 'utf8');

/**
 * Starts of `once` runs, from the records: no two within `apart` ms (a tick run twice starts twice at once), and about
 * one per second between the first and the last (±1 at the edges).
 */
export function checkOncePerTick(records: RunRecord[], interval: number) {
	const starts = records.map(record => record.start!).filter(start => start !== undefined).sort((first, second) => first - second);
	const gaps = starts.slice(1).map((start, index) => start - starts[index]!);
	const closest = Math.min(...gaps);
	assert.ok(closest > interval / 4, `two runs ${closest.toFixed(0)} ms apart: a tick ran twice`);
	const ticks = Math.round((starts.at(-1)! - starts[0]!) / interval) + 1;
	assert.ok(Math.abs(starts.length - ticks) <= 1, `${starts.length} runs over ${ticks} ticks`);
	return {runs: starts.length, ticks};
}

