import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {JobSnapshot, Snapshot} from '../../source/core/snapshot.js';
import {killOnCleanup, runCli, startCli} from '../helpers/cli.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {fixture} from '../helpers/fixture.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('fatc scale and pause survive a restart of the daemon; --fresh forgets them; a new instances in the file wins', async t => {
	// `other` runs in the config's folder: its records land beside work's.
	const daemon = await daemonFolder(t, {instances: 4, extra: [
		'  other:',
		`    command: ${fixture('record-run.sh')}`,
		'    args: [other.records]',
		'    model: independent',
		'    stopTimeout: 5s',
		'    env: {RUN_SECONDS: "1000"}',
	].join('\n')});
	const configFile = join(daemon.folder, '.fatcontrollerrc');
	const otherRecords = join(daemon.folder, 'other.records');
	const changesFile = join(daemon.folder, 'run/testd.changes.json');
	const fatc = async (...args: string[]) => {
		const result = await daemon.fatc(args);
		assert.equal(result.code, 0, `fatc ${args.join(' ')}: ${result.stderr}`);
		return result.stdout;
	};

	const status = async () => JSON.parse(await fatc('status', '--json')) as Snapshot;
	const job = (snapshot: Snapshot, name: string) => snapshot.jobs.find(each => each.name === name)!;
	const running = (snapshot: JobSnapshot) => snapshot.workers.filter(worker => worker.pid !== null && worker.state === 'running').length;
	/** Waits until `work` and `other` each have this many runs under way, and returns that status. */
	const runsUnderWay = async (work: number, other: number) => {
		let last: Snapshot | undefined;
		await waitFor(async () => {
			last = await status();
			return running(job(last, 'work')) === work && running(job(last, 'other')) === other;
		}, `${work} runs of work and ${other} of other`, 15_000, () => JSON.stringify(last?.jobs.map(({name, instances, paused, workers}) => ({name, instances, paused, workers: workers.length}))));
		return last!;
	};

	await fatc('--detach');
	await runsUnderWay(4, 1);
	await fatc('scale', 'work', '2');
	await fatc('pause', 'other');
	assert.deepEqual(JSON.parse(readFileSync(changesFile, 'utf8')), {version: 1, jobs: {work: {instances: 2, fileInstances: 4}, other: {paused: true}}});
	await fatc('stop');

	const restartedAt = Date.now();
	await fatc('--detach');
	const again = await runsUnderWay(2, 0);
	assert.equal(job(again, 'work').instances, 2);
	assert.equal(job(again, 'work').runs, 2, 'two runs started, not four with two stopped');
	assert.equal(job(again, 'other').paused, true);
	assert.equal(job(again, 'other').runs, 0);
	const log = readFileSync(join(daemon.folder, 'logs/testd.daemon.log'), 'utf8');
	assert.match(log, /fatc .*remembered from the last run: work instances 2 \(the file says 4\) — fatc --fresh forgets/);
	assert.match(log, /fatc .*remembered from the last run: other paused — fatc --fresh forgets/);
	const since = (records: ReturnType<typeof readRunRecords>) => records.filter(record => (record.start ?? 0) >= restartedAt);
	await waitFor(() => since(readRunRecords(daemon.records)).length === 2, 'both runs of work to write their start');
	await fatc('stop');
	assert.equal(maxConcurrentRuns(since(readRunRecords(daemon.records))), 2);
	assert.deepEqual(since(readRunRecords(otherRecords)), [], 'the paused job started no run');

	await fatc('--detach', '--fresh');
	const fresh = await runsUnderWay(4, 1);
	assert.equal(job(fresh, 'work').instances, 4);
	assert.equal(job(fresh, 'other').paused, false);
	assert.equal(existsSync(changesFile), false, '--fresh removed the file');

	await fatc('scale', 'work', '2');
	writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('instances: 4', 'instances: 6'));
	await runsUnderWay(6, 1);
	assert.equal(existsSync(changesFile), false, 'the file\'s new instances dropped the remembered 2');
	await fatc('stop');
	await fatc('--detach');
	const edited = await runsUnderWay(6, 1);
	assert.equal(job(edited, 'work').instances, 6);
});

