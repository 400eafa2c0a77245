import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseProcessStat, type ProcessStat} from '../../source/driver/proc-stat.js';
import {createResourceSampler} from '../../source/driver/resource-sampler.js';
import {waitFor} from '../helpers/wait-for.js';

/** A /proc stat line: utime and stime are fields 14 and 15, starttime 22, rss 24. */
function statLine(pid: number, comm: string, state: string, group: number, utime: number, stime: number, startTime: number, rss: number): string {
	const fields = [state, 1, group, group, 0, -1, 4_194_560, 100, 0, 0, 0, utime, stime, 0, 0, 20, 0, 1, 0, startTime, 1_000_000, rss];
	return `${pid} (${comm}) ${fields.join(' ')} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;
}

test('resource sampler: a /proc stat line gives pgid, CPU ticks, start time and resident pages, even with ") " in the name', () => {
	assert.deepEqual(parseProcessStat(statLine(42, 'php (worker) x', 'S', 40, 150, 50, 9000, 812)), {pid: 42, parent: 1, group: 40, ticks: 200, startTime: 9000, residentPages: 812});
	assert.equal(parseProcessStat(statLine(43, 'sh', 'Z', 40, 1, 1, 9000, 0)), undefined, 'a zombie holds nothing');
	assert.equal(parseProcessStat('43 (sh) S 1'), undefined, 'a cut line is ignored');
});

test('resource sampler: CPU % of a group comes from the ticks its members spent between two samples; memory is the sum of their pages', async () => {
	let now = 0;
	let processes: ProcessStat[] = [];
	let selfMicroseconds = 0;
	let scans = 0;
	const sampler = createResourceSampler({
		interval: 2000,
		now: () => now,
		sliceSize: 2,
		keepFresh: false,
		source: {
			list() {
				scans++;
				return processes.map(process => String(process.pid));
			},
			stat: pid => processes.find(process => String(process.pid) === pid),
			self: () => ({cpuMicroseconds: selfMicroseconds, memoryBytes: 99}),
			pageSize: 4096,
		},
	});
	processes = [
		{pid: 100, parent: 1, group: 100, ticks: 50, startTime: 1, residentPages: 10},
		{pid: 101, parent: 1, group: 100, ticks: 20, startTime: 1, residentPages: 5},
		{pid: 200, parent: 1, group: 200, ticks: 10, startTime: 1, residentPages: 1},
	];
	assert.deepEqual(sampler.read(), {self: {cpuPercent: null, memoryBytes: 99}, groups: new Map()}, 'the first read does not wait for the scan');
	const first = await sampler.sample();
	assert.deepEqual(first.groups.get(100), {cpuPercent: null, memoryBytes: 15 * 4096}, 'no CPU % before two samples');
	assert.deepEqual(first.self, {cpuPercent: null, memoryBytes: 99});
	assert.equal(scans, 1, 'sample() joined the scan that read() started');

	now = 1000;
	assert.equal(sampler.read(), first, 'within the interval the last reading is returned, without a scan');
	assert.equal(scans, 1);

	now = 2000;
	selfMicroseconds = 500_000;
	processes = [
		{pid: 100, parent: 1, group: 100, ticks: 150, startTime: 1, residentPages: 10}, // +100 ticks = 1 s of CPU in 2 s
		{pid: 102, parent: 1, group: 100, ticks: 40, startTime: 5, residentPages: 2}, // born since: all its 40 ticks count
		{pid: 200, parent: 1, group: 200, ticks: 30, startTime: 7, residentPages: 1}, // pid reused: a new process, 30 ticks
	];
	assert.equal(sampler.read(), first, 'a stale reading is returned while the next scan runs');
	const second = await sampler.sample();
	assert.equal(scans, 2);
	assert.deepEqual(second.groups.get(100), {cpuPercent: 70, memoryBytes: 12 * 4096});
	assert.deepEqual(second.groups.get(200), {cpuPercent: 15, memoryBytes: 4096});
	assert.deepEqual(second.self, {cpuPercent: 25, memoryBytes: 99});
	assert.equal(sampler.read(), second);
});

test('resource sampler: a scan that keeps the loop busy for 300 ms puts the next off for 20 times as long (6 s), not 2 s', async () => {
	let now = 0;
	let scans = 0;
	const sampler = createResourceSampler({
		interval: 2000,
		now: () => now,
		sliceSize: 10,
		keepFresh: false,
		source: {
			list() {
				scans++;
				return Array.from({length: 100}, (_, index) => String(index + 1));
			},
			// 100 processes at 3 ms each: 300 ms of reading, in ten slices.
			stat(pid) {
				now += 3;
				return {pid: Number(pid), parent: 1, group: Number(pid), ticks: 0, startTime: 1, residentPages: 1};
			},
			self: () => ({cpuMicroseconds: 0, memoryBytes: 1}),
			pageSize: 4096,
		},
	});
	await sampler.sample();
	assert.equal(scans, 1);
	const scannedAt = 0;
	now = scannedAt + 2000;
	sampler.read();
	now = scannedAt + 5900;
	sampler.read();
	assert.equal(scans, 1, 'no scan within 20 × 300 ms of the last one\'s start');
	now = scannedAt + 6000;
	sampler.read();
	assert.equal(scans, 2, 'the next scan once 6 s have passed');
});

test('resource sampler: the real /proc shows a running process group with its memory, and its CPU from the second sample', async t => {
	const child = spawn('sh', ['-c', 'while :; do :; done'], {detached: true, stdio: 'ignore'});
	t.after(() => {
		process.kill(-child.pid!, 'SIGKILL');
	});
	// Until the child has made its own session (just after the fork), /proc shows it in the test's process group; and
	// while it execs sh, its memory may read as none (the old mappings are gone, the new ones not yet counted), also
	// for a moment after its name is sh: Linux counts a process's pages per CPU and /proc shows the total only once a
	// CPU's share passes a batch, so the new sh's first pages can read as 0 (CI, 2026-12-04).
	await waitFor(() => {
		const stat = parseProcessStat(readFileSync(`/proc/${child.pid}/stat`, 'latin1'));
		return stat !== undefined && stat.group === child.pid && stat.residentPages > 0
			&& readFileSync(`/proc/${child.pid}/comm`, 'latin1').trim() === 'sh';
	}, 'the child to lead its own group, running sh, with its pages counted');
	let now = 0;
	const sampler = createResourceSampler({now: () => now, keepFresh: false});
	const first = (await sampler.sample()).groups.get(child.pid!);
	assert.ok(first && first.memoryBytes > 0, 'the group uses memory');
	assert.ok(sampler.read().self.memoryBytes > 0);
	const ticks = () => parseProcessStat(readFileSync(`/proc/${child.pid}/stat`, 'latin1'))!.ticks;
	const afterFirst = ticks();
	await waitFor(() => ticks() > afterFirst, 'the busy loop to spend CPU time');
	now = 2000; // as if two seconds passed: the busy loop's CPU shows as a percentage
	const second = (await sampler.sample()).groups.get(child.pid!);
	assert.equal(typeof second?.cpuPercent, 'number');
	assert.ok(second!.cpuPercent! > 0, `a busy loop uses CPU (${second!.cpuPercent}%)`);
});
