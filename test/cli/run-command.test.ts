import assert from 'node:assert/strict';
import {readFileSync, renameSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {readProcessStat} from '../../source/driver/proc-stat.js';
import {killOnCleanup, runCli, startCli, startedPids} from '../helpers/cli.js';
import {fixture} from '../helpers/fixture.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('fatc run: one line per event; SIGTERM stops every run gracefully and exits 0 with nothing left', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `jobs:\n  work:\n    command: sh\n    args: [-c, 'sleep 1000 & wait']\n    model: independent\n    instances: 3\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => startedPids(cli.output()).length === 3, 'three runs to start');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	assert.match(cli.output(), / fatc started \(pid \d+, 1 job\)/);
	assert.equal((cli.output().match(/ended: stopped \(signal SIGTERM, shutdown\)/g) ?? []).length, 3);
	assert.match(cli.output(), /fatc stopped: every run is gone\n$/);
	for (const pid of startedPids(cli.output())) {
		assert.equal(isAlive(pid), false, `run ${pid} is gone`);
	}
});

test('fatc run: a second SIGINT SIGKILLs every run at once', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `jobs:\n  stubborn:\n    command: ${fixture('ignore-sigterm.sh')}\n    stopSignal: TERM\n    stopTimeout: 1h\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => readLog(folder, 'stubborn').includes('ready'), 'the run to ignore SIGTERM');
	cli.child.kill('SIGINT');
	await waitFor(() => cli.output().includes('stopping every run'), 'the graceful stop to begin');
	cli.child.kill('SIGINT');
	assert.equal(await cli.exited, 0);
	assert.match(cli.output(), /killing every run \(SIGKILL\)/);
	assert.match(cli.output(), /ended: stopped \(signal SIGKILL, shutdown\)/);
	assert.equal(isAlive(startedPids(cli.output())[0]!), false);
});

test('fatc run: SIGHUP reopens the log files after logrotate renamed them', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `jobs:\n  ticker:\n    command: sh\n    args: [-c, 'echo "tick $FATC_RUN"']\n    model: fixed\n    sleep: 100ms\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => readLog(folder, 'ticker').includes('tick 2'), 'two ticks in the log');
	renameSync(join(folder, 'logs/ticker.log'), join(folder, 'logs/ticker.log.1'));
	cli.child.kill('SIGHUP');
	await waitFor(() => readLog(folder, 'ticker').includes('tick'), 'a tick in the new log file');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	assert.match(readFileSync(join(folder, 'logs/ticker.log.1'), 'utf8'), /^tick 1\ntick 2\n/);
});

test('fatc run --json prints one JSON object per event', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  once:\n    command: "true"\n');
	const {code, stdout} = await runCli(['run', '--json', '--run-once'], {cwd: folder});
	assert.equal(code, 0);
	const events = stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; job?: string; result?: string});
	assert.deepEqual(events.map(event => event.type), ['supervisor-started', 'run-started', 'run-ended', 'supervisor-stopping', 'supervisor-stopped']);
	assert.equal(events[2]!.result, 'done');
});

test('fatc run --run-once exits 0 when every run was done or more, 1 when one failed', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, 'good.yml', 'jobs:\n  a:\n    command: sh\n    args: [-c, "exit 64"]\n  b:\n    command: "true"\n    model: independent\n    instances: 3\n');
	await writeIn(folder, 'bad.yml', 'jobs:\n  a:\n    command: "true"\n  b:\n    command: sh\n    args: [-c, "exit 3"]\n');
	const good = await runCli(['run', '--run-once', '-c', 'good.yml'], {cwd: folder});
	assert.equal(good.code, 0, good.stdout + good.stderr);
	assert.equal(startedPids(good.stdout).length, 4, 'one run for dependent, instances runs for independent');
	const bad = await runCli(['run', '--run-once', '-c', 'bad.yml'], {cwd: folder});
	assert.equal(bad.code, 1);
	assert.match(bad.stdout, /b\[0\] run 1 ended: error \(exit 3\)/);
});

