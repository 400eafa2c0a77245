import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {OutputRate, openRunCgroup, streamingRates} from '../../source/driver/run-cgroup.js';
import {killOnCleanup, runCli, startCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

/** A /proc of our making: autogroup on or off, fatc in the cpu cgroup `path`, that hierarchy mounted at `mount`. */
async function fakeProc(t: TestContext, options: {autogroup: boolean; path: string; version?: 1 | 2}) {
	const folder = temporaryFolder(t);
	const mount = join(folder, 'cgroup');
	mkdirSync(mount);
	await writeIn(folder, 'proc/sys/kernel/sched_autogroup_enabled', options.autogroup ? '1\n' : '0\n');
	if (options.version === 2) {
		await writeIn(folder, 'proc/self/cgroup', `0::${options.path}\n`);
		await writeIn(folder, 'proc/self/mountinfo', `30 22 0:26 / ${mount} rw,nosuid - cgroup2 cgroup2 rw\n`);
		await writeIn(folder, 'cgroup/cgroup.subtree_control', 'cpuset cpu io memory pids\n');
	} else {
		await writeIn(folder, 'proc/self/cgroup', `9:name=systemd:/\n2:cpuacct:/\n1:cpu:${options.path}\n`);
		await writeIn(folder, 'proc/self/mountinfo', [
			`31 25 0:27 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct`,
			`32 25 0:28 / ${mount} rw - cgroup cgroup rw,cpu`,
			'',
		].join('\n'));
	}

	return {procRoot: join(folder, 'proc'), mount};
}

test('run cgroup: made only with autogroup on and fatc in the root cpu cgroup; fatc joins its group, the runs are written one pid at a time into the one beside it, which weighs the least beside fatc\'s', async t => {
	const off = await fakeProc(t, {autogroup: false, path: '/'});
	assert.equal(openRunCgroup('mail', off).description, 'runs scheduled as fatc is (no autogroup)');
	assert.deepEqual(readdirSync(off.mount), []);

	const systemd = await fakeProc(t, {autogroup: true, path: '/system.slice/fatc.service'});
	assert.equal(openRunCgroup('mail', systemd).description, 'runs share fatc\'s cpu cgroup /system.slice/fatc.service');
	assert.deepEqual(readdirSync(systemd.mount), []);

	for (const version of [1, 2] as const) {
		const root = await fakeProc(t, {autogroup: true, path: '/', version});
		const cgroup = openRunCgroup('mail', root);
		const folder = join(root.mount, `fatc-mail-${process.pid}`);
		const [file, weight] = version === 1 ? ['cpu.shares', '2'] : ['cpu.weight', '1'];
		assert.equal(cgroup.description, `runs in the cpu cgroup ${folder}/runs, behind fatc in ${folder}/fatc (${file} ${weight})`);
		assert.equal(readFileSync(join(folder, 'fatc/cgroup.procs'), 'utf8'), String(process.pid), `cgroup v${version}: fatc in its group`);
		assert.equal(readFileSync(join(folder, `runs/${file}`), 'utf8'), weight, 'the runs\' group: the least weight');
		if (version === 2) {
			assert.equal(readFileSync(join(folder, 'cgroup.subtree_control'), 'utf8'), '+cpu');
		}

		cgroup.add(1234);
		cgroup.add(1235);
		assert.equal(readFileSync(join(folder, 'runs/cgroup.procs'), 'utf8'), '12341235', `cgroup v${version}`);
		cgroup.close();
		assert.equal(readFileSync(join(root.mount, 'cgroup.procs'), 'utf8'), String(process.pid), 'fatc back where it was');
	}
});

test('run cgroup: the empty group of a fatc of that name that was killed is removed; a live one\'s and other names\' stay', async t => {
	const proc = await fakeProc(t, {autogroup: true, path: '/'});
	const live = spawn('sleep', ['600'], {stdio: 'ignore'});
	t.after(() => live.kill('SIGKILL'));
	const dead = 4_194_000;
	for (const name of [`fatc-mail-${dead}`, `fatc-mail-${live.pid}`, `fatc-mail-feed-${dead}`, 'other']) {
		mkdirSync(join(proc.mount, name));
	}

	// One with the two groups inside, empty: removed too.
	mkdirSync(join(proc.mount, `fatc-mail-${dead + 1}/runs`), {recursive: true});
	mkdirSync(join(proc.mount, `fatc-mail-${dead + 1}/fatc`));

	openRunCgroup('mail', proc).close();
	// (cgroup.procs: fatc written back into the root at close.)
	assert.deepEqual(readdirSync(proc.mount).sort(), [`fatc-mail-${live.pid}`, `fatc-mail-feed-${dead}`, `fatc-mail-${process.pid}`, 'other', 'cgroup.procs'].sort());
});

test('run cgroup: a killed fatc\'s group still held by its runs at the start is removed at the stop, once they are gone', async t => {
	const proc = await fakeProc(t, {autogroup: true, path: '/'});
	const cgroup = openRunCgroup('mail', proc);
	// Made after the start stands for one a leftover run held then (rmdir refused it); crash reaping has killed that run since.
	const dead = 4_194_000;
	mkdirSync(join(proc.mount, `fatc-mail-${dead}/runs`), {recursive: true});
	mkdirSync(join(proc.mount, `fatc-mail-${dead}/fatc`));
	cgroup.close();
	// (Its own stays here: files written in a folder of ours are not a cgroup's, so rmdir refuses it.)
	assert.deepEqual(readdirSync(proc.mount).sort(), ['cgroup.procs', `fatc-mail-${process.pid}`]);
});

/** Where this machine can show it: root, autogroup on, fatc in the root of a v1 cpu hierarchy at the usual place. */
function realCgroupSkipReason(): string | undefined {
	if (process.getuid?.() !== 0) {
		return 'not root';
	}

	if (readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() !== '1') {
		return 'autogroup is off';
	}

	return /^\d+:(?:[^:]*,)?cpu(?:,[^:]*)?:\/$/m.test(readFileSync('/proc/self/cgroup', 'utf8')) && existsSync('/sys/fs/cgroup/cpu/cgroup.procs')
		? undefined
		: 'not in the root of a cgroup v1 cpu hierarchy at /sys/fs/cgroup/cpu';
}

test('a real fatc puts itself and its runs into a cpu cgroup of their own, the runs behind fatc, says so at start, and removes it when it stops', {skip: realCgroupSkipReason()}, async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', ['name: grouped', 'runDir: ./run', 'jobs:', '  work:', '    command: sleep', '    args: ["600"]', '    model: independent', '    instances: 2', ''].join('\n'));
	const fatc = startCli(['run'], {cwd: folder});
	killOnCleanup(t, fatc);
	await waitFor(() => (fatc.output().match(/work\[\d\] run \d+ started \(pid \d+\)/g) ?? []).length === 2, 'both runs to start', 15_000);
	const group = `/fatc-grouped-${fatc.child.pid}`;
	assert.match(fatc.output(), new RegExp(`runs in the cpu cgroup /sys/fs/cgroup/cpu${group}/runs, behind fatc in /sys/fs/cgroup/cpu${group}/fatc \\(cpu.shares 2\\)\\n`));
	const pids = [...fatc.output().matchAll(/started \(pid (\d+)\)/g)].map(match => match[1]!);
	for (const pid of pids) {
		assert.match(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), new RegExp(`^\\d+:cpu:${group}/runs$`, 'm'), `run ${pid}`);
	}

	assert.equal(readFileSync(`/sys/fs/cgroup/cpu${group}/runs/cpu.shares`, 'utf8').trim(), '2', 'the runs weigh the least beside fatc');
	// Every thread of fatc, not only its main one.
	for (const thread of readdirSync(`/proc/${fatc.child.pid}/task`)) {
		assert.match(readFileSync(`/proc/${fatc.child.pid}/task/${thread}/cgroup`, 'utf8'), new RegExp(`^\\d+:cpu:${group}/fatc$`, 'm'), `fatc's thread ${thread}`);
	}

	fatc.child.kill('SIGTERM');
	assert.equal(await fatc.exited, 0, fatc.errors());
	assert.equal(existsSync(`/sys/fs/cgroup/cpu${group}`), false, 'the group is removed');
});

