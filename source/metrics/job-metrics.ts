import type {JobSnapshot, Snapshot} from '../core/snapshot.js';
import type {RunResult} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {Counter, Gauge, Histogram, type Registry} from './prom-client.js';

const results: readonly RunResult[] = ['done', 'more', 'error', 'stopped'];

/** Seconds: scripts from 10 ms to an hour. */
const durationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/**
 * The label is `job_name`, not `job`: Prometheus sets `job` to its scrape job and would rename fatc's to `exported_job`
 * (as kube-state-metrics names its jobs `job_name` too).
 */
const label = 'job_name';

/** What a job's gauges show, read from the scrape's snapshot in collect(); undefined: no series (no backlog probe). */
const gauges: Array<{name: string; help: string; value: (job: JobSnapshot) => number | undefined}> = [
	{name: 'fatc_runs_running', help: 'Runs under way (stopping ones included).', value: job => job.runsTotal},
	{name: 'fatc_runs_allowed', help: 'Runs allowed at once now (the dependent model\'s fan-out; instances otherwise).', value: job => job.allowed},
	{name: 'fatc_instances', help: 'The job\'s instances: the most runs at once.', value: job => job.instances},
	{name: 'fatc_held', help: '1 while a hold keeps new runs from starting.', value: job => job.held === null ? 0 : 1},
	{name: 'fatc_backlog', help: 'The last count of the job\'s backlog probe.', value: job => job.backlog?.count ?? undefined},
	{name: 'fatc_paused', help: '1 while the job is paused.', value: job => job.paused ? 1 : 0},
];

export type JobMetrics = {
	/** Counts a run's end; O(1): one counter increment and one histogram observation. */
	record(event: SupervisorEvent): void;
	/** Takes the snapshot the gauges show at this scrape, and drops the series of jobs gone since the last one. */
	beforeScrape(): void;
};

/**
 * Per job: runs by result and their durations, fed by run-ended events; and gauges read from one snapshot per scrape.
 * A job gone from the snapshot (removed by a reload, its last run over) loses its series at the next scrape.
 */
export function registerJobMetrics(registry: Registry, snapshot: () => Snapshot): JobMetrics {
	let scraped: readonly JobSnapshot[] = [];
	const known = new Set<string>();
	const runs = new Counter({
		name: 'fatc_runs_total',
		help: 'Runs ended, by result (done: exit 0, more: exit 64, error, stopped).',
		labelNames: [label, 'result'],
		registers: [registry],
	});
	const durations = new Histogram({
		name: 'fatc_run_duration_seconds',
		help: 'How long runs took, start to end.',
		labelNames: [label],
		buckets: durationBuckets,
		registers: [registry],
	});
	for (const {name, help, value} of gauges) {
		new Gauge({
			name,
			help,
			labelNames: [label],
			registers: [registry],
			collect() {
				this.reset();
				for (const job of scraped) {
					const figure = value(job);
					if (figure !== undefined) {
						this.set({[label]: job.name}, figure);
					}
				}
			},
		});
	}

	/** Every series of a job from the start, at 0: rate() and increase() see the first run too. */
	function ensureSeries(job: string) {
		if (!known.has(job)) {
			known.add(job);
			for (const result of results) {
				runs.inc({[label]: job, result}, 0);
			}

			durations.zero({[label]: job});
		}
	}

	return {
		record(event) {
			if (event.type === 'run-ended') {
				ensureSeries(event.job);
				runs.inc({[label]: event.job, result: event.result});
				durations.observe({[label]: event.job}, event.duration / 1000);
			}
		},
		beforeScrape() {
			scraped = snapshot().jobs;
			const names = new Set(scraped.map(job => job.name));
			for (const job of known) {
				if (!names.has(job)) {
					known.delete(job);
					for (const result of results) {
						runs.remove({[label]: job, result});
					}

					durations.remove({[label]: job});
				}
			}

			for (const job of names) {
				ensureSeries(job);
			}
		},
	};
}
