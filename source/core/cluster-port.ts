/*
 * The port through which the core counts a job's runs across hosts (issue 17). The core decides how many runs it
 * wants; the host (source/cluster/ through host/) holds leases in Redis and tells the core what it got, as the
 * world's sensors tell their readings: the core never waits on Redis, a start waits for a `leased` event.
 */

/** A slot lease of one job: `slot` (0-based, FATC_CLUSTER_SLOT) across the cluster; `token` names it to the host. */
export type ClusterLease = {slot: number; token: string};

/** What the host tells the core of a job's cluster limits. */
export type ClusterReport =
	/** A lease was taken for this job (after `want`). */
	| {type: 'leased'; lease: ClusterLease}
	/**
	 * The lease could not be renewed: its run must be gone before `deadline` (the core's clock), when another host may
	 * take the slot. `kill`: the deadline is here, SIGKILL now.
	 */
	| {type: 'lease-expiring'; token: string; deadline: number; kill: boolean}
	/** The answer to `claim`: this host runs the tick (`won`) or another does (or Redis could not say: not won). */
	| {type: 'tick-claimed'; tick: number; won: boolean}
	/** Redis became reachable or unreachable (`reason`: one line, no password). */
	| {type: 'cluster-reachable'; reachable: boolean; reason?: string};

export type ClusterPort = {
	/** Called once by the supervisor: where reports go. */
	attach(report: (job: string, report: ClusterReport) => void): void;
	/**
	 * The job wants `count` more leases than it holds (0: none more); at most `limit` across the cluster. The host keeps
	 * trying until it reports `count` `leased` or is told another count.
	 */
	want(job: string, limit: number, count: number): void;
	/** The lease is not needed any more (its run ended, or it was not used). */
	release(job: string, lease: ClusterLease): void;
	/** `once`: who runs the tick due at `tick` (ms since the epoch, the same on every host); the key lives `keepFor` ms. */
	claim(job: string, tick: number, keepFor: number): void;
};
