import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {RedisConnection} from '../../source/cluster/connect-redis.js';
import {validateConfiguration} from '../../source/config/load-configuration.js';
import type {ClusterReport} from '../../source/core/cluster-port.js';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import {prepareClusterLimits} from '../../source/host/cluster-limits.js';

/*
 * Local limits (every lease granted here) only for a Redis that could not be reached at start with
 * `onUnavailable: local`. A Redis reached, then lost before the limits took the connection (a link cut at that
 * moment: the cluster storm found it, each host then ran its full `instances`), is lost at run time: no lease.
 */

const configuration = validateConfiguration({
	cluster: {redis: 'redis://127.0.0.1:1', key: 'limits', leaseTtl: '3s'},
	jobs: {work: {command: 'true', instances: 2, cluster: {instances: 2}}},
}, 'test', {directory: '/', isFile: false});

/** A connection that never becomes available (its `redis` is never called while it is not). */
function lostConnection(reachedAtStart: boolean): RedisConnection {
	return {
		redis: undefined as unknown as RedisConnection['redis'],
		available: false,
		reachedAtStart,
		onAvailability: () => () => true,
		duplicate: () => assert.fail('not duplicated'),
		close: async () => undefined,
	};
}

function limitsOn(connection: RedisConnection) {
	const events: SupervisorEvent[] = [];
	const reports: ClusterReport[] = [];
	const limits = prepareClusterLimits(configuration, event => events.push(event))!;
	limits.leases.attach((_job, report) => reports.push(report));
	limits.use(connection);
	// Granted leases are told at once (local); one that waits for Redis is not.
	limits.leases.want('work', 2, 2);
	return {events, reports, close: async () => limits.leases.close()};
}

test('a Redis reached at start and lost before its use: the jobs hear it is away, and no lease is granted', async () => {
	const {events, reports, close} = limitsOn(lostConnection(true));
	await close();
	assert.deepEqual(events.map(event => event.type), []);
	assert.deepEqual(reports.map(report => report.type), ['cluster-reachable']);
	assert.equal(reports[0]?.type === 'cluster-reachable' && reports[0].reachable, false);
});

test('a Redis not reached at start (onUnavailable: local): one warning, and every lease is granted here', async () => {
	const {events, reports, close} = limitsOn(lostConnection(false));
	await close();
	assert.deepEqual(events.map(event => event.type), ['cluster-local']);
	assert.deepEqual(reports.map(report => report.type), ['leased', 'leased']);
});
