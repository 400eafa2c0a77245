import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks';
import {Counter, Gauge, type Registry} from './prom-client.js';

/** Milliseconds between the monitor's timer firings. */
const loopResolution = 10;

/** The monitor records each interval whole: an idle loop reads 10 ms. Its delay is what passes the resolution. */
function lateBy(nanoseconds: number): number {
	return Math.max(0, nanoseconds / 1e6 - loopResolution) / 1000;
}

/**
 * fatc's own process, in six series (not prom-client's collectDefaultMetrics, which adds ~30 about heap spaces, GC
 * and handles): CPU seconds, resident memory, start time, and the event loop's delay (99th percentile and longest) since
 * the previous scrape.
 * The event-loop monitor starts at the first scrape: no timer until someone asks.
 */
export function registerProcessMetrics(registry: Registry): {beforeScrape(): void; close(): void} {
	let reportedSeconds = 0;
	let loop: IntervalHistogram | undefined;
	const startTime = Math.round(performance.timeOrigin / 1000);
	new Counter({
		name: 'fatc_process_cpu_seconds_total',
		help: 'CPU time fatc itself spent, user and system, in seconds (its runs not included).',
		registers: [registry],
		collect() {
			const usage = process.cpuUsage();
			const seconds = (usage.user + usage.system) / 1e6;
			this.inc(Math.max(0, seconds - reportedSeconds));
			reportedSeconds = seconds;
		},
	});
	new Gauge({
		name: 'fatc_process_resident_memory_bytes',
		help: 'fatc\'s resident memory in bytes (its runs not included).',
		registers: [registry],
		collect() {
			this.set(process.memoryUsage.rss());
		},
	});
	new Gauge({
		name: 'fatc_process_start_time_seconds',
		help: 'When fatc started, in seconds since the epoch.',
		registers: [registry],
		collect() {
			this.set(startTime);
		},
	});
	// A delay keeps every run's end waiting: how late fatc hears of exits and answers the control socket.
	let measured = {p99: 0, max: 0};
	new Gauge({
		name: 'fatc_eventloop_lag_p99_seconds',
		help: 'The event loop\'s delay since the previous scrape, 99th percentile, in seconds.',
		registers: [registry],
		collect() {
			this.set(measured.p99);
		},
	});
	new Gauge({
		name: 'fatc_eventloop_lag_max_seconds',
		help: 'The event loop\'s longest delay since the previous scrape, in seconds.',
		registers: [registry],
		collect() {
			this.set(measured.max);
		},
	});
	return {
		beforeScrape() {
			if (loop === undefined) {
				loop = monitorEventLoopDelay({resolution: loopResolution});
				loop.enable();
			}

			measured = loop.count === 0 ? {p99: 0, max: 0} : {p99: lateBy(loop.percentile(99)), max: lateBy(loop.max)};
			loop.reset();
		},
		close() {
			loop?.disable();
		},
	};
}
