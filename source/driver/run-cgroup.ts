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
 */
export type RunCgroup = {
	/** One phrase for fatc's start line: where the runs are scheduled. */
	readonly description: string;
	/** Moves a started run into the group (best effort: a run already gone is no error). */
	add(pid: number): void;
	/** Removes the group once it is empty; a group a run still holds stays. */
	close(): void;
};

/** Paths read, which a test may point elsewhere. */
export type CgroupPaths = {procRoot: string};

const prefix = 'fatc-';

export function openRunCgroup(name: string, paths: CgroupPaths = {procRoot: '/proc'}): RunCgroup {
	const nothing = (description: string): RunCgroup => ({description, add() {}, close() {}});
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
		close() {
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
	const [file, weight] = version === 1 ? ['cpu.shares', '2'] : ['cpu.weight', '1'];
	writeFileSync(join(folder, file), weight);
	return `${file} ${weight}`;
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
