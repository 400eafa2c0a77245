import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {registerJobMetrics} from './job-metrics.js';
import {registerProcessMetrics} from './process-metrics.js';
import {Registry} from './prom-client.js';

export type Metrics = {
	/** The Prometheus text format, as `GET /metrics` and `fatc metrics` show it. */
	text(): Promise<string>;
	/** The text format's Content-Type. */
	readonly contentType: string;
	/** Stops counting events and measuring the event loop. Idempotent. */
	close(): void;
};

/**
 * fatc's metrics in a registry of its own (not prom-client's global one): counters and durations from the events,
 * gauges from a snapshot taken when someone scrapes, and fatc's own CPU, memory and event-loop delay.
 */
export function createMetrics(handle: Pick<SupervisorHandle, 'snapshot' | 'subscribe'>): Metrics {
	const registry = new Registry();
	// The gauges read each job's counts, not its runs nor their CPU figures: a scrape builds no run's entry and starts
	// no /proc scan.
	const jobs = registerJobMetrics(registry, () => handle.snapshot(() => ({offset: 0, limit: 0}), {usage: false}));
	const own = registerProcessMetrics(registry);
	const unsubscribe = handle.subscribe(event => {
		jobs.record(event);
	});
	return {
		async text() {
			jobs.beforeScrape();
			own.beforeScrape();
			return registry.metrics();
		},
		contentType: registry.contentType,
		close() {
			unsubscribe();
			own.close();
		},
	};
}
