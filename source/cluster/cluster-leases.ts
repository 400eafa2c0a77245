import {randomBytes} from 'node:crypto';
import {systemClock} from '../core/clock.js';
import type {ClusterLease, ClusterPort, ClusterReport} from '../core/cluster-port.js';
import type {ClusterSettings} from '../core/cluster-settings.js';
import {clusterKey, type RedisConnection} from './connect-redis.js';
import {leaseMember} from './lease-scripts.js';

/*
 * The host's half of cluster-port.ts on Redis: takes leases when the core wants them, renews each every third of its
 * TTL, and fences: a lease not renewed by two thirds of its life has its run stopped (stopSignal, with what time is
 * left), and one at its end minus a margin is SIGKILLed — so the run is gone before Redis lets another host take the
 * slot (Redis counts the lease's end on its own clock from the moment it wrote it, which is after this host sent the
 * request: this host's deadline, counted from the send, is never later). A renewal Redis refuses (the lease is gone)
 * kills at once. A lease given back while Redis could not take it (away, or the ZREM failed) is owed, and so is one
 * asked for without an answer (timed out: Redis may run the request once the link heals, under a slot this host never
 * learns): given back when Redis is back, before the next request and at each renewal round, until it would have ended
 * anyway — so a blip or a partition does not cost the other hosts slots for the rest of a TTL (15 s by default).
 * Stopping waits for the leases being asked for at that moment and gives back what they bring.
 */

/** Between two tries for a lease while the job's slots are all taken (or Redis is away). */
const retryEvery = 100;
const retryWhileAway = 500;

type Debt = {job: string; until: number; member?: string};
type Held = {job: string; lease: ClusterLease; member: string; deadline: number; timers: NodeJS.Timeout[]};

export type ClusterLeases = ClusterPort & {
	/** Takes leases in Redis from now on (before the supervisor starts). */
	connect(connection: RedisConnection): void;
	/** Redis was unreachable at start and `onUnavailable: local`: every lease and claim is granted here, for good. */
	goLocal(): void;
	/** Leases this host holds, per job (the heartbeat's `held`). */
	held(job: string): number;
	/** Gives every lease back (best effort) and stops the timers. */
	close(): Promise<void>;
};

