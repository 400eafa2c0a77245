import type {JobSnapshot} from '../core/snapshot.js';
import {formatClockTime} from './format-duration.js';

/**
 * One word for what keeps a job from starting runs, for a narrow cell: paused, off (0 instances: defined but not
 * running), held, quiet, no Redis (a cluster-limited job while Redis cannot be reached), lease (a run waits for a
 * cluster lease another host holds) — or '' when nothing does.
 */
export function conditionWord(job: JobSnapshot): '' | 'paused' | 'off' | 'held' | 'quiet' | 'redis?' | 'lease' {
	if (job.paused) {
		return 'paused';
	}

	if (job.instances === 0) {
		return 'off';
	}

	if (job.held) {
		return 'held';
	}

	if (job.cluster?.unreachable) {
		return 'redis?';
	}

	if (job.quiet) {
		return 'quiet';
	}

	return job.cluster?.waiting ? 'lease' : '';
}

/**
 * What the world around a job says, in a few words each: "held: load 2.6/cpu > 2", "quiet until 10:00 (at most 1
 * run)", "backlog 120 -> 4 runs", a probe that fails. Empty when the job watches nothing or nothing is worth saying.
 */
export function describeConditions(job: JobSnapshot, now: number): string[] {
	const parts: string[] = [];
	if (job.clusterPause) {
		parts.push(`paused across the cluster since ${formatClockTime(job.clusterPause.since, now)} by ${job.clusterPause.from} ("fatc cluster resume ${job.name}" lifts it)`);
	}

	if (job.held) {
		parts.push(`held: ${job.held.reason}`);
	}

	if (job.quiet) {
		const runs = job.quiet.instances === 0 ? 'no new runs' : `at most ${job.quiet.instances}`;
		parts.push(`quiet until ${formatClockTime(job.quiet.until, now)} (${runs})`);
	}

	if (job.backlog?.failed) {
		parts.push(`backlog probe fails: ${job.backlog.failed}`);
	} else if (job.backlog?.count !== null && job.backlog?.count !== undefined) {
		parts.push(`backlog ${job.backlog.count} -> ${job.backlog.target} ${job.backlog.target === 1 ? 'run' : 'runs'}`);
	}

	if (job.cluster?.unreachable) {
		parts.push(`no new run starts until Redis is back: ${job.cluster.unreachable}`);
	} else if (job.cluster?.waiting) {
		const limit = job.cluster.instances === null ? '' : ` (at most ${job.cluster.instances} across the cluster)`;
		parts.push(`${job.cluster.waiting} ${job.cluster.waiting === 1 ? 'run waits' : 'runs wait'} for a cluster lease${limit}`);
	}

	if (job.holdFailed) {
		parts.push(`hold probe fails: ${job.holdFailed}`);
	}

	return parts;
}
