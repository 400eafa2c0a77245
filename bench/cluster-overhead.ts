/**
 * Cluster limits' cost on a start (issue 17): `node --import tsx bench/cluster-overhead.ts [RUNS]`, also printed by
 * `npm run bench` (bench/run.ts). Needs /usr/bin/redis-server; it starts its own on a Unix socket in a temporary
 * folder and stops it.
 *
 * One job, one instance, `true` run again and again (independent, `sleep` 5 ms after each run, so every start of the
 * cluster-limited job takes a new lease: the run's lease is given back when it ends and nothing starts in that pass).
 * The same supervisor (the real core, driver and lease keeper) runs it three ways: local only, with
 * `cluster: {instances: 1}`, and the same with `sleep: 0` (a run that ends hands its lease to the next start at once).
 * Per start: the time between two run-started events; the figure is the median of each way, and the difference to
 * local is the cost of the lease (Redis round trip, Lua script, one more event through the core).
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {createClusterLeases} from '../source/cluster/cluster-leases.js';
import {connectRedis} from '../source/cluster/connect-redis.js';
import {parseRedisUrl} from '../source/config/cluster-schema.js';
import type {ClusterSettings} from '../source/core/cluster-settings.js';
import type {JobDefinition} from '../source/core/job-definition.js';
import {createSupervisor} from '../source/core/supervisor.js';
import {createProcessDriver} from '../source/driver/create-process-driver.js';
import {validateConfiguration} from '../source/config/load-configuration.js';

type Way = {name: string; sleep: number; cluster: boolean};

const median = (values: number[]) => {
	const sorted = [...values].sort((first, second) => first - second);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function startsOf(way: Way, runs: number, settings: ClusterSettings, folder: string): Promise<number[]> {
	const job: JobDefinition = {
		...validateConfiguration({jobs: {work: {command: 'true', model: 'independent', sleep: `${way.sleep}ms`}}}, 'bench', {directory: folder, isFile: false}).jobs[0]!,
		logFile: '/dev/null',
		...(way.cluster ? {cluster: {instances: 1}} : {}),
	};
	const connection = way.cluster ? await connectRedis(settings) : undefined;
	const leases = connection && createClusterLeases({settings, owner: 'bench', jobs: () => ['work']});
	if (connection && leases) {
		leases.connect(connection);
	}

	const supervisor = createSupervisor({
		configuration: {name: 'bench', logDir: folder, runDir: folder, jobs: [job], ...(way.cluster ? {cluster: settings} : {})},
		driver: createProcessDriver({onError() {}}),
		strict: false,
		cluster: leases,
	});
	const times: number[] = [];
	let resolve: () => void = () => {};
	const enough = new Promise<void>(done => {
		resolve = done;
	});
	supervisor.subscribe(event => {
		if (event.type === 'run-started') {
			times.push(event.time);
			if (times.length > runs) {
				resolve();
			}
		}
	});
	supervisor.start();
	await enough;
	await supervisor.shutdown();
	await leases?.close();
	await connection?.close();
	return times.slice(1).map((time, index) => time - times[index]!);
}

/** Medians per start of each way, and the lease's cost over local. */
export async function clusterOverhead(runs = 400): Promise<string[]> {
	const folder = mkdtempSync(join(tmpdir(), 'fatc-bench-cluster-'));
	const socket = join(folder, 'redis.sock');
	const server = spawn('/usr/bin/redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--dir', folder], {stdio: 'ignore'});
	try {
		const settings: ClusterSettings = {redis: parseRedisUrl(`unix://${socket}`)!, key: 'bench', onUnavailable: 'fail', passwordEnv: 'FATC_REDIS_PASSWORD', leaseTtl: 15_000};
		for (let tries = 0; ; tries++) {
			try {
				await (await connectRedis(settings)).close();
				break;
			} catch (error) {
				if (tries > 100) {
					throw error;
				}

				await delay(50);
			}
		}

		const ways: Way[] = [
			{name: 'local, sleep 5 ms', sleep: 5, cluster: false},
			{name: 'cluster instances 1, sleep 5 ms (a new lease each start)', sleep: 5, cluster: true},
			{name: 'local, sleep 0', sleep: 0, cluster: false},
			{name: 'cluster instances 1, sleep 0 (the lease handed on)', sleep: 0, cluster: true},
		];
		const medians = new Map<string, number>();
		// Twice over, interleaved: a machine busy with something else weighs on both ways alike.
		const gaps = new Map<string, number[]>(ways.map(way => [way.name, []]));
		for (let round = 0; round < 2; round++) {
			for (const way of ways) {
				gaps.get(way.name)!.push(...await startsOf(way, runs / 2, settings, folder));
			}
		}

		for (const way of ways) {
			medians.set(way.name, median(gaps.get(way.name)!));
		}

		const lines = ways.map(way => `${way.name}: ${medians.get(way.name)!.toFixed(2)} ms per start (median of ${gaps.get(way.name)!.length})`);
		lines.push(
			`lease cost per start (new lease): ${(medians.get(ways[1]!.name)! - medians.get(ways[0]!.name)!).toFixed(2)} ms`,
			`lease cost per start (handed on): ${(medians.get(ways[3]!.name)! - medians.get(ways[2]!.name)!).toFixed(2)} ms`,
		);
		return lines;
	} finally {
		server.kill();
		rmSync(folder, {recursive: true, force: true});
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const lines = await clusterOverhead(Number(process.argv[2] ?? 400));
	process.stdout.write(`Cluster limits, cost of a start:\n${lines.map(line => `  ${line}\n`).join('')}`);
}
