import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {Redis} from 'ioredis';
import {readFleet} from '../../source/cluster/fleet-store.js';
import type {FleetView} from '../../source/cluster/fleet-view.js';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {killLeftRun} from '../helpers/processes.js';
import {startRedisServer, type RedisServer} from '../helpers/redis-server.js';
import {readRunRecords} from '../helpers/run-records.js';
import {startTcpRelay} from '../helpers/tcp-relay.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {runCli} from '../helpers/cli.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * The fleet through the store (issue 17, part D): real fatc daemons sharing one cluster key on a real redis-server;
 * `fatc cluster status` lists them with their ages, `fatc cluster pause|resume` reaches all of them.
 */

const clusterSection = (redis: RedisServer, key: string) => `cluster:\n  redis: ${redis.url}\n  key: ${key}`;

/** A daemon of one `work` job (1 instance, long runs) in the cluster `key`; its runs are killed when the test ends. */
async function clusterDaemon(t: TestContext, redis: RedisServer, name: string, key: string) {
	const daemon = await daemonFolder(t, {name, instances: 1, extra: clusterSection(redis, key)});
	// A SIGKILLed daemon leaves its runs: they go with the test, their whole group (record-run.sh's sleep too).
	onCleanup(t, () => {
		for (const record of readRunRecords(daemon.records)) {
			if (record.end === undefined) {
				killLeftRun(record.pid, daemon.folder);
			}
		}
	});
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
	return daemon;
}

async function fleet(folder: string): Promise<FleetView> {
	const status = await runCli(['cluster', 'status', '--json'], {cwd: folder});
	assert.equal(status.code, 0, status.stderr);
	return JSON.parse(status.stdout) as FleetView;
}

async function jobOf(daemon: {fatc(args: string[]): Promise<{code: number | null; stdout: string; stderr: string}>}) {
	const status = await daemon.fatc(['status', '--json']);
	assert.equal(status.code, 0, status.stderr);
	return (JSON.parse(status.stdout) as Snapshot).jobs[0]!;
}

const started = (daemon: {records: string}) => readRunRecords(daemon.records).filter(record => record.start !== undefined).length;

test('fatc cluster status lists every fatc of the key with its age; a SIGKILLed one turns stale, then is gone', async t => {
	const redis = await startRedisServer(t);
	const alpha = await clusterDaemon(t, redis, 'alpha', 'view');
	const beta = await clusterDaemon(t, redis, 'beta', 'view');
	await alpha.runsUnderWay(1);
	await beta.runsUnderWay(1);

	let view: FleetView | undefined;
	await waitFor(async () => {
		view = await fleet(alpha.folder);
		return view.hosts.length === 2 && view.hosts.every(host => host.jobs[0]?.running === 1);
	}, 'both daemons listed with their run', 20_000, () => JSON.stringify(view));
	assert.deepEqual(view!.hosts.map(host => [host.name, host.pid, host.stale]).sort(), [['alpha', alpha.daemonPid(), false], ['beta', beta.daemonPid(), false]]);
	assert.ok(view!.hosts.every(host => host.ageMs <= 6000), 'beats are fresh');
	assert.deepEqual(view!.hosts[0]!.jobs.map(job => [job.name, job.instances, job.paused]), [['work', 1, false]]);

	const text = await alpha.fatc(['cluster', 'status']);
	assert.equal(text.code, 0, text.stderr);
	assert.match(text.stdout, /^cluster "view": 2 fatc on 1 host\n/);
	assert.match(text.stdout, new RegExp(`\\s+alpha\\s+${alpha.daemonPid()}\\s+.* ago\\n  work  1/1 running, 1 started\\n`));

	// Polled in this process (a CLI start can take seconds on a loaded machine), then shown by the CLI while stale.
	const redisClient = new Redis({path: redis.socket});
	onCleanup(t, () => redisClient.disconnect());
	process.kill(beta.daemonPid()!, 'SIGKILL');
	await waitFor(async () => {
		view = await readFleet(redisClient, 'view');
		return view.hosts.find(host => host.name === 'beta')?.stale === true;
	}, 'the killed daemon to show as stale', 30_000, () => JSON.stringify(view));
	const stale = await alpha.fatc(['cluster', 'status']);
	assert.match(stale.stdout, /beta .* ago, stale \(gone .* from now unless it beats\)/);
	assert.doesNotMatch(stale.stdout, /alpha .*stale/, 'the live one stays fresh');
	await waitFor(async () => {
		view = await readFleet(redisClient, 'view');
		return view.hosts.length === 1;
	}, 'the killed daemon to be gone once its key expires', 60_000, () => JSON.stringify(view));
	assert.equal((await fleet(alpha.folder)).hosts.length, 1);
	assert.equal(view!.hosts[0]!.name, 'alpha');

	// A daemon that stops leaves the list at once.
	assert.equal((await alpha.fatc(['stop'])).code, 0);
	assert.deepEqual((await fleet(alpha.folder)).hosts, []);
});