export function createClusterLeases(options: {settings: ClusterSettings; owner: string; jobs: () => string[]}): ClusterLeases {
	const {settings} = options;
	const ttl = settings.leaseTtl;
	const margin = Math.min(1000, ttl / 10);
	const now = () => systemClock.now();
	// One token per lease: this process's name and a random part, so a restarted fatc never renews its past self's.
	const instance = `${options.owner}#${randomBytes(4).toString('hex')}`;
	let report: (job: string, report: ClusterReport) => void = () => {};
	let connection: RedisConnection | undefined;
	let local = false;
	let closed = false;
	let counter = 0;
	const wants = new Map<string, {limit: number; count: number; busy: boolean; retry?: NodeJS.Timeout}>();
	const held = new Map<string, Held>();
	/** token → leases given back that Redis did not take (member unknown: an acquire never answered), until they end anyway. */
	const owed = new Map<string, Debt>();
	/** The pumps under way, which close() waits for (a lease they are asking for is given back, not left held). */
	const pumping = new Set<Promise<void>>();
	let renewer: NodeJS.Timeout | undefined;

	const leasesKey = (job: string) => clusterKey(settings, 'job', job, 'leases');

	function arm(entry: Held) {
		for (const timer of entry.timers) {
			clearTimeout(timer);
		}

		const {job, lease, deadline} = entry;
		const fenceAt = deadline - ttl / 3;
		entry.timers = [
			setTimeout(() => {
				report(job, {type: 'lease-expiring', token: lease.token, deadline: deadline - margin, kill: false});
			}, Math.max(0, fenceAt - now())),
			setTimeout(() => {
				report(job, {type: 'lease-expiring', token: lease.token, deadline: deadline - margin, kill: true});
			}, Math.max(0, deadline - margin - now())),
		];
	}

	function forget(token: string) {
		const entry = held.get(token);
		if (entry) {
			entry.timers.forEach(clearTimeout);
			held.delete(token);
		}
	}

	async function giveBack(token: string, debt: Debt) {
		owed.delete(token);
		if (debt.until <= now()) {
			return;
		}

		if (!connection?.available) {
			owed.set(token, debt);
			return;
		}

		const key = leasesKey(debt.job);
		const asked = debt.member === undefined ? connection.redis.fatcGiveBackHolder(key, token) : connection.redis.zrem(key, debt.member);
		await asked.catch(() => {
			owed.set(token, debt);
		});
	}

	async function giveBackOwed() {
		await Promise.all([...owed].map(async ([token, debt]) => giveBack(token, debt)));
	}

	function startPump(job: string) {
		const run = pump(job).finally(() => pumping.delete(run));
		pumping.add(run);
	}

	async function renewAll() {
		if (!connection?.available) {
			return;
		}

		void giveBackOwed();

		const entries = [...held.values()];
		const sentAt = now();
		const pipeline = connection.redis.pipeline();
		for (const entry of entries) {
			(pipeline as unknown as {fatcRenewLease(key: string, member: string, ttl: number): void}).fatcRenewLease(leasesKey(entry.job), entry.member, ttl);
		}

		const answers = await pipeline.exec().catch(() => null);
		for (const [index, entry] of entries.entries()) {
			const [error, renewed] = answers?.[index] ?? [new Error('no answer'), null];
			if (error || !held.has(entry.lease.token)) {
				// Unanswered: the timers fence in time.
				continue;
			}

			if (renewed === 1) {
				entry.deadline = sentAt + ttl;
				arm(entry);
			} else {
				// Gone from Redis (expired, or Redis lost it): another host may hold the slot now.
				report(entry.job, {type: 'lease-expiring', token: entry.lease.token, deadline: now(), kill: true});
				forget(entry.lease.token);
			}
		}
	}

	async function pump(job: string) {
		const want = wants.get(job);
		if (!want || want.busy || want.count <= 0 || closed) {
			return;
		}

		want.busy = true;
		clearTimeout(want.retry);
		let wait = 0;
		try {
			while (want.count > 0 && !closed) {
				if (local) {
					want.count--;
					report(job, {type: 'leased', lease: {slot: -1, token: `${instance}:${++counter}`}});
					continue;
				}

				if (!connection?.available) {
					wait = retryWhileAway;
					break;
				}

				if (owed.size > 0) {
					await giveBackOwed();
				}

				const token = `${instance}:${++counter}`;
				const sentAt = now();
				const [slot] = await connection.redis.fatcAcquireLease(leasesKey(job), token, want.limit, ttl).catch((error: unknown) => {
					// Unanswered: Redis may run it when the link heals, and count its TTL from then. Owed until a give-back
					// is answered (sent after it on a link that answers, so run after it if it ever was).
					owed.set(token, {job, until: Number.POSITIVE_INFINITY});
					throw error;
				});
				if (slot < 0) {
					wait = retryEvery;
					break;
				}

				const lease = {slot, token};
				const entry: Held = {job, lease, member: leaseMember(slot, token), deadline: sentAt + ttl, timers: []};
				held.set(token, entry);
				arm(entry);
				if (wants.get(job) !== want || want.count <= 0 || closed) {
					// Not wanted any more while it was taken.
					await releaseEntry(entry);
					continue;
				}

				want.count--;
				report(job, {type: 'leased', lease});
			}
		} catch {
			wait = retryWhileAway;
		} finally {
			want.busy = false;
		}

		if (want.count > 0 && !closed) {
			// A little jitter, so hosts waiting for the same slot do not ask in step.
			want.retry = setTimeout(() => startPump(job), wait + Math.random() * wait);
		}
	}

	async function releaseEntry(entry: Held) {
		forget(entry.lease.token);
		await giveBack(entry.lease.token, {job: entry.job, until: entry.deadline, member: entry.member});
	}

	return {
		attach(to) {
			report = to;
		},
		want(job, limit, count) {
			const want = wants.get(job) ?? {limit, count, busy: false};
			want.limit = limit;
			want.count = count;
			wants.set(job, want);
			startPump(job);
		},
		release(_job, lease) {
			const entry = held.get(lease.token);
			if (entry) {
				void releaseEntry(entry);
			}
		},
		claim(job, tick, keepFor) {
			if (local) {
				queueMicrotask(() => report(job, {type: 'tick-claimed', tick, won: true}));
				return;
			}

			const key = clusterKey(settings, 'job', job, 'once', tick);
			const asked = connection?.available
				? connection.redis.set(key, options.owner, 'PX', Math.ceil(keepFor), 'NX')
				: Promise.reject(new Error('unreachable'));
			asked.then(answer => {
				report(job, {type: 'tick-claimed', tick, won: answer === 'OK'});
			}, () => {
				report(job, {type: 'tick-claimed', tick, won: false});
			});
		},
		connect(to) {
			connection = to;
			renewer = setInterval(() => void renewAll(), ttl / 3);
			const tell = (reachable: boolean, reason?: string) => {
				for (const job of options.jobs()) {
					report(job, {type: 'cluster-reachable', reachable, ...(reason === undefined ? {} : {reason})});
				}
			};

			// Lost between the connect and now: the jobs learn it as they would later on.
			if (!to.available) {
				tell(false, `Redis at ${options.settings.redis.shown}: connection lost`);
			}

			to.onAvailability((available, reason) => {
				tell(available, reason);
				if (available) {
					void renewAll();
					for (const job of wants.keys()) {
						startPump(job);
					}
				}
			});
		},
		goLocal() {
			local = true;
		},
		held(job) {
			return [...held.values()].filter(entry => entry.job === job).length;
		},
		async close() {
			closed = true;
			clearInterval(renewer);
			for (const want of wants.values()) {
				clearTimeout(want.retry);
			}

			// An acquire under way brings its lease back to a closed pump, which gives it back.
			await Promise.all(pumping);
			await Promise.all([...held.values()].map(releaseEntry));
			await giveBackOwed();
		},
	};
}
