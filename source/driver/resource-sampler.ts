import {closeSync, openSync, readdirSync, readFileSync, readSync} from 'node:fs';
import type {ResourceReading, ResourceSampler, ResourceUsage} from '../core/resource-usage.js';

/** One process as /proc/PID/stat tells it. `ticks`: user + system CPU time in clock ticks. */
export type ProcessStat = {pid: number; group: number; ticks: number; startTime: number; residentPages: number};

/** Where the sampler reads processes and fatc's own usage; the real /proc by default, a fake in tests. */
export type ProcessSource = {
	/** Every live (not zombie) process. */
	scan(): ProcessStat[];
	/** fatc's own CPU time in microseconds (user + system) and resident bytes. */
	self(): {cpuMicroseconds: number; memoryBytes: number};
	pageSize: number;
};

export type ResourceSamplerOptions = {
	/** A reading older than this is taken again on the next read(). Default 2000 ms. */
	interval?: number;
	/** Milliseconds, monotonic. Default performance.now. */
	now?: () => number;
	source?: ProcessSource;
};

/** Clock ticks per second of /proc's utime and stime (USER_HZ): 100 on every Linux that Node runs on. */
const ticksPerSecond = 100;

/**
 * CPU and memory per process group from one /proc scan, sampled lazily: nothing runs unless someone reads, and a
 * read within `interval` of the last sample returns it unchanged, so a UI pulling every 100 ms scans every 2 s.
 */
export function createResourceSampler(options: ResourceSamplerOptions = {}): ResourceSampler {
	const {interval = 2000, now = () => performance.now()} = options;
	const source = options.source ?? procSource();
	let previous: {at: number; ticks: Map<number, {ticks: number; startTime: number}>; selfMicroseconds: number} | undefined;
	let reading: ResourceReading | undefined;

	function sample(): ResourceReading {
		const at = now();
		const processes = source.scan();
		const self = source.self();
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

	return {
		read() {
			if (!reading || !previous || now() - previous.at >= interval) {
				reading = sample();
			}

			return reading;
		},
	};
}

function round(percent: number): number {
	return Math.round(percent * 10) / 10;
}

const statBuffer = Buffer.alloc(4096);

/** The real /proc. Synchronous on purpose: /proc reads never block on disk, and the sync API is ~5x faster here. */
export function procSource(): ProcessSource {
	return {
		scan() {
			const processes: ProcessStat[] = [];
			let names: string[];
			try {
				names = readdirSync('/proc');
			} catch {
				return processes;
			}

			for (const name of names) {
				const first = name.charCodeAt(0);
				if (first >= 48 && first <= 57) {
					const stat = readStat(name);
					if (stat) {
						processes.push(stat);
					}
				}
			}

			return processes;
		},
		self() {
			const {user, system} = process.cpuUsage();
			return {cpuMicroseconds: user + system, memoryBytes: process.memoryUsage.rss()};
		},
		pageSize: pageSize(),
	};
}

function readStat(pid: string): ProcessStat | undefined {
	let descriptor: number | undefined;
	try {
		descriptor = openSync(`/proc/${pid}/stat`, 'r');
		const length = readSync(descriptor, statBuffer, 0, statBuffer.length, 0);
		return parseProcessStat(statBuffer.toString('latin1', 0, length));
	} catch {
		// Gone between readdir and open: it no longer uses anything.
		return undefined;
	} finally {
		if (descriptor !== undefined) {
			closeSync(descriptor);
		}
	}
}

/**
 * Parses "pid (comm) state ppid pgrp … utime stime cutime cstime … starttime vsize rss …"; comm may hold spaces and
 * parentheses, so fields are counted after the last ")". Zombies give undefined: they hold no memory.
 * cutime/cstime are left out on purpose: a reaped child's time would be counted twice (once while it lived).
 */
export function parseProcessStat(stat: string): ProcessStat | undefined {
	const close = stat.lastIndexOf(')');
	const fields = stat.slice(close + 2).split(' ', 22);
	const [state, , group, , , , , , , , , utime, stime, , , , , , , startTime, , rss] = fields;
	if (state === undefined || state === 'Z' || state === 'X' || rss === undefined) {
		return undefined;
	}

	const parsed = {
		pid: Number.parseInt(stat, 10),
		group: Number(group),
		ticks: Number(utime) + Number(stime),
		startTime: Number(startTime),
		residentPages: Number(rss),
	};
	return Object.values(parsed).every(value => Number.isFinite(value)) ? parsed : undefined;
}

/** The kernel's page size: /proc/self/statm counts resident pages, process.memoryUsage.rss() bytes. */
function pageSize(): number {
	try {
		const pages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
		const bytes = process.memoryUsage.rss();
		const guess = bytes / pages;
		// Both are read a moment apart; snap to the nearest page size in use (4, 16 or 64 KiB).
		return [4096, 16_384, 65_536].reduce((best, size) => (Math.abs(size - guess) < Math.abs(best - guess) ? size : best));
	} catch {
		return 4096;
	}
}
