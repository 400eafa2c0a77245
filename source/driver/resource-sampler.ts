import type {ResourceReading, ResourceSampler, ResourceUsage} from '../core/resource-usage.js';
import {procSource, type ProcessSource, type ProcessStat} from './proc-stat.js';

export type ResourceSamplerOptions = {
	/**
	 * A read() finding the last sample older than this starts a new one. Default 2000 ms; longer while a scan costs
	 * more than a twentieth of it (thousands of processes).
	 */
	interval?: number;
	/** Milliseconds, monotonic. Default performance.now. */
	now?: () => number;
	source?: ProcessSource;
	/** Processes read between two turns of the event loop. Default 64. */
	sliceSize?: number;
	/** Keep sampling every `interval` while reads keep coming, so a read finds a fresh reading. Default true. */
	keepFresh?: boolean;
};

export type ProcessResourceSampler = ResourceSampler & {
	/** Samples now (or joins the sample under way) and resolves with its reading. */
	sample(): Promise<ResourceReading>;
};

/**
 * At most 1/20 of the time goes to scanning: a scan that kept the loop busy for 300 ms (10,000 processes) waits at
 * least 6 s before the next, so CPU and memory figures get staler as the machine fills instead of costing fatc a
 * third of a core that its starts need.
 */
const scanCostFactor = 20;

/** Clock ticks per second of /proc's utime and stime (USER_HZ): 100 on every Linux that Node runs on. */
const ticksPerSecond = 100;

/**
 * CPU and memory per process group from a /proc scan, sampled lazily: nothing runs unless someone reads, and read()
 * never waits — it returns the last reading and, when that is older than `interval`, starts the next scan in the
 * background. The scan reads `sliceSize` processes per turn of the event loop, so a machine with thousands of
 * processes never holds up a key press or a run's exit.
 */
export function createResourceSampler(options: ResourceSamplerOptions = {}): ProcessResourceSampler {
	const {interval = 2000, now = () => performance.now(), sliceSize = 64, keepFresh = true} = options;
	const source = options.source ?? procSource();
	let previous: {at: number; ticks: Map<number, {ticks: number; startTime: number}>; selfMicroseconds: number} | undefined;
	let reading: ResourceReading | undefined;
	let scanning: Promise<ResourceReading> | undefined;
	let scanStartedAt = Number.NEGATIVE_INFINITY;
	let lastReadAt = Number.NEGATIVE_INFINITY;
	let timer: NodeJS.Timeout | undefined;
	/** The time between scans: `interval`, or longer when the last scan cost more than 1/scanCostFactor of it. */
	let spacing = interval;

	async function scan(): Promise<ResourceReading> {
		const at = now();
		scanStartedAt = at;
		let sliceStartedAt = at;
		let busy = 0;
		const self = source.self();
		const processes: ProcessStat[] = [];
		const pids = source.list();
		for (let index = 0; index < pids.length; index++) {
			if (index > 0 && index % sliceSize === 0) {
				busy += now() - sliceStartedAt;
				await new Promise(resolve => {
					setImmediate(resolve);
				});
				sliceStartedAt = now();
			}

			const stat = source.stat(pids[index]!);
			if (stat) {
				processes.push(stat);
			}
		}

		reading = summarise(processes, self, at);
		busy += now() - sliceStartedAt;
		spacing = Math.max(interval, busy * scanCostFactor);
		return reading;
	}

	function summarise(processes: ProcessStat[], self: {cpuMicroseconds: number; memoryBytes: number}, at: number): ResourceReading {
		const seconds = previous ? (at - previous.at) / 1000 : 0;
		const ticks = new Map<number, {ticks: number; startTime: number}>();
		const groups = new Map<number, {ticks: number; pages: number}>();
		for (const process of processes) {
			ticks.set(process.pid, {ticks: process.ticks, startTime: process.startTime});
			const before = previous?.ticks.get(process.pid);
			// A pid not seen before (or reused) was born since the last sample: all of its time falls in the interval.
			const spent = before && before.startTime === process.startTime ? Math.max(0, process.ticks - before.ticks) : process.ticks;
			const group = groups.get(process.group) ?? {ticks: 0, pages: 0};
			group.ticks += spent;
			group.pages += process.residentPages;
			groups.set(process.group, group);
		}

		const usage = new Map<number, ResourceUsage>();
		for (const [group, totals] of groups) {
			usage.set(group, {
				cpuPercent: seconds > 0 ? round(totals.ticks / ticksPerSecond / seconds * 100) : null,
				memoryBytes: totals.pages * source.pageSize,
			});
		}

		const selfPercent = previous && seconds > 0 ? round((self.cpuMicroseconds - previous.selfMicroseconds) / 1e6 / seconds * 100) : null;
		previous = {at, ticks, selfMicroseconds: self.cpuMicroseconds};
		return {self: {cpuPercent: selfPercent, memoryBytes: self.memoryBytes}, groups: usage};
	}

	function sample(): Promise<ResourceReading> {
		scanning ??= scan().finally(() => {
			scanning = undefined;
		});
		return scanning;
	}

	// Samples on its own while someone reads (a TUI pulls every second), and stops once reads stop; unref'd, so it
	// never keeps fatc alive.
	function keepSampling() {
		timer = undefined;
		if (now() - lastReadAt > spacing * 2) {
			return;
		}

		if (now() - scanStartedAt >= spacing) {
			void sample();
		}

		timer = setTimeout(keepSampling, spacing).unref();
	}

	return {
		sample,
		read() {
			lastReadAt = now();
			if (!scanning && lastReadAt - scanStartedAt >= spacing) {
				void sample();
			}

			if (keepFresh && timer === undefined) {
				timer = setTimeout(keepSampling, spacing).unref();
			}

			return reading ?? {self: {cpuPercent: null, memoryBytes: source.self().memoryBytes}, groups: new Map()};
		},
	};
}

function round(percent: number): number {
	return Math.round(percent * 10) / 10;
}
