import type {Snapshot} from '../core/snapshot.js';

/** One job of a host, as `fatc cluster status` lists it. */
export type JobSummary = {
	name: string;
	/** Runs under way now (stopping ones included). */
	running: number;
	instances: number;
	/** Runs started since this fatc started. */
	started: number;
	/** Why no new run starts ("load 2.6/cpu > 2"), or null. */
	held: string | null;
	/** Paused, by hand or by the cluster. */
	paused: boolean;
	/** Paused by `fatc cluster pause` (then `paused` too). */
	clusterPaused: boolean;
	/** A job with a cluster limit: the leases this host holds for it (its runs' and spare ones); absent otherwise. */
	leases?: number;
};

/** What each fatc publishes under the cluster key every beat: small, plain JSON, no run's output or command. */
export type HostSummary = {
	/** The machine's host name. */
	host: string;
	pid: number;
	/** The config's `name` (the daemon's name). */
	name: string;
	startedAt: number;
	/** This beat's time, by the host's own clock (ages are measured by the key's time to live, not by it). */
	beatAt: number;
	jobs: JobSummary[];
};

/** A snapshot → its heartbeat summary; `leases(job)`: the cluster leases held, undefined for a job without a limit. */
export function summarizeHost(snapshot: Snapshot, host: string, leases: (job: string) => number | undefined = () => undefined): HostSummary {
	return {
		host,
		pid: snapshot.pid,
		name: snapshot.name,
		startedAt: snapshot.startedAt,
		beatAt: snapshot.takenAt,
		jobs: snapshot.jobs.map(job => ({
			name: job.name,
			running: job.runsTotal,
			instances: job.instances,
			started: job.runs,
			held: job.held?.reason ?? null,
			paused: job.paused,
			clusterPaused: Boolean(job.clusterPause),
			...withLeases(leases(job.name)),
		})),
	};
}

function withLeases(count: number | undefined): {leases?: number} {
	return count === undefined ? {} : {leases: count};
}

/** Reads a summary back from the store; undefined for anything that is not one (another version, a stray key). */
export function parseHostSummary(text: string | null): HostSummary | undefined {
	if (text === null) {
		return undefined;
	}

	try {
		const value = JSON.parse(text) as Partial<HostSummary> | null;
		const valid = typeof value === 'object' && value !== null && typeof value.host === 'string' && typeof value.pid === 'number'
			&& typeof value.name === 'string' && typeof value.startedAt === 'number' && typeof value.beatAt === 'number' && Array.isArray(value.jobs);
		return valid ? value as HostSummary : undefined;
	} catch {
		return undefined;
	}
}
