import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {killOnCleanup, startCli, type CliProcess} from '../helpers/cli.js';
import {onCleanup} from '../helpers/cleanup.js';
import {fixture} from '../helpers/fixture.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

/*
 * Hold, backlog, wake and quiet hours with real processes, real files, the real /proc/loadavg and the real clock,
 * through `fatc run --json`. Nothing here waits a fixed time: "no new start" is shown by waiting until the sensor
 * has answered a few more times (each probe appends to a file), then reading the runs' own records.
 */

type EventLine = {type: string; job?: string; [key: string]: unknown};

function events(cli: CliProcess): EventLine[] {
	return cli.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as EventLine);
}

function countLines(file: string): number {
	try {
		return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
	} catch {
		return 0;
	}
}

const job = (settings: string) => `jobs:\n  work:\n    command: ${fixture('record-run.sh')}\n    args: [runs.log]\n${settings}`;

async function startRun(t: Parameters<typeof temporaryFolder>[0], config: string, env: Record<string, string> = {}) {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', config);
	const cli = startCli(['run', '--json'], {cwd: folder, env});
	killOnCleanup(t, cli);
	const records = () => readRunRecords(join(folder, 'runs.log'));
	return {folder, cli, records, has: (type: string) => events(cli).some(event => event.type === type)};
}

test('hold probe: while it exits 0 no new run starts and runs under way finish; when it exits 1 starts resume', async t => {
	const {folder, cli, records, has} = await startRun(t, job([
		'    sleep: 0',
		'    hold: {command: "echo probe >> probes.log; test -e peak", every: 50ms}',
		'',
	].join('\n')), {RUN_SECONDS: '0.3'});
	await waitFor(() => records().length >= 2, 'runs to go on while nothing holds');
	writeFileSync(join(folder, 'peak'), '');
	await waitFor(() => has('held'), 'the hold');
	const started = records().length;
	const probes = countLines(join(folder, 'probes.log'));
	await waitFor(() => countLines(join(folder, 'probes.log')) >= probes + 10 && records().every(run => run.end !== undefined), 'ten more probes, the run under way finished', 10_000, () => `${JSON.stringify(records())} ${countLines(join(folder, 'probes.log'))} ${cli.output()}`);
	assert.equal(records().length, started, 'no run started while held');
	assert.ok(records().at(-1)!.end! > records().at(-1)!.start!, 'the run under way at the hold ran to its end');
	rmSync(join(folder, 'peak'));
	await waitFor(() => has('released') && records().length > started, 'the hold to end and runs to start again');
	const line = events(cli).find(event => event.type === 'held');
	assert.equal(line?.['reason'], 'hold probe said so');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});

test('hold on the real load average: above the mark it holds (a busy loop raises /proc/loadavg)', async t => {
	const busy = spawn('sh', ['-c', 'while :; do :; done'], {stdio: 'ignore'});
	onCleanup(t, () => {
		busy.kill('SIGKILL');
	});
	// The 1-minute average of a busy CPU climbs past 0.01 per CPU within a few seconds on any machine.
	const {cli, has} = await startRun(t, job('    sleep: 0\n    hold: {load: 0.01, every: 100ms}\n'), {RUN_SECONDS: '0.05'});
	await waitFor(() => has('held'), 'the hold on load', 60_000);
	const line = events(cli).find(event => event.type === 'held');
	assert.match(String(line?.['reason']), /^load \d+(\.\d+)?\/cpu > 0\.01$/);
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});

test('backlog: a file-backed probe scales the runs up to ceil(count / perRun) and down to none', async t => {
	const {folder, cli, records} = await startRun(t, job([
		'    instances: 4',
		'    sleep: 1h',
		'    backlog: {command: "echo probe >> probes.log; cat backlog", every: 50ms, perRun: 10}',
		'',
	].join('\n')), {RUN_SECONDS: '0.3'});
	writeFileSync(join(folder, 'backlog'), '0\n');
	await waitFor(() => events(cli).some(event => event.type === 'backlog' && event['to'] === 0), 'a backlog of 0');
	await waitFor(() => records().every(run => run.end !== undefined), 'the first run to end');
	const idle = records().length;
	writeFileSync(join(folder, 'backlog'), '25\n');
	await waitFor(() => records().length >= idle + 9, 'runs for a backlog of 25');
	const busy = records().slice(idle);
	assert.equal(maxConcurrentRuns(busy), 3, 'ceil(25 / 10) = 3 at once, never more');
	writeFileSync(join(folder, 'backlog'), '0\n');
	await waitFor(() => events(cli).filter(event => event.type === 'backlog' && event['to'] === 0).length >= 2, 'the backlog back at 0');
	await waitFor(() => records().every(run => run.end !== undefined), 'the runs under way to end');
	const ended = records().length;
	const probes = countLines(join(folder, 'probes.log'));
	await waitFor(() => countLines(join(folder, 'probes.log')) >= probes + 10, 'ten more probes');
	assert.equal(records().length, ended, 'no run starts while nothing waits, although the sleep of 1h does not matter');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});

test('wake: touching the file starts a run at once, through a sleep of an hour', async t => {
	const {folder, cli, records, has} = await startRun(t, job('    sleep: 1h\n    wake: var/wake-work\n'), {RUN_SECONDS: '0'});
	await waitFor(() => records().length === 1 && records()[0]!.end !== undefined, 'the first run to end');
	await waitFor(() => events(cli).some(event => event.type === 'run-ended'), 'fatc to see it end');
	// The folder does not exist yet: the waker watches the nearest one that does.
	await writeIn(folder, 'var/wake-work', '');
	await waitFor(() => records().length === 2 && records()[1]!.end !== undefined, 'a run for the wake');
	await waitFor(() => events(cli).filter(event => event.type === 'run-ended').length === 2, 'fatc to see it end');
	const later = new Date(Date.now() + 5000);
	utimesSync(join(folder, 'var/wake-work'), later, later);
	await waitFor(() => records().length === 3, 'a run for the second touch');
	assert.ok(has('woken'));
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});

const pad = (value: number) => String(value).padStart(2, '0');
const utcClock = (time: number) => `${pad(new Date(time).getUTCHours())}:${pad(new Date(time).getUTCMinutes())}`;

test('quiet hours on the real clock: inside a window with instances 1, one run at a time', async t => {
	const now = Date.now();
	// From a minute ago to three minutes on, in UTC: inside for at least two minutes whatever the machine's zone.
	const window = `${utcClock(now - 60_000)}-${utcClock(now + 180_000)}`;
	const {cli, records} = await startRun(t, job([
		'    model: independent',
		'    instances: 3',
		'    sleep: 0',
		`    quiet: {windows: ["${window}"], instances: 1, timezone: UTC}`,
		'',
	].join('\n')), {RUN_SECONDS: '0.1'});
	await waitFor(() => records().filter(run => run.end !== undefined).length >= 4, 'four runs');
	assert.equal(maxConcurrentRuns(records()), 1);
	const quiet = events(cli).find(event => event.type === 'quiet');
	assert.equal(quiet?.['instances'], 1);
	assert.ok(Date.parse(String(quiet?.['until'])) > now, `until the window closes (ISO-8601: ${String(quiet?.['until'])})`);
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});