test("the original's command-line flags make a one-job config", async t => {
	const folder = temporaryFolder(t);
	const {code, stdout, stderr} = await runCli(['--command', 'sh', '--arguments', `-c 'echo "tid $1" "$FATC_JOB"' sh`, '--append-thread-id', '--independent-threads', '--threads', '2', '--daemon-name', 'legacy', '--run-once'], {cwd: folder});
	assert.equal(code, 0, stderr);
	assert.equal(startedPids(stdout).length, 2);
	const log = readFileSync(join(folder, 'logs/legacy.log'), 'utf8').split('\n').sort().join('\n');
	assert.equal(log, '\ntid --tid=0 legacy\ntid --tid=1 legacy');
});

function readLog(folder: string, job: string): string {
	try {
		return readFileSync(join(folder, 'logs', `${job}.log`), 'utf8');
	} catch {
		return '';
	}
}

test('fatc run answers the client commands on its socket, and a second fatc of the same name is refused', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `jobs:\n  work:\n    command: sleep\n    args: ["1000"]\n    model: independent\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => startedPids(cli.output()).length === 1, 'the run to start');
	const status = await runCli(['status'], {cwd: folder});
	assert.equal(status.code, 0, status.stderr);
	assert.match(status.stdout, /work\s+independent\s+1\/1\/1\s+running/);
	assert.equal((await runCli(['scale', 'work', '2'], {cwd: folder})).code, 0);
	await waitFor(() => startedPids(cli.output()).length === 2, 'the scale to start a second run');

	const second = await runCli(['run'], {cwd: folder});
	assert.equal(second.code, 1);
	assert.match(second.stderr, /a fatc daemon with this name already runs \(pid \d+/);
	assert.equal(startedPids(second.stdout).length, 0, 'the second fatc started nothing');

	const stopped = await runCli(['stop'], {cwd: folder});
	assert.equal(stopped.code, 0, stopped.stderr);
	assert.equal(await cli.exited, 0);
	for (const pid of startedPids(cli.output())) {
		assert.equal(isAlive(pid), false);
	}
});

test('a process that left its run\'s process group (setsid) is killed when fatc stops', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', `jobs:\n  escaper:\n    command: sh\n    args: [-c, 'setsid sleep 1000 & echo "escaped $!"; wait']\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => /escaped \d+/.test(readLog(folder, 'escaper')), 'the escaped process to start');
	const escaped = Number(/escaped (\d+)/.exec(readLog(folder, 'escaper'))![1]);
	t.after(() => {
		try {
			process.kill(escaped, 'SIGKILL');
		} catch {}
	});
	// "escaped" is printed right after the fork: wait until setsid has really taken it out of the run's group.
	await waitFor(() => readProcessStat(escaped)?.group === escaped, 'the process to leave the run\'s process group');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	assert.equal(isAlive(escaped), false, 'the escaped process is gone too');
	// Killed as its run ended (the run's sweep) or as fatc stopped, whichever came first.
	assert.match(cli.output(), /killed 1 processes that (had left their run's process group|escaper run 1 left outside its process group)/);
});

test('stopping one fatc never touches the runs of another of the same name with its own runDir', async t => {
	const config = `name: twin\nrunDir: ./run\njobs:\n  work:\n    command: sleep\n    args: ["1000"]\n`;
	const first = temporaryFolder(t);
	const second = temporaryFolder(t);
	await writeIn(first, '.fatcontrollerrc', config);
	await writeIn(second, '.fatcontrollerrc', config);
	const one = startCli(['run'], {cwd: first});
	const two = startCli(['run'], {cwd: second});
	killOnCleanup(t, one, two);
	await waitFor(() => startedPids(one.output()).length === 1 && startedPids(two.output()).length === 1, 'both to start a run');
	one.child.kill('SIGTERM');
	assert.equal(await one.exited, 0);
	const [survivor] = startedPids(two.output());
	assert.equal(isAlive(survivor!), true, 'the other fatc\'s run is untouched');
	two.child.kill('SIGTERM');
	assert.equal(await two.exited, 0);
	assert.equal(isAlive(survivor!), false);
});
