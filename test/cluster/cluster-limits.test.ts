import assert from 'node:assert/strict';
import {test} from 'node:test';
import {allRecords, checkOncePerTick, clusterDaemon, type Daemon, ended, startDaemon} from '../helpers/cluster-daemon.js';
import {startRedisServer} from '../helpers/redis-server.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * Cluster limits (issue 17, part C): three fatc daemons on one real redis-server share `cluster: {instances: 2}` on
 * one job whose runs record their own start and end; never more than 2 at once across the three, from the records.
 */

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
