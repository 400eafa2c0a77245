/*
 * The settings of limits that hold across hosts (SPEC §cluster, issue 17): every fatc sharing `key` on one Redis counts
 * a job's runs together. The core only reads them; source/cluster/ talks to Redis.
 */

/** Where Redis listens, parsed from `redis://`, `rediss://` or `unix:///path`. */
export type RedisAddress = (
	| {kind: 'tcp'; host: string; port: number; /** rediss:// */ tls: boolean}
	| {kind: 'unix'; path: string}
) & {
	username?: string;
	/** From the URL; never printed (see `shown`). */
	password?: string;
	/** Database number, default 0. */
	db: number;
	/** The URL with its password replaced by `***`: what messages and status may show. */
	shown: string;
};

/** The top-level `cluster`. */
export type ClusterSettings = {
	redis: RedisAddress;
	/** Prefix of every Redis key and channel fatc uses: `<key>:…`. Hosts sharing it share their limits. */
	key: string;
	/** Redis unreachable at start: `fail` (an error, exit 2) or `local` (a warning; local limits only until it is back). */
	onUnavailable: 'fail' | 'local';
	/** A variable of fatc's environment holding the password when the URL has none. Default FATC_REDIS_PASSWORD. */
	passwordEnv: string;
	/** Milliseconds a lease lives unless renewed (every third of it). Default 15 s. */
	leaseTtl: number;
};

/** A job's `cluster`. */
export type JobClusterSettings = {
	/** At most this many runs of the job at once across every fatc sharing the key. */
	instances?: number;
	/** Model fixed: each due tick (interval aligned to the wall clock, or cron time) runs on exactly one host. */
	once?: boolean;
};