test('cgroup: false keeps the runs where fatc is', {skip: realCgroupSkipReason()}, async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', ['name: ungrouped', 'runDir: ./run', 'cgroup: false', 'jobs:', '  work:', '    command: sleep', '    args: ["600"]', ''].join('\n'));
	const fatc = startCli(['run'], {cwd: folder});
	killOnCleanup(t, fatc);
	await waitFor(() => /work\[0\] run \d+ started \(pid \d+\)/.test(fatc.output()), 'the run to start', 15_000);
	const pid = /started \(pid (\d+)\)/.exec(fatc.output())![1]!;
	assert.doesNotMatch(fatc.output(), /cpu cgroup/);
	assert.match(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), /^\d+:cpu:\/$/m);
	fatc.child.kill('SIGTERM');
	assert.equal(await fatc.exited, 0, fatc.errors());
});

test('run cgroup: the runs weigh as fatc while their output streams (from 32 MB/s until under 8 MB/s), else the least', async t => {
	// A minute's window: its timer never fires during the test, which ends each window itself.
	const window = 60_000;
	const changes: boolean[] = [];
	const rate = new OutputRate(streaming => changes.push(streaming), window);
	const bytesAt = (perSecond: number) => perSecond * window / 1000;
	rate.count(bytesAt(streamingRates.on) - 1);
	assert.ok(rate.isMeasuring, 'the first bytes start the timer');
	rate.tick();
	assert.deepEqual(changes, [], 'just under the rate: still the least weight');
	rate.count(bytesAt(streamingRates.on));
	rate.tick();
	assert.deepEqual(changes, [true]);
	rate.count(bytesAt(streamingRates.off));
	rate.tick();
	assert.deepEqual(changes, [true], 'at 8 MB/s it still streams');
	rate.tick();
	assert.deepEqual(changes, [true, false], 'no output: the least weight again');
	assert.equal(rate.isMeasuring, false, 'and no timer while nothing is read');

	// The weight files, on both versions.
	for (const version of [1, 2] as const) {
		const root = await fakeProc(t, {autogroup: true, path: '/', version});
		const cgroup = openRunCgroup('mail', root);
		const file = join(root.mount, `fatc-mail-${process.pid}`, 'runs', version === 1 ? 'cpu.shares' : 'cpu.weight');
		cgroup.countOutput(3 * streamingRates.on);
		await waitFor(() => readFileSync(file, 'utf8') === (version === 1 ? '1024' : '100'), `cgroup v${version}: the runs weigh as fatc`, 10_000);
		await waitFor(() => readFileSync(file, 'utf8') === (version === 1 ? '2' : '1'), `cgroup v${version}: the least weight again`, 10_000);
		cgroup.close();
	}
});