test('fatc run remembers too, and fatc run --fresh forgets', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `name: fg\njobs:\n  work:\n    command: sh\n    args: [-c, 'sleep 1000 & wait']\n`);
	const run = async (args: string[], steer?: () => Promise<void>) => {
		const cli = startCli(['run', ...args], {cwd: folder});
		killOnCleanup(t, cli);
		await waitFor(() => cli.output().includes(' fatc started ('), 'fatc run to start', 15_000);
		await steer?.();
		cli.child.kill('SIGTERM');
		assert.equal(await cli.exited, 0, cli.errors());
		return cli.output();
	};

	await run([], async () => {
		const cli = startCli(['pause', 'work'], {cwd: folder});
		assert.equal(await cli.exited, 0, cli.errors());
	});
	const again = await run([]);
	assert.match(again, /fatc .*remembered from the last run: work paused — fatc --fresh forgets\n/);
	assert.doesNotMatch(again, /work\[0\] run \d+ started/);
	const fresh = await run(['--fresh']);
	assert.match(fresh, /fatc .*--fresh: forgot work paused\n/);
	assert.doesNotMatch(await run([]), /remembered/);
});

test('the open-file warning at start counts a remembered scale, not the file\'s instances', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'name: wide\nrunDir: ./run\njobs:\n  work:\n    command: sleep\n    args: ["1000"]\n    model: independent\n    instances: 10\n');
	mkdirSync(join(folder, 'run'), {mode: 0o700});
	// Paused as well: the warning is about the scale, and no run need start for it.
	writeFileSync(join(folder, 'run/wide.changes.json'), JSON.stringify({version: 1, jobs: {work: {instances: 250, fileInstances: 10, paused: true}}}));
	// 200 descriptors hold ~130 runs: 10 fit, 250 do not.
	const cli = startCli(['run'], {cwd: folder, wrapper: ['prlimit', '--nofile=200:200']});
	killOnCleanup(t, cli);
	await waitFor(() => cli.output().includes(' fatc started ('), 'fatc run to start', 15_000);
	assert.match(cli.output(), /remembered from the last run: work instances 250 \(the file says 10\)/);
	assert.match(cli.output(), /the open-file limit \(200\) holds \d+ runs at once, but the jobs ask for 250 /);
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, cli.errors());
});

test('a scale by hand past the open-file limit warns as at start: once each time the jobs go past it', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'name: widen\nrunDir: ./run\njobs:\n  work:\n    command: sleep\n    args: ["1000"]\n    model: independent\n    instances: 2\n');
	// 200 descriptors hold ~130 runs: 2 fit, 250 do not.
	const cli = startCli(['run'], {cwd: folder, wrapper: ['prlimit', '--nofile=200:200']});
	killOnCleanup(t, cli);
	await waitFor(() => cli.output().includes(' fatc started ('), 'fatc run to start', 15_000);
	const fatc = async (...args: string[]) => {
		const result = await runCli(args, {cwd: folder});
		assert.equal(result.code, 0, `fatc ${args.join(' ')}: ${result.stderr}`);
	};

	// Paused: the warning is about the scale, and no run need start for it.
	await fatc('pause', 'work');
	const warnings = () => [...cli.output().matchAll(/the open-file limit \(200\) holds \d+ runs at once, but the jobs ask for (\d+) /g)].map(match => Number(match[1]));
	assert.deepEqual(warnings(), [], 'no warning at start');
	for (const instances of [250, 260, 2, 270]) {
		await fatc('scale', 'work', String(instances));
		await waitFor(() => cli.output().includes(`-> ${instances}\n`), `the scale to ${instances} to be told`, 15_000);
	}

	// A warning is told right after its scale's line, in the same write: by the last scale's line, every warning is out.
	assert.deepEqual(warnings(), [250, 270], cli.output());
	// Back under the limit, then past it by a reload of the file.
	await fatc('scale', 'work', '2');
	await waitFor(() => cli.output().split('-> 2\n').length === 3, 'the second scale to 2 to be told', 15_000);
	await writeIn(folder, '.fatcontrollerrc', 'name: widen\nrunDir: ./run\njobs:\n  work:\n    command: sleep\n    args: ["1000"]\n    model: independent\n    instances: 300\n');
	await waitFor(() => cli.output().includes('-> 300\n'), 'the reload to 300 to be told', 15_000);
	assert.deepEqual(warnings(), [250, 270, 300], cli.output());
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, cli.errors());
});
