import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {runCli} from '../helpers/cli.js';
import {fixture} from '../helpers/fixture.js';
import {isAlive} from '../helpers/processes.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {maxConcurrentRuns, readRunRecords, type RunRecord} from '../helpers/run-records.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * Cluster limits (issue 17, part C): three fatc daemons on one real redis-server share `cluster: {instances: 2}` on
 * one job whose runs record their own start and end; never more than 2 at once across the three, from the records.
 */

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
	const pidFile = join(folder, `run/${name}.pid`);
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

		// A SIGKILLed daemon leaves its runs: they go with the test.
		for (const record of readRunRecords(records)) {
			if (record.end === undefined && isAlive(record.pid)) {
				process.kill(record.pid, 'SIGKILL');
			}
		}
	});
	return {name, folder, records, daemonPid, fatc: async (args: string[]) => runCli(args, {cwd: folder})};
}

type Daemon = Awaited<ReturnType<typeof clusterDaemon>>;

export async function startDaemon(daemon: Daemon) {
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
}

export const allRecords = (daemons: Daemon[]): RunRecord[] => daemons.flatMap(daemon => readRunRecords(daemon.records));
export const ended = (daemons: Daemon[]) => allRecords(daemons).filter(record => record.end !== undefined).length;
export const daemonLog = (daemon: Daemon) => readFileSync(join(daemon.folder, `logs/${daemon.name}.daemon.log`), 'utf8');

test('three daemons sharing cluster instances 2 never run more than 2 at once, and take turns', async t => {
	const redis = await startRedisServer(t);
	const daemons: Daemon[] = [];
	for (const name of ['alpha', 'beta', 'gamma']) {
		daemons.push(await clusterDaemon(t, redis, name, {key: 'limits', clusterInstances: 2, runSeconds: 0.2}));
	}

	await Promise.all(daemons.map(startDaemon));
	await waitFor(() => ended(daemons) >= 30, '30 runs to end across the three', 60_000, () => `${ended(daemons)} ended`);
	for (const daemon of daemons) {
		const stopped = await daemon.fatc(['stop']);
		assert.equal(stopped.code, 0, stopped.stderr);
	}

	const records = allRecords(daemons);
	assert.equal(maxConcurrentRuns(records), 2, 'never more than 2 runs at once across the three daemons');
	assert.ok(records.every(record => record.end !== undefined), 'every run ended');
	// More than one daemon took turns: the limit is shared, not one host holding both slots for good.
	assert.ok(daemons.filter(daemon => readRunRecords(daemon.records).length > 0).length >= 2, 'runs on at least two daemons');
	assert.equal(await redis.cli('ZCARD', 'limits:job:work:leases'), '0', 'every lease given back');
});

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

test('once: three daemons on a 1 s fixed interval run each tick exactly once between them', async t => {
	const redis = await startRedisServer(t);
	const daemons: Daemon[] = [];
	for (const name of ['alpha', 'beta', 'gamma']) {
		daemons.push(await clusterDaemon(t, redis, name, {key: 'once', once: true, instances: 1, sleep: '1s', runSeconds: 0.1}));
	}

	await Promise.all(daemons.map(startDaemon));
	await waitFor(() => allRecords(daemons).filter(record => record.end !== undefined).length >= 12, '12 ticks run', 90_000);
	for (const daemon of daemons) {
		await daemon.fatc(['stop']);
	}

	const {runs} = checkOncePerTick(allRecords(daemons), 1000);
	assert.ok(runs >= 12);
	assert.ok(daemons.filter(daemon => readRunRecords(daemon.records).length > 0).length >= 2, 'ticks won by more than one daemon');
});