test('a real fatc: the runs\' group weighs as fatc while a run streams output, and the least once it stopped', {skip: realCgroupSkipReason()}, async t => {
	const folder = temporaryFolder(t);
	// yes writes as fast as fatc reads; its log is /dev/null, so no disk fills.
	await writeIn(folder, '.fatcontrollerrc', ['name: streaming', 'runDir: ./run', 'jobs:', '  chatty:', '    command: yes', '    logFile: /dev/null', ''].join('\n'));
	const fatc = startCli(['run'], {cwd: folder});
	killOnCleanup(t, fatc);
	await waitFor(() => /chatty\[0\] run 1 started/.test(fatc.output()), 'the run to start', 15_000);
	const shares = `/sys/fs/cgroup/cpu/fatc-streaming-${fatc.child.pid}/runs/cpu.shares`;
	await waitFor(() => readFileSync(shares, 'utf8').trim() === '1024', 'the runs to weigh as fatc', 15_000);
	const scaled = await runCli(['scale', 'chatty', '0'], {cwd: folder});
	assert.equal(scaled.code, 0, scaled.stderr);
	await waitFor(() => readFileSync(shares, 'utf8').trim() === '2', 'the least weight again', 15_000);
	fatc.child.kill('SIGTERM');
	assert.equal(await fatc.exited, 0, fatc.errors());
});