test('fatc cluster pause reaches every fatc of the key, one started later too; resume starts runs again on all', async t => {
	const redis = await startRedisServer(t);
	const alpha = await clusterDaemon(t, redis, 'alpha', 'pauses');
	const beta = await clusterDaemon(t, redis, 'beta', 'pauses');
	await alpha.runsUnderWay(1);
	await beta.runsUnderWay(1);
	await waitFor(async () => (await fleet(alpha.folder)).hosts.length === 2, 'both daemons listed', 20_000);

	const paused = await alpha.fatc(['cluster', 'pause', 'work']);
	assert.equal(paused.code, 0, paused.stderr);
	assert.match(paused.stdout, /^work: paused across the cluster "pauses" \(2 fatc told now; /);
	for (const daemon of [alpha, beta]) {
		await waitFor(async () => {
			const job = await jobOf(daemon);
			return job.paused && job.clusterPause?.from !== undefined && job.runsTotal === 0;
		}, 'the job paused across the cluster, its run stopped', 20_000);
		const status = await daemon.fatc(['status']);
		assert.match(status.stdout, /work\s+independent\s+0\/1\/1\s+paused/);
		assert.match(status.stdout, /\n {2}paused across the cluster since \d\d:\d\d by \S+@\S+ \("fatc cluster resume work" lifts it\)\n/);
		assert.match(readFileSync(join(daemon.folder, `logs/${status.stdout.match(/^fatc "(\w+)"/)![1]}.daemon.log`), 'utf8'), /work: paused across the cluster by \S+@\S+\n/);
	}

	// A resume by hand is refused: the cluster's pause wins, and says how to lift it.
	const byHand = await beta.fatc(['resume', 'work']);
	assert.equal(byHand.code, 1);
	assert.match(byHand.stderr, /work: not resumed: it is paused across the cluster \(by \S+\); "fatc cluster resume work" resumes it on every fatc of the key/);

	// One that starts now picks the pause up before its first start: no run at all.
	const gamma = await clusterDaemon(t, redis, 'gamma', 'pauses');
	await waitFor(async () => (await fleet(alpha.folder)).hosts.length === 3, 'the third daemon listed', 20_000);
	const gammaJob = await jobOf(gamma);
	assert.equal(gammaJob.paused, true);
	assert.ok(gammaJob.clusterPause);
	assert.equal(started(gamma), 0, 'no run started on the late daemon');
	const view = await fleet(gamma.folder);
	assert.deepEqual(view.paused.map(pause => pause.job), ['work']);
	assert.ok(view.hosts.every(host => host.jobs[0]!.clusterPaused && host.jobs[0]!.running === 0));

	const before = [alpha, beta].map(started);
	const resumed = await gamma.fatc(['cluster', 'resume', 'work']);
	assert.equal(resumed.code, 0, resumed.stderr);
	assert.match(resumed.stdout, /^work: resumed across the cluster "pauses" \(3 fatc told now/);
	for (const [index, daemon] of [alpha, beta, gamma].entries()) {
		await waitFor(async () => {
			const job = await jobOf(daemon);
			return !job.paused && job.clusterPause === null && job.runsTotal === 1;
		}, `a run again on ${index}`, 20_000);
	}

	assert.ok(started(alpha) > before[0]! && started(beta) > before[1]!, 'new runs started after the resume');
	assert.equal(started(gamma), 1);
	assert.deepEqual((await fleet(alpha.folder)).paused, []);
});

test('fatc cluster: exit 2 for a config without cluster or a wrong command line, 3 when Redis cannot be reached', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  work:\n    command: "true"\n');
	const none = await runCli(['cluster', 'status'], {cwd: folder});
	assert.equal(none.code, 2);
	assert.match(none.stderr, /^fatc: \S+\.fatcontrollerrc: no "cluster" in the config \(cluster: \{redis: URL, key: NAME\}\), so no fleet to show or steer\n$/);

	const away = temporaryFolder(t);
	await writeIn(away, '.fatcontrollerrc', `cluster:\n  redis: unix://${away}/nothing.sock\n  key: away\njobs:\n  work:\n    command: "true"\n`);
	const unreachable = await runCli(['cluster', 'status'], {cwd: away});
	assert.equal(unreachable.code, 3);
	assert.equal(unreachable.stderr.split('\n').length, 2, `one line: ${unreachable.stderr}`);
	assert.match(unreachable.stderr, /^fatc: cannot reach Redis at unix:\/\//);

	assert.equal((await runCli(['cluster'], {cwd: away})).code, 2);
	assert.equal((await runCli(['cluster', 'pause'], {cwd: away})).code, 2);
	const unknown = await runCli(['cluster', 'frobnicate'], {cwd: away});
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /unknown cluster command "frobnicate"/);
});

test('fatc --detach with a Redis that does not answer (onUnavailable: fail) says so and exits 1; no daemon is left', async t => {
	const redis = await startRedisServer(t);
	const relay = await startTcpRelay(t, redis);
	// Frozen: the connection is accepted and never answered, so the daemon's connect times out (2 s) — long after it
	// would have answered on its socket, had it listened before connecting.
	relay.freeze();
	const daemon = await daemonFolder(t, {name: 'frozen', instances: 1, extra: `cluster:\n  redis: redis://127.0.0.1:${relay.port}\n  key: frozen`});
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 1, started.stdout);
	assert.match(started.stderr, /^fatc: the daemon could not start: .*cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
	assert.equal(daemon.daemonPid(), undefined, 'no pid file left');
	assert.equal(readRunRecords(daemon.records).length, 0, 'no run started');
	// Its runs' cpu cgroup was made before it tried Redis (where fatc makes one: root on cgroup v1 here): removed as it
	// gave up, not left as fatc-frozen-<pid> for each attempt of a restart loop.
	const cpu = '/sys/fs/cgroup/cpu';
	const left = existsSync(cpu) ? readdirSync(cpu).filter(entry => entry.startsWith('fatc-frozen-')) : [];
	assert.deepEqual(left, [], 'no cgroup left by the daemon that could not start');
});

test('after Redis was away a fatc beats again, listens again, and picks up a pause it was never told of', async t => {
	const redis = await startRedisServer(t);
	const alpha = await clusterDaemon(t, redis, 'alpha', 'back');
	await alpha.runsUnderWay(1);
	await waitFor(async () => (await fleet(alpha.folder)).hosts.length === 1, 'the daemon listed', 20_000);

	await redis.stop();
	const away = await alpha.fatc(['cluster', 'status']);
	assert.equal(away.code, 3);
	assert.equal((await jobOf(alpha)).paused, false, 'nothing changes while Redis is away');
	await redis.start();
	// An empty store (as after a failover to a replica that had nothing), then a pause written straight into it
	// without a message on the channel: only a read of the hash finds it, and only a new beat lists the daemon.
	await redis.cli('FLUSHALL');
	await redis.cli('HSET', 'back:paused', 'work', JSON.stringify({since: Date.now(), from: 'ops@elsewhere'}));
	await waitFor(async () => {
		const job = await jobOf(alpha);
		return job.paused && job.clusterPause?.from === 'ops@elsewhere';
	}, 'the pause picked up from the store', 20_000);
	await waitFor(async () => (await fleet(alpha.folder)).hosts.length === 1, 'the daemon listed again', 20_000);
	await waitFor(async () => (await redis.cli('PUBSUB', 'NUMSUB', 'back:fleet')).split('\n')[1] === '1', 'the daemon listening on the channel again', 20_000);

	const resumed = await alpha.fatc(['cluster', 'resume', 'work']);
	assert.match(resumed.stdout, /\(1 fatc told now/);
	await waitFor(async () => (await jobOf(alpha)).runsTotal === 1, 'a run again', 20_000);
});

test('a fatc started while Redis is away (onUnavailable: local) joins the fleet and hears the pauses once it is back', async t => {
	const redis = await startRedisServer(t);
	await redis.stop();
	const daemon = await daemonFolder(t, {name: 'late', instances: 1, extra: `${clusterSection(redis, 'late')}\n  onUnavailable: local`});
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
	await daemon.runsUnderWay(1);

	await redis.start();
	await waitFor(async () => (await redis.cli('PUBSUB', 'NUMSUB', 'late:fleet')).split('\n')[1] === '1', 'the daemon listening on the channel', 20_000);
	await waitFor(async () => (await fleet(daemon.folder)).hosts.length === 1, 'the daemon listed', 20_000);
	const paused = await daemon.fatc(['cluster', 'pause', 'work']);
	assert.match(paused.stdout, /\(1 fatc told now/);
	await waitFor(async () => (await jobOf(daemon)).clusterPause !== null, 'the pause applied', 20_000);
});
