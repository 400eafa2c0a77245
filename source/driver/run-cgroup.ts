import {closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, writeFileSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {readProcessStat} from './proc-stat.js';

/**
 * The cpu cgroup fatc puts itself and its runs in. Each run is a session of its own, and a kernel with autogroup
 * (`kernel.sched_autogroup_enabled = 1`, the default of most distributions) schedules each session of the root cpu
 * cgroup as a group of its own: 4,000 runs ending at once are 4,000 groups beside fatc's one, and fatc, and every
 * other program on the machine, wait over a second for the CPU (measured: a process outside woke up to 1.4 s late).
 * In one cgroup of their own the runs weigh as one group, as under systemd (a service's cgroup holds its processes):
 * the same process woke at most 123 ms late, and the runs ended as fast. fatc goes into that cgroup too, in a group of
 * its own beside the runs', which has the least weight: at an equal weight the runs' group held fatc itself off
 * the CPU for over a second while thousands ended, and `fatc status` waited that long. Under systemd, or with fatc
 * already in a cpu cgroup other than the root, the runs share fatc's and nothing is done; nor without autogroup or
 * write access.
 *
 * While the runs stream output (≥ 32 MB/s into fatc, until it falls under 8 MB/s), their group weighs as much as
 * fatc's: at the least weight fatc took the CPU from a writing run at each of its pipe writes, read a pipe ~22 KB at a
 * time, and spent 2.3–2.4 ms of CPU a MB; at an equal weight it reads more at a time, 1.4–1.7 ms a MB, and more
 * reached the logs (4 writers, 2026-12-04: 605–700 against 550–587 MB/s). Bursts of thousands of starts or ends do not
 * stream, so they keep the least weight.
 */
export type RunCgroup = {
	/** One phrase for fatc's start line: where the runs are scheduled. */
	readonly description: string;
	/** Moves a started run into the group (best effort: a run already gone is no error). */
	add(pid: number): void;
	/** Counts bytes of the runs' output read: their rate decides the runs' weight (above). */
	countOutput(bytes: number): void;
	/** Removes the group once it is empty; a group a run still holds stays. */
	close(): void;
};

/** Output rates (bytes a second) at which the runs' group weighs as fatc's, and at which it weighs the least again. */
export const streamingRates = {on: 32_000_000, off: 8_000_000};

/** Paths read, which a test may point elsewhere. */
export type CgroupPaths = {procRoot: string};

const prefix = 'fatc-';

export function openRunCgroup(name: string, paths: CgroupPaths = {procRoot: '/proc'}): RunCgroup {
	const nothing = (description: string): RunCgroup => ({description, add() {}, countOutput() {}, close() {}});
	if (read(join(paths.procRoot, 'sys/kernel/sched_autogroup_enabled'))?.trim() !== '1') {
		return nothing('runs scheduled as fatc is (no autogroup)');
	}

	const own = ownCpuCgroup(paths.procRoot);
	if (own === undefined) {
		return nothing('runs scheduled as fatc is (no cpu cgroup found)');
	}

	if (own.path !== '/') {
		return nothing(`runs share fatc's cpu cgroup ${own.path}`);
	}

	const folder = join(own.mount, `${prefix}${name}-${process.pid}`);
	const runsFolder = join(folder, 'runs');
	const fatcFolder = join(folder, 'fatc');
	let descriptor: number;
	let yielding: string;
	try {
		removeEmptyGroups(own.mount, name);
		// Already there only for a fatc of this name and pid in another pid namespace (a container's PID 1): shared.
		mkdirSync(runsFolder, {recursive: true});
		mkdirSync(fatcFolder, {recursive: true});
		if (own.version === 2) {
			// cgroup v2: the cpu controller for the two groups inside.
			writeFileSync(join(folder, 'cgroup.subtree_control'), '+cpu');
		}

		yielding = yieldToSibling(runsFolder, own.version);
		descriptor = openSync(join(runsFolder, 'cgroup.procs'), 'w');
	} catch (error) {
		removeGroup(folder);
		return nothing(`runs in a session each (no cpu cgroup of their own: ${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}

	// fatc itself (every thread) beside its runs, ahead of them.
	const home = join(own.mount, own.path, 'cgroup.procs');
	const moved = write(join(fatcFolder, 'cgroup.procs'), String(process.pid));
	const rate = new OutputRate(streaming => {
		weigh(runsFolder, own.version, streaming);
	});
	let closed = false;
	return {
		description: moved ? `runs in the cpu cgroup ${runsFolder}, behind fatc in ${fatcFolder} (${yielding})` : `runs in the cpu cgroup ${runsFolder} (fatc could not join ${fatcFolder})`,
		add(pid) {
			try {
				// One pid per write: the kernel moves that process (and no thread of another).
				writeSync(descriptor, String(pid));
			} catch {
				// Gone already (ESRCH), or the group was removed: the run is scheduled as a session of its own.
			}
		},
		countOutput(bytes) {
			// Output still read after the stop does not start the timer again.
			if (!closed) {
				rate.count(bytes);
			}
		},
		close() {
			closed = true;
			rate.stop();
			closeSync(descriptor);
			if (moved) {
				write(home, String(process.pid));
			}

			// A run that outlived fatc's stop keeps the group: the next fatc of this name removes it if it is empty by then.
			removeGroup(folder);
			// And a killed fatc's group its runs still held at this one's start (crash reaping SIGKILLs them after): empty by now.
			removeEmptyGroups(own.mount, name);
		},
	};
}

/**
 * Gives the runs' group the least weight beside fatc's (1024 on v1, 100 on v2): it gets the CPU fatc leaves. Not
 * `cpu.idle`, which does the same on paper: with it, `fatc status` took up to 5.5 s while 10,000 runs started, and
 * another fatc beside them up to 7.3 s (167 and 221 ms with the least weight; measured 2026-12-02, one run each).
 * Says which file it set.
 */
function yieldToSibling(folder: string, version: 1 | 2): string {
	const [file, weight] = weights[version];
	writeFileSync(join(folder, file), weight.least);
	return `${file} ${weight.least}`;
}

const weights = {
	1: ['cpu.shares', {least: '2', fatcs: '1024'}],
	2: ['cpu.weight', {least: '1', fatcs: '100'}],
} as const;

/** The runs' group weighs as fatc's while they stream output, else the least (best effort: a failed write changes nothing). */
function weigh(folder: string, version: 1 | 2, streaming: boolean): void {
	const [file, weight] = weights[version];
	write(join(folder, file), streaming ? weight.fatcs : weight.least);
}

/**
 * The runs' output rate, measured over each second in which output arrives: calls `onChange(true)` when it reaches
 * streamingRates.on, `onChange(false)` when it falls under streamingRates.off. Its timer runs only while output
 * arrives (or the runs stream), and never keeps fatc alive.
 */
export class OutputRate {
	private bytes = 0;
	private streaming = false;
	private timer: NodeJS.Timeout | undefined;

	constructor(private readonly onChange: (streaming: boolean) => void, private readonly window = 1000) {}

	count(bytes: number): void {
		this.bytes += bytes;
		if (this.timer === undefined) {
			this.timer = setInterval(() => {
				this.tick();
			}, this.window).unref();
		}
	}

	/** Ends a window: the bytes counted in it are its rate. Called by the timer (and by a test). */
	tick(): void {
		const rate = this.bytes * 1000 / this.window;
		this.bytes = 0;
		const streaming = this.streaming ? rate >= streamingRates.off : rate >= streamingRates.on;
		if (streaming !== this.streaming) {
			this.streaming = streaming;
			this.onChange(streaming);
		}

		if (rate === 0 && !streaming) {
			this.stop();
		}
	}

	/** Whether the timer runs. */
	get isMeasuring(): boolean {
		return this.timer !== undefined;
	}

	stop(): void {
		clearInterval(this.timer);
		this.timer = undefined;
	}
}

/** The group and the two inside it, each if empty (rmdir refuses one in use). */
function removeGroup(folder: string): void {
	for (const path of [join(folder, 'runs'), join(folder, 'fatc'), folder]) {
		try {
			rmdirSync(path);
		} catch {
			// Gone already, or a process is still in it.
		}
	}
}

function write(path: string, text: string): boolean {
	try {
		writeFileSync(path, text);
		return true;
	} catch {
		return false;
	}
}

/** The cpu cgroup fatc is in and where that hierarchy is mounted, from /proc/self/cgroup and mountinfo (v1 or v2). */
function ownCpuCgroup(procRoot: string): {mount: string; path: string; version: 1 | 2} | undefined {
	const memberships = read(join(procRoot, 'self/cgroup'))?.split('\n') ?? [];
	const mounts = (read(join(procRoot, 'self/mountinfo')) ?? '').split('\n').map(line => {
		const [before, after] = line.split(' - ');
		const fields = before?.split(' ') ?? [];
		const [type, , options] = after?.split(' ') ?? [];
		return {mountPoint: fields[4], type, options: options?.split(',') ?? []};
	});
	for (const line of memberships) {
		const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
		if (path === undefined) {
			continue;
		}

		if (controllers!.split(',').includes('cpu')) {
			const mount = mounts.find(candidate => candidate.type === 'cgroup' && candidate.options.includes('cpu'));
			return mount?.mountPoint === undefined ? undefined : {mount: mount.mountPoint, path, version: 1};
		}

		if (controllers === '') {
			// cgroup v2: the cpu controller must be on for the groups below the root, or a group would not count.
			const mount = mounts.find(candidate => candidate.type === 'cgroup2');
			const enabled = mount?.mountPoint === undefined ? undefined : read(join(mount.mountPoint, 'cgroup.subtree_control'));
			if (mount?.mountPoint !== undefined && enabled?.split(/\s+/).includes('cpu')) {
				return {mount: mount.mountPoint, path, version: 2};
			}
		}
	}

	return undefined;
}

/** Groups of fatcs of this name that were killed (so never removed theirs) and are empty: rmdir refuses one in use. */
function removeEmptyGroups(mount: string, name: string): void {
	if (!existsSync(mount)) {
		return;
	}

	for (const entry of readdirSync(mount)) {
		const pid = entry.startsWith(`${prefix}${name}-`) ? entry.slice(prefix.length + name.length + 1) : '';
		// A zombie counts as gone, as everywhere fatc reads /proc.
		if (/^\d+$/.test(pid) && readProcessStat(pid) === undefined) {
			// Left as it is where its runs outlived it and are still there.
			removeGroup(join(mount, entry));
		}
	}
}

function read(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}
