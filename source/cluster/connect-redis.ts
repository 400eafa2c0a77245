import {hostname} from 'node:os';
import type {Redis, RedisOptions} from 'ioredis';
import type {ClusterSettings} from '../core/cluster-settings.js';
import {leaseCommands, type LeaseCommands} from './lease-scripts.js';

/*
 * The one way fatc connects to the cluster's Redis (issue 17). Commands never wait in a queue while Redis is away:
 * a lease renewal that would arrive late is worse than one that fails (the run is fenced on time instead), so the
 * offline queue is off and each command has a timeout. The client reconnects by itself, every second at most.
 */

/** A command's answer or its failure within this long; a blackholed Redis then reads as unreachable. */
export const commandTimeout = 2000;
/** A connection attempt gives up after this long (and is tried again, every second). */
export const connectTimeout = 2000;

/** ioredis with fatc's Lua commands defined. */
export type ClusterRedis = Redis & LeaseCommands;

export type RedisConnection = {
	/** Commands fail at once (never queue) while `available` is false. */
	readonly redis: ClusterRedis;
	/** Ready for commands now. */
	readonly available: boolean;
	/**
	 * The first connect succeeded. False only with `waitForIt` (onUnavailable: local) when it failed; a Redis lost
	 * just after a successful connect is `available` false but reached: gone at run time, not absent at start.
	 */
	readonly reachedAtStart: boolean;
	/**
	 * Told each time Redis becomes reachable (true) or stops being so (false, with a one-line reason, password
	 * hidden); not told the current state. Returns the unsubscribe.
	 */
	onAvailability(listener: (available: boolean, reason?: string) => void): () => void;
	/** Another client to the same Redis (same options), e.g. for SUBSCRIBE; closed by its caller. */
	duplicate(): ClusterRedis;
	/** Quits (or disconnects) every client; resolves when closed. */
	close(): Promise<void>;
};

/** Redis could not be reached: `message` is one line naming the URL without its password. */
export class RedisUnavailableError extends Error {
	override readonly name = 'RedisUnavailableError';
}

/** `<key>:part:part…`: every Redis key and channel fatc uses is named so (see /tmp/notes/cluster-foundation.md). */
export function clusterKey(settings: Pick<ClusterSettings, 'key'>, ...parts: Array<string | number>): string {
	return [settings.key, ...parts].join(':');
}

/** Names this fatc among the hosts of a key: `host/name/pid` (the pid tells a restarted daemon from its past self). */
export function hostIdentity(configurationName: string, pid = process.pid): string {
	return `${hostname()}/${configurationName}/${pid}`;
}

/** The ioredis options for `settings`; the password from the URL, else from the variable `passwordEnv`. */
export function redisOptions(settings: ClusterSettings, environment: NodeJS.ProcessEnv = process.env): RedisOptions {
	const {redis: address} = settings;
	const password = address.password ?? environment[settings.passwordEnv];
	return {
		...(address.kind === 'unix' ? {path: address.path} : {host: address.host, port: address.port}),
		...(address.kind === 'tcp' && address.tls ? {tls: {servername: address.host}} : {}),
		...(address.username === undefined ? {} : {username: address.username}),
		...(password === undefined || password === '' ? {} : {password}),
		db: address.db,
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		commandTimeout,
		connectTimeout,
		keepAlive: 1000,
		retryStrategy: times => Math.min(times * 100, 1000),
		// A READONLY replica after a failover: reconnect (to whatever the address now names).
		reconnectOnError: error => error.message.startsWith('READONLY'),
		// A fatc name on every client makes `CLIENT LIST` readable.
		connectionName: 'fatc',
	};
}

/** An error of ioredis as one line, with the URL (password hidden). */
export function describeRedisError(settings: ClusterSettings, error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	const password = settings.redis.password;
	const message = (password ? text.split(password).join('***') : text).split('\n')[0];
	return `Redis at ${settings.redis.shown}: ${message}`;
}

/** ioredis's class, loaded by the first connection: a fatc without `cluster` never loads it (~70 ms, more under load). */
type RedisClass = typeof import('ioredis').Redis;

function createClient(Client: RedisClass, settings: ClusterSettings, environment: NodeJS.ProcessEnv): ClusterRedis {
	const redis = new Client(redisOptions(settings, environment));
	// Errors are told through onAvailability; without a listener ioredis prints each one.
	redis.on('error', () => {});
	for (const [name, definition] of Object.entries(leaseCommands)) {
		redis.defineCommand(name, definition);
	}

	return redis as ClusterRedis;
}

/**
 * Connects to the cluster's Redis. Resolves once it answers; rejects with a {@link RedisUnavailableError} (one line)
 * when the first attempt fails, unless `waitForIt` (onUnavailable: local), which resolves at once and keeps trying.
 */
export async function connectRedis(settings: ClusterSettings, options: {environment?: NodeJS.ProcessEnv; waitForIt?: boolean} = {}): Promise<RedisConnection> {
	const environment = options.environment ?? process.env;
	const {Redis: Client} = await import('ioredis');
	const redis = createClient(Client, settings, environment);
	const listeners = new Set<(available: boolean, reason?: string) => void>();
	const duplicates = new Set<ClusterRedis>();
	let available = false;
	let reachedAtStart = false;
	let lastError: string | undefined;
	const tell = (now: boolean, reason?: string) => {
		if (now !== available) {
			available = now;
			for (const listener of listeners) {
				listener(now, reason);
			}
		}
	};

	redis.on('ready', () => {
		tell(true);
	});
	redis.on('error', (error: unknown) => {
		lastError = describeRedisError(settings, error);
	});
	redis.on('close', () => {
		tell(false, lastError ?? `Redis at ${settings.redis.shown}: connection closed`);
	});

	const connection: RedisConnection = {
		redis,
		get available() {
			return available;
		},
		get reachedAtStart() {
			return reachedAtStart;
		},
		onAvailability(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		duplicate() {
			const copy = createClient(Client, settings, environment);
			duplicates.add(copy);
			copy.once('end', () => duplicates.delete(copy));
			return copy;
		},
		async close() {
			listeners.clear();
			await Promise.all([redis, ...duplicates].map(async client => {
				if (client.status === 'ready') {
					await client.quit().catch(() => undefined);
				}

				// Also after a quit: no retry may be left scheduled.
				client.disconnect();
			}));
		},
	};

	try {
		await redis.connect();
		// Ready when it resolved; 'close' may have come since (a link cut at that moment): `available` says so.
		reachedAtStart = true;
		available = redis.status === 'ready';
	} catch (error) {
		// ioredis rejects with "Connection is closed."; the socket's own error (ENOENT, WRONGPASS) came before.
		lastError ??= describeRedisError(settings, error);
		if (!options.waitForIt) {
			redis.disconnect();
			throw new RedisUnavailableError(`cannot reach ${lastError}`);
		}

		// After a failed lazy connect ioredis has either given up (status end) or already scheduled its own retry
		// (reconnecting). Only in the first case is it told to go on: a second connect() beside its retry left two
		// sockets, and the orphan's close later restarted the retries after close() (a test's process never ended).
		if (redis.status === 'end' || redis.status === 'close' || redis.status === 'wait') {
			redis.connect().catch(() => {});
		}
	}

	return connection;
}
