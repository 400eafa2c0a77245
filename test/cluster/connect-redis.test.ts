import assert from 'node:assert/strict';
import {test} from 'node:test';
import {connectRedis, RedisUnavailableError} from '../../source/cluster/connect-redis.js';
import {parseRedisUrl} from '../../source/config/cluster-schema.js';
import type {ClusterSettings} from '../../source/core/cluster-settings.js';
import {onCleanup} from '../helpers/cleanup.js';
import {startRedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

const settings = (url: string, extra: Partial<ClusterSettings> = {}): ClusterSettings => ({
	redis: parseRedisUrl(url)!,
	key: 'test',
	onUnavailable: 'fail',
	passwordEnv: 'FATC_REDIS_PASSWORD',
	leaseTtl: 15_000,
	...extra,
});

test('connects on a Unix socket and on a loopback port, with the password from the URL or the variable', async t => {
	const server = await startRedisServer(t, {password: 's3cret'});
	for (const cluster of [
		settings(`unix://${server.socket}`, {passwordEnv: 'PASSWORD_HERE'}),
		settings(`redis://:s3cret@127.0.0.1:${server.port}/2`),
	]) {
		const connection = await connectRedis(cluster, {environment: {PASSWORD_HERE: 's3cret'}});
		onCleanup(t, () => connection.close());
		assert.equal(await connection.redis.ping(), 'PONG');
		assert.equal(connection.available, true);
	}
});

test('a wrong password or no server: one line, the password never in it', async t => {
	const server = await startRedisServer(t, {password: 's3cret'});
	await assert.rejects(connectRedis(settings(`redis://:wrong-one@127.0.0.1:${server.port}`)), (error: Error) => {
		assert.ok(error instanceof RedisUnavailableError);
		assert.doesNotMatch(error.message, /wrong-one|\n/);
		assert.match(error.message, /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: /);
		return true;
	});
	await server.stop();
	await assert.rejects(connectRedis(settings(`unix://${server.socket}`)), /^RedisUnavailableError: cannot reach Redis at unix:\/\/.*redis\.sock: .*(ENOENT|ECONNREFUSED)/);
});

test('onUnavailable local: connects later, and tells when Redis goes and comes back', async t => {
	const server = await startRedisServer(t);
	await server.stop();
	const connection = await connectRedis(settings(`unix://${server.socket}`), {waitForIt: true});
	onCleanup(t, () => connection.close());
	assert.equal(connection.available, false);
	const told: boolean[] = [];
	connection.onAvailability(available => told.push(available));
	await server.start();
	await waitFor(() => connection.available, 'the connection to come up', 20_000);
	await server.stop();
	await waitFor(() => !connection.available, 'the connection to go down', 20_000);
	await assert.rejects(connection.redis.ping());
	await server.start();
	await waitFor(() => connection.available, 'the connection to come back', 20_000);
	assert.deepEqual(told, [true, false, true]);
});
