import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {closeSync, fstatSync, openSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {version} from '../../source/cli/version.js';
import {cliPath, killOnCleanup, startCli} from '../helpers/cli.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

type EventRecord = {time: string; level: string; version: string; type: string; job?: string; [key: string]: unknown};

// A run that fails at once (an error) and one that outlives its warnAfter (a warning).
const config = [
	'jobs:',
	'  fails:',
	'    command: sh',
	'    args: [-c, "exit 3"]',
	'    sleepOnError: 1h',
	'  slow:',
	'    command: sh',
	'    args: [-c, "sleep 1000 & wait"]',
	'    warnAfter: 100ms',
	'',
].join('\n');

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test('fatc run: warnings and errors are tagged WARN and ERROR after the time, info lines are as they were', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => cli.output().includes('still running after') && cli.output().includes('ended: error'), 'the error and the warning');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	const output = cli.output();
	assert.match(output, /^\S+Z ERROR fails\[0\] run 1 ended: error \(exit 3\) after \S+$/m);
	assert.match(output, /^\S+Z WARN slow\[0\] warn: run \d+ \(pid \d+\) still running after \S+$/m);
	assert.match(output, /^\S+Z slow\[0\] run \d+ started \(pid \d+\)$/m);
	assert.match(output, /^\S+Z fatc started \(pid \d+, 2 jobs\)/m);
	assert.doesNotMatch(output, /^</m, 'no journald priorities off the journal');
});

test('fatc run --json: each line carries level, an ISO-8601 time, durations in seconds and the fatc version', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const cli = startCli(['run', '--json'], {cwd: folder});
	killOnCleanup(t, cli);
	const records = () => cli.output().split('\n').slice(0, -1).map(line => JSON.parse(line) as EventRecord);
	await waitFor(() => records().some(record => record.type === 'run-warning') && records().some(record => record.type === 'run-ended'), 'the error and the warning');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	const all = records();
	for (const record of all) {
		assert.match(record.time, isoTime);
		assert.equal(record.version, version);
		assert.ok(['info', 'warn', 'error'].includes(record.level), record.level);
	}

	const ended = all.find(record => record.type === 'run-ended' && record.job === 'fails')!;
	assert.equal(ended.level, 'error');
	assert.equal(typeof ended['duration'], 'number');
	assert.ok((ended['duration'] as number) < 60, `duration in seconds: ${String(ended['duration'])}`);
	assert.match(String(ended['startedAt']), isoTime);
	const warning = all.find(record => record.type === 'run-warning')!;
	assert.equal(warning.level, 'warn');
	assert.ok((warning['runTime'] as number) >= 0.1 && (warning['runTime'] as number) < 60, `runTime in seconds: ${String(warning['runTime'])}`);
	assert.equal(all.find(record => record.type === 'run-started')!.level, 'info');
});

/** `fatc run --run-once` with stdout to a file and JOURNAL_STREAM naming that file, or `journalStream` when given. */
async function runToFile(t: TestContext, journalStream?: string): Promise<string> {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  fails:\n    command: sh\n    args: [-c, "exit 3"]\n');
	const file = join(folder, 'stdout');
	const fd = openSync(file, 'w');
	const {dev, ino} = fstatSync(fd, {bigint: true});
	const child = spawn(process.execPath, [cliPath, 'run', '--run-once'], {
		cwd: folder,
		env: {...process.env, XDG_RUNTIME_DIR: folder, JOURNAL_STREAM: journalStream ?? `${dev}:${ino}`},
		stdio: ['ignore', fd, 'inherit'],
	});
	closeSync(fd);
	const [code] = await once(child, 'exit') as [number | null];
	assert.equal(code, 1, 'the run failed');
	return readFileSync(file, 'utf8');
}

test('under systemd (JOURNAL_STREAM names stdout) each line starts with its priority: <3> for an error, <6> for info', async t => {
	const lines = (await runToFile(t)).split('\n').slice(0, -1);
	assert.match(lines.find(line => line.includes(' run 1 ended: error'))!, /^<3>\S+Z fails\[0\] run 1 ended: error/);
	assert.match(lines.find(line => line.includes(' run 1 started'))!, /^<6>\S+Z fails\[0\] run 1 started/);
	assert.ok(lines.every(line => /^<[36]>\S+Z /.test(line)), lines.join('\n'));
});

test('JOURNAL_STREAM naming another stream (inherited, stdout elsewhere): no priorities, the ERROR tag instead', async t => {
	const output = await runToFile(t, '1:1');
	assert.doesNotMatch(output, /^</m);
	assert.match(output, /^\S+Z ERROR fails\[0\] run 1 ended: error/m);
});

test('fatc --detach --json: the daemon writes its log as JSON records', async t => {
	const daemon = await daemonFolder(t, {instances: 1});
	const started = await daemon.fatc(['--detach', '--json']);
	assert.equal(started.code, 0, started.stderr);
	const log = join(daemon.folder, 'logs/testd.daemon.log');
	const records = () => readFileSync(log, 'utf8').split('\n').slice(0, -1).map(line => JSON.parse(line) as EventRecord);
	await waitFor(() => records().some(record => record.type === 'run-started'), 'a run to start');
	const stopped = await daemon.fatc(['stop']);
	assert.equal(stopped.code, 0, stopped.stderr);
	const all = records();
	assert.deepEqual(all.map(record => record.type).filter(type => type.startsWith('supervisor-')), ['supervisor-started', 'supervisor-stopping', 'supervisor-stopped']);
	for (const record of all) {
		assert.match(record.time, isoTime);
		assert.equal(record.level, 'info');
		assert.equal(record.version, version);
	}
});

test('logFormat: a job with it writes each line with the time and its run; a job without writes the lines as printed', async t => {
	const folder = temporaryFolder(t);
	const print = 'printf "a\\\\n\\\\nb\\\\n"';
	await writeIn(folder, '.fatcontrollerrc', [
		'jobs:',
		'  stamped:',
		'    command: sh',
		`    args: [-c, '${print}']`,
		'    logFormat: {time: true, run: true}',
		'  runOnly:',
		'    command: sh',
		`    args: [-c, '${print}']`,
		'    logFormat: {run: true}',
		'  plain:',
		'    command: sh',
		`    args: [-c, '${print}']`,
		'',
	].join('\n'));
	const cli = startCli(['run', '--run-once'], {cwd: folder});
	killOnCleanup(t, cli);
	assert.equal(await cli.exited, 0, cli.errors());
	const readLog = (job: string) => readFileSync(join(folder, 'logs', `${job}.log`), 'utf8');
	assert.match(readLog('stamped'), /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[run 1 slot 0\] (a|b|)\n){3}$/);
	assert.equal(readLog('stamped').split('\n').map(line => line.replace(/^\S+ \[run 1 slot 0\] /, '')).join('\n'), 'a\n\nb\n');
	assert.equal(readLog('runOnly'), '[run 1 slot 0] a\n[run 1 slot 0] \n[run 1 slot 0] b\n');
	assert.equal(readLog('plain'), 'a\n\nb\n');
});
