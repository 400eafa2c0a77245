import type {JobSnapshot, Snapshot} from '../core/snapshot.js';

/** One host of a fleet as the view reads it (the fleet handle's HostState fits it). */
export type FleetHostView = {
	name: string;
	address: string;
	status: 'connecting' | 'up' | 'unreachable';
	since: number;
	reason: string | null;
	snapshot: Pick<Snapshot, 'jobs' | 'takenAt' | 'pid'> | null;
	retryAt: number | null;
};

/**
 * A row of the fleet table. A job's row holds its fleet totals (`job` is a JobSnapshot of sums, so the jobs table's
 * columns read it as they read one host's job; null when no host that has it answers); a host's row holds that
 * host's own job, or null while the host is unreachable. `takenAt` is the clock `job.nextStartAt` is on: each host's own, 0 for totals (made relative).
 */
export type FleetRow =
	| {kind: 'job'; key: string; name: string; job: JobSnapshot | null; takenAt: number; hosts: number; reachable: number; expanded: boolean}
	| {kind: 'host'; key: string; name: string; host: string; job: JobSnapshot | null; takenAt: number; status: FleetHostView['status']};

export const jobKey = (job: string) => `job:${job}`;
export const hostKey = (job: string, host: string) => `host:${job}:${host}`;

/**
 * The fleet table: one row per job name, in the order the hosts list them, with the totals of the hosts that answer;
 * under an expanded job, one row per host that has it (an unreachable one by its last snapshot, marked).
 */
export function fleetRows(hosts: readonly FleetHostView[], expanded: ReadonlySet<string>): FleetRow[] {
	const names: string[] = [];
	const byName = new Map<string, Array<{host: FleetHostView; job: JobSnapshot}>>();
	for (const host of hosts) {
		for (const job of host.snapshot?.jobs ?? []) {
			let list = byName.get(job.name);
			if (!list) {
				list = [];
				byName.set(job.name, list);
				names.push(job.name);
			}

			list.push({host, job});
		}
	}

	return names.flatMap(name => {
		const members = byName.get(name)!;
		const reachable = members.filter(member => member.host.status === 'up');
		const open = expanded.has(jobKey(name));
		const totals: FleetRow = {
			kind: 'job',
			key: jobKey(name),
			name,
			job: reachable.length === 0 ? null : fleetTotals(name, reachable.map(member => ({job: member.job, takenAt: member.host.snapshot!.takenAt}))),
			takenAt: 0,
			hosts: members.length,
			reachable: reachable.length,
			expanded: open,
		};
		if (!open) {
			return [totals];
		}

		return [totals, ...members.map(({host, job}): FleetRow => ({
			kind: 'host',
			key: hostKey(name, host.name),
			name,
			host: host.name,
			job: host.status === 'up' ? job : null,
			takenAt: host.snapshot!.takenAt,
			status: host.status,
		}))];
	});
}

/**
 * A job's totals over the hosts that answer: runs under way, allowed, instances and the run counters summed; paused
 * only when paused everywhere; the next start the soonest (made relative to each host's own clock: takenAt 0); the
 * last exit and duration those of the host that ended a run last.
 */
export function fleetTotals(name: string, members: ReadonlyArray<{job: JobSnapshot; takenAt: number}>): JobSnapshot {
	const jobs = members.map(member => member.job);
	const sum = (field: (job: JobSnapshot) => number) => jobs.reduce((total, job) => total + field(job), 0);
	const latest = jobs.filter(job => job.lastExit).sort((first, second) => second.lastExit!.at - first.lastExit!.at)[0];
	const waits = members.filter(member => member.job.nextStartAt !== null && !member.job.paused).map(member => member.job.nextStartAt! - member.takenAt);
	const averages = jobs.flatMap(job => (job.averageDuration === null ? [] : [{average: job.averageDuration, weight: Math.max(1, job.runs)}]));
	const weights = averages.reduce((total, each) => total + each.weight, 0);
	const backlogs = jobs.flatMap(job => (job.backlog ? [job.backlog] : []));
	const base = jobs[0];
	return {
		...base!,
		name,
		model: base?.model ?? 'independent',
		command: base?.command ?? '',
		args: base?.args ?? [],
		instances: sum(job => job.instances),
		allowed: sum(job => job.allowed),
		paused: jobs.length > 0 && jobs.every(job => job.paused),
		phase: jobs.length > 0 && jobs.every(job => job.paused) ? 'paused' : 'running',
		runs: sum(job => job.runs),
		done: sum(job => job.done),
		more: sum(job => job.more),
		errors: sum(job => job.errors),
		stopped: sum(job => job.stopped),
		lastExit: latest?.lastExit ?? null,
		nextStartAt: waits.length === 0 ? null : Math.min(...waits),
		averageDuration: weights === 0 ? null : averages.reduce((total, each) => total + each.average * each.weight, 0) / weights,
		lastDuration: latest?.lastDuration ?? null,
		logFile: '',
		workers: [],
		runsTotal: sum(job => job.runsTotal),
		workersOffset: 0,
		held: jobs.find(job => job.held)?.held ?? null,
		quiet: jobs.find(job => job.quiet)?.quiet ?? null,
		backlog: backlogs.length === 0 ? null : {
			count: backlogs.some(backlog => backlog.count !== null) ? backlogs.reduce((total, backlog) => total + (backlog.count ?? 0), 0) : null,
			target: backlogs.some(backlog => backlog.target !== null) ? backlogs.reduce((total, backlog) => total + (backlog.target ?? 0), 0) : null,
			failed: backlogs.find(backlog => backlog.failed)?.failed ?? null,
		},
		holdFailed: jobs.find(job => job.holdFailed)?.holdFailed ?? null,
		statistics: [],
		recentDurations: latest?.recentDurations ?? [],
	};
}

/** The hosts a job's row acts on: those that answer and have the job. */
export function hostsOfJob(hosts: readonly FleetHostView[], job: string): string[] {
	return hosts.filter(host => host.status === 'up' && host.snapshot?.jobs.some(each => each.name === job)).map(host => host.name);
}
