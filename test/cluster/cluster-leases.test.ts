import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {createClusterLeases} from '../../source/cluster/cluster-leases.js';
import {connectRedis} from '../../source/cluster/connect-redis.js';
import {parseRedisUrl} from '../../source/config/cluster-schema.js';
import type {ClusterLease, ClusterReport} from '../../source/core/cluster-port.js';
import type {ClusterSettings} from '../../source/core/cluster-settings.js';
import {onCleanup} from '../helpers/cleanup.js';
import {startRedisServer} from '../helpers/redis-server.js';
import {startTcpRelay} from '../helpers/tcp-relay.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * The leases' own bookkeeping against a real redis-server, through a TCP relay the test cuts or freezes: a lease must
 * not stay held in Redis by a host that no longer wants it — for the rest of its TTL (a minute here, so an expiry can
 * never pass for a give-back) the other hosts would have one slot less.
 */

const ttl = 60_000;
const key = 'leases:job:work:leases';

async function leasesThroughRelay(t: TestContext) {
	const redis = await startRedisServer(t);
	const relay = await startTcpRelay(t, redis);
	const settings: ClusterSettings = {
		redis: parseRedisUrl(`redis://127.0.0.1:${relay.port}`)!,
		key: 'leases',
		onUnavailable: 'fail',
		passwordEnv: 'FATC_REDIS_PASSWORD',
		leaseTtl: ttl,
	};
	const connection = await connectRedis(settings);
	onCleanup(t, () => connection.close());
	const leases = createClusterLeases({settings, owner: 'test/leases/1', jobs: () => ['work']});
	const reports: ClusterReport[] = [];
	leases.attach((_job, report) => reports.push(report));
	leases.connect(connection);
	onCleanup(t, () => leases.close());
	return {redis, relay, connection, leases, reports};
}

test('a lease being asked for as fatc stops is given back before the stop ends, even when its answer comes late', async t => {
	const {redis, relay, connection, leases} = await leasesThroughRelay(t);
	relay.freeze();
	leases.want('work', 2, 1);
	const closing = leases.close();
	relay.restore();
	await closing;
	// As start-supervision does next: quit, so nothing sent after this reaches Redis.
	await connection.close();
	assert.equal(await redis.cli('ZCARD', key), '0', 'the lease taken as fatc stopped was given back');
});

test('a lease given back while Redis is away is given back once Redis is back, not left for its TTL', async t => {
	const {redis, relay, connection, leases, reports} = await leasesThroughRelay(t);
	leases.want('work', 2, 1);
	await waitFor(() => reports.some(report => report.type === 'leased'), 'a lease');
	const {lease} = reports.find(report => report.type === 'leased') as {lease: ClusterLease};
	assert.equal(await redis.cli('ZCARD', key), '1');
	relay.cut();
	await waitFor(() => !connection.available, 'the connection to be seen lost');
	leases.release('work', lease);
	assert.equal(leases.held('work'), 0);
	assert.equal(await redis.cli('ZCARD', key), '1', 'Redis could not hear it yet');
	relay.restore();
	await waitFor(async () => await redis.cli('ZCARD', key) === '0', 'the lease given back after the reconnection', 20_000);
});

test('a lease asked for across a partition, whose answer never came, is given back once the link heals', async t => {
	const {redis, relay, connection, leases, reports} = await leasesThroughRelay(t);
	relay.freeze();
	leases.want('work', 2, 1);
	// Sent after the request on the same link, with the same timeout: once it has timed out, so has the request.
	await assert.rejects(connection.redis.ping(), /timed out/i);
	relay.restore();
	// Redis now runs the request that timed out (a lease this host never learns of), then the one asked for again.
	await waitFor(() => reports.some(report => report.type === 'leased'), 'a lease after the link healed');
	await waitFor(async () => await redis.cli('ZCARD', key) === '1', 'only the lease the host holds left in Redis', 20_000, () => 'still two: the unanswered one holds a slot for its TTL');
	assert.equal(leases.held('work'), 1);
});
