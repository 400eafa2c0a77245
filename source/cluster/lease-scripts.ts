/*
 * A job's cluster slots: one sorted set `<key>:job:<job>:leases` whose members are `<slot>|<holder>` scored by the
 * time (Redis's own clock, TIME) the lease ends. Taking, renewing and giving back are each one Lua script, so atomic:
 * no two hosts can take the same free slot, and an expired lease is purged before anything counts. The set itself
 * expires a TTL after its last write, so a key nobody uses any more leaves nothing behind.
 */

const now = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/** KEYS[1] leases; ARGV holder, limit, ttl ms → {slot (0-based) or -1 when full, leases held now}. */
const acquire = `${now}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZRANGE', KEYS[1], 0, -1)
local limit = tonumber(ARGV[2])
if #held >= limit then
	return {-1, #held}
end
local used = {}
for _, member in ipairs(held) do
	used[tonumber(string.match(member, '^(%d+)|'))] = true
end
local slot = 0
while used[slot] do
	slot = slot + 1
end
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + ttl, slot .. '|' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return {slot, #held + 1}
`;

/** KEYS[1] leases; ARGV member, ttl ms → 1 renewed, 0 gone (expired or never held: the run must stop). */
const renew = `${now}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= now then
	redis.call('ZREM', KEYS[1], ARGV[1])
	return 0
end
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then
	redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
`;

/**
 * KEYS[1] leases; ARGV holder → leases removed. For an acquire whose answer never came (timed out): Redis may have
 * run it once the link came back, under a slot this host does not know. Walks the set: at most the cluster's limit.
 */
const giveBackHolder = `
local removed = 0
local suffix = '|' .. ARGV[1]
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
	if string.sub(member, -#suffix) == suffix then
		removed = removed + redis.call('ZREM', KEYS[1], member)
	end
end
return removed
`;

export const leaseCommands = {
	fatcAcquireLease: {numberOfKeys: 1, lua: acquire},
	fatcRenewLease: {numberOfKeys: 1, lua: renew},
	fatcGiveBackHolder: {numberOfKeys: 1, lua: giveBackHolder},
};

/** The commands as ioredis adds them (defineCommand). */
export type LeaseCommands = {
	fatcAcquireLease(key: string, holder: string, limit: number, ttl: number): Promise<[number, number]>;
	fatcRenewLease(key: string, member: string, ttl: number): Promise<number>;
	fatcGiveBackHolder(key: string, holder: string): Promise<number>;
};

/** `<slot>|<holder>`: the member of a lease in its job's set. */
export const leaseMember = (slot: number, holder: string) => `${slot}|${holder}`;
