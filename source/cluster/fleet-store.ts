import type {Redis} from 'ioredis';
import type {ClusterPause} from '../core/snapshot.js';
import {clusterKey} from './connect-redis.js';
import {beatExpiry, hostEntry, type FleetView} from './fleet-view.js';
import {parseHostSummary, type HostSummary} from './host-summary.js';

/**
 * The fleet's part of the store, under the cluster key: one string per fatc (its summary, expiring `beatExpiry`
 * after its beat), a set naming them (so a reader needs no SCAN), a hash of the jobs paused across the cluster
 * (kept, so a fatc that joins later or comes back picks them up) and a channel that tells every fatc at once.
 */
export function fleetKeys(key: string) {
	return {
		hosts: clusterKey({key}, 'hosts'),
		host: (id: string) => clusterKey({key}, 'host', id),
		paused: clusterKey({key}, 'paused'),
		channel: clusterKey({key}, 'fleet'),
	};
}

/** What the channel carries: only that the pauses changed; each fatc reads the hash (it holds the truth). */
export type FleetMessage = {type: 'pause' | 'resume'; job: string};

/** A fatc's id under the key (connect-redis.ts hostIdentity): host name, config name and pid. */
function hostId(summary: Pick<HostSummary, 'host' | 'name' | 'pid'>): string {
	return `${summary.host}/${summary.name}/${summary.pid}`;
}

export async function publishBeat(redis: Redis, key: string, summary: HostSummary): Promise<void> {
	const keys = fleetKeys(key);
	const id = hostId(summary);
	await redis.multi()
		.set(keys.host(id), JSON.stringify(summary), 'PX', beatExpiry)
		.sadd(keys.hosts, id)
		.exec();
}

/** A fatc that stops leaves the list at once (a killed one goes stale, then its key expires). */
export async function removeBeat(redis: Redis, key: string, summary: HostSummary): Promise<void> {
	const keys = fleetKeys(key);
	const id = hostId(summary);
	await redis.multi().del(keys.host(id)).srem(keys.hosts, id).exec();
}

/** Every fatc of the key with its age, and the cluster pauses. Forgets the ids whose key has expired. */
export async function readFleet(redis: Redis, key: string): Promise<FleetView> {
	const keys = fleetKeys(key);
	const ids = (await redis.smembers(keys.hosts)).sort();
	const pipeline = redis.pipeline();
	for (const id of ids) {
		pipeline.get(keys.host(id)).pttl(keys.host(id));
	}

	const replies = ids.length === 0 ? [] : await pipeline.exec() ?? [];
	const hosts = [];
	const gone = [];
	for (const [index, id] of ids.entries()) {
		const summary = parseHostSummary(replies[2 * index]?.[1] as string | null);
		const remaining = replies[2 * index + 1]?.[1] as number;
		if (summary === undefined || remaining < 0) {
			gone.push(id);
		} else {
			hosts.push(hostEntry(summary, remaining));
		}
	}

	if (gone.length > 0) {
		await redis.srem(keys.hosts, ...gone);
	}

	const paused = [...await readPauses(redis, key)].map(([job, pause]) => ({job, ...pause}));
	return {key, hosts, paused};
}

/** The jobs paused across the cluster. A field that is not a pause (hand-written) still pauses, from "unknown". */
export async function readPauses(redis: Redis, key: string): Promise<Map<string, ClusterPause>> {
	const fields = await redis.hgetall(fleetKeys(key).paused);
	return new Map(Object.entries(fields).sort(([first], [second]) => first.localeCompare(second)).map(([job, text]) => [job, parsePause(text)]));
}

/** Keeps the pause and tells every fatc of the key; resolves with how many were listening. */
export async function setPause(redis: Redis, key: string, job: string, pause: ClusterPause | undefined): Promise<number> {
	const keys = fleetKeys(key);
	const message: FleetMessage = {type: pause ? 'pause' : 'resume', job};
	const transaction = redis.multi();
	if (pause) {
		transaction.hset(keys.paused, job, JSON.stringify(pause));
	} else {
		transaction.hdel(keys.paused, job);
	}

	const replies = await transaction.publish(keys.channel, JSON.stringify(message)).exec();
	return Number(replies?.at(-1)?.[1] ?? 0);
}

function parsePause(text: string): ClusterPause {
	try {
		const value = JSON.parse(text) as Partial<ClusterPause>;
		return {since: typeof value.since === 'number' ? value.since : 0, from: typeof value.from === 'string' ? value.from : 'unknown'};
	} catch {
		return {since: 0, from: 'unknown'};
	}
}
