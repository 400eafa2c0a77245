/** CPU and memory of one process group, or of fatc itself. */
export type ResourceUsage = {
	/** Percent of one CPU over the last sample interval (may pass 100 on several cores); null before two samples. */
	cpuPercent: number | null;
	/** Resident memory in bytes. */
	memoryBytes: number;
};

/** One sample: fatc's own usage and every live process group's, keyed by pgid (a run's pgid is its pid). */
export type ResourceReading = {
	self: ResourceUsage;
	groups: ReadonlyMap<number, ResourceUsage>;
};

/** Measures processes; the real one scans /proc (source/driver/resource-sampler.ts). */
export type ResourceSampler = {
	/** The latest reading, at once (never waits for a scan); a stale one makes the sampler take the next one. */
	read(): ResourceReading;
};
