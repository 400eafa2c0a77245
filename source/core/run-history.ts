import type {RunResult} from './job-definition.js';
import type {StopReason} from './job-state.js';
import type {SupervisorEvent} from './supervisor-event.js';

/** One ended run, as `fatc history` and the TUI's history view show it. Times in ms since the epoch. */
export type HistoryEntry = {
	job: string;
	runId: number;
	slot: number;
	pid: number | null;
	startedAt: number;
	endedAt: number;
	/** Milliseconds. */
	duration: number;
	result: RunResult;
	code: number | null;
	signal: string | null;
	stopReason: StopReason | null;
	/** Why it could not start (command not found…). */
	spawnError: string | null;
	lastLine: string | null;
};

type RunEnded = Extract<SupervisorEvent, {type: 'run-ended'}>;

export function historyEntry(event: RunEnded): HistoryEntry {
	return {
		job: event.job,
		runId: event.runId,
		slot: event.slot,
		pid: event.pid ?? null,
		startedAt: event.startedAt,
		endedAt: event.time,
		duration: event.duration,
		result: event.result,
		code: event.code,
		signal: event.signal,
		stopReason: event.stopReason ?? null,
		spawnError: event.spawnError ?? null,
		lastLine: event.lastLine ?? null,
	};
}

/** The last runs of each job, in memory, a bounded ring per job: O(1) to add, whatever ran before. */
export class RunHistory {
	private readonly rings = new Map<string, {entries: HistoryEntry[]; next: number}>();

	constructor(private readonly perJob = 1000) {}

	add(entry: HistoryEntry): void {
		let ring = this.rings.get(entry.job);
		if (!ring) {
			ring = {entries: [], next: 0};
			this.rings.set(entry.job, ring);
		}

		if (ring.entries.length < this.perJob) {
			ring.entries.push(entry);
		} else {
			ring.entries[ring.next] = entry;
			ring.next = (ring.next + 1) % this.perJob;
		}
	}

	/** A job's runs (all jobs' without one) that ended at or after `since`, newest first, at most `limit`. */
	entries(options: {job?: string; since?: number; limit?: number} = {}): HistoryEntry[] {
		const {job, since = Number.NEGATIVE_INFINITY, limit = Number.POSITIVE_INFINITY} = options;
		const rings = job === undefined ? [...this.rings.values()] : [this.rings.get(job)].filter(ring => ring !== undefined);
		const found: HistoryEntry[] = [];
		for (const ring of rings) {
			const {entries, next} = ring;
			// Oldest first in the ring: from `next` to the end, then from 0 to `next`.
			for (let index = 0; index < entries.length; index++) {
				const entry = entries[(next + index) % entries.length]!;
				if (entry.endedAt >= since) {
					found.push(entry);
				}
			}
		}

		return found.sort((first, second) => second.endedAt - first.endedAt).slice(0, limit);
	}

	/** A job's last `count` durations, oldest first, without sorting (a sparkline on every snapshot). */
	recentDurations(job: string, count: number): number[] {
		const ring = this.rings.get(job);
		if (!ring) {
			return [];
		}

		const {entries, next} = ring;
		const durations: number[] = [];
		for (let back = Math.min(count, entries.length); back >= 1; back--) {
			durations.push(entries[(next - back + entries.length) % entries.length]!.duration);
		}

		return durations;
	}

	/** Forgets a job (removed by a reload). */
	forget(job: string): void {
		this.rings.delete(job);
	}
}
