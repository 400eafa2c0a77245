import type {ClusterPause, Snapshot} from '../core/snapshot.js';
import type {ClusterRedis, RedisConnection} from './connect-redis.js';
import {beatInterval} from './fleet-view.js';
import {fleetKeys, publishBeat, readPauses, removeBeat} from './fleet-store.js';
import {summarizeHost} from './host-summary.js';

export type FleetPresenceOptions = {
	connection: RedisConnection;
	key: string;
	/** This machine's host name. */
	host: string;
	/** A snapshot for the summary (its resource usage is not needed). */
	snapshot(): Snapshot;
	/** The cluster leases this fatc holds for a job with a cluster limit; undefined for another job. */
	leases?: (job: string) => number | undefined;
	/** The store's cluster pauses, after every read: at start, on each message of the channel, with each beat. */
	onPauses(pauses: ReadonlyMap<string, ClusterPause>, snapshot: Snapshot): void;
};

export type FleetPresence = {
	/** Resolves once the pauses were read for the first time (at once when Redis is away: they follow when it is back). */
	ready: Promise<void>;
	/** Stops beating and listening, and takes this fatc off the list. The connection stays its owner's. */
	close(): Promise<void>;
};

/**
 * This fatc among the others of its key: its summary every beat (the key expires unless renewed, so a killed fatc
 * goes stale, then disappears), and the cluster pauses, read from the store's hash — when it starts, whenever the
 * channel says they changed, before every beat (so a beat tells them as applied), and when Redis is back — so a
 * message lost while Redis was away, or a fatc that joins late, still ends up with them. While Redis is away nothing
 * changes: pauses stay as they were.
 */
export function startFleetPresence(options: FleetPresenceOptions): FleetPresence {
	const {connection, key} = options;
	const keys = fleetKeys(key);
	let closed = false;
	let reading: Promise<void> | undefined;
	let readAgain = false;
	const snapshot = () => options.snapshot();
	// One read at a time; a request during one reads once more after it (the newest state wins).
	const syncPauses = async (): Promise<void> => {
		if (reading) {
			readAgain = true;
			return reading;
		}

		reading = (async () => {
			do {
				readAgain = false;
				if (closed || !connection.available) {
					return;
				}

				const pauses = await readPauses(connection.redis, key).catch(() => undefined);
				if (pauses && !closed) {
					options.onPauses(pauses, snapshot());
				}
			} while (readAgain);
		})().finally(() => {
			reading = undefined;
		});
		return reading;
	};

	const beat = async () => {
		if (closed || !connection.available) {
			return;
		}

		// Pauses first: a fatc that joins while a job is paused across the cluster says so in its first beat.
		await syncPauses();
		await publishBeat(connection.redis, key, summarizeHost(snapshot(), options.host, options.leases)).catch(() => {
			// Redis went away: connection.ts tells it; the next beat tries again.
		});
	};

	const timer = setInterval(() => void beat(), beatInterval);
	timer.unref();
	const stopWatching = connection.onAvailability(available => {
		if (available) {
			void beat();
			connectSubscriber();
		}
	});

	const subscriber: ClusterRedis = connection.duplicate();
	subscriber.on('message', (channel: string) => {
		if (channel === keys.channel) {
			void syncPauses();
		}
	});
	// Subscribed on every 'ready' (the first one may come from a retry after a failed connect, which ioredis would
	// not re-subscribe; subscribing twice is harmless), and the pauses read then (a message may have been lost).
	subscriber.on('ready', () => {
		subscriber.subscribe(keys.channel).catch(() => {});
		void syncPauses();
	});
	const connectSubscriber = () => {
		if (!closed && (subscriber.status === 'wait' || subscriber.status === 'end')) {
			subscriber.connect().catch(() => {
				// Connected again when the main connection is back (onAvailability above).
			});
		}
	};

	connectSubscriber();
	const ready = beat();
	return {
		ready,
		async close() {
			closed = true;
			clearInterval(timer);
			stopWatching();
			subscriber.disconnect();
			if (connection.available) {
				await removeBeat(connection.redis, key, summarizeHost(snapshot(), options.host)).catch(() => {});
			}
		},
	};
}
