import assert from 'node:assert/strict';
import {existsSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import {maximumPartialLineBytes} from '../../source/driver/line-splitter.js';
import {onCleanup} from '../helpers/cleanup.js';
import {fixture} from '../helpers/fixture.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {killAfter, readText, request} from './helpers.js';

for (const logHighWaterMark of [undefined, 4096]) {
	const title = logHighWaterMark === undefined ? '' : ', also when backpressure pauses the pipes';
	test(`four parallel runs of 10,000 lines each share one log file without a single broken line${title}`, async t => {
		await parallelRuns(t, logHighWaterMark);
	});
}

async function parallelRuns(t: TestContext, logHighWaterMark: number | undefined): Promise<void> {
	const directory = temporaryFolder(t);
	const driver = createProcessDriver({logHighWaterMark});
	onCleanup(t, async () => driver.close());
	const logFile = join(directory, 'logs', 'shared.log');
	const runs = [0, 1, 2, 3].map(index =>
		killAfter(t, driver.spawn(request(directory, fixture('print-lines.sh'), ['10000', `run${index}`, `run${index}-tail`], {logFile}))));
	const exits = await Promise.all(runs.map(async run => run.exited));
	assert.deepEqual(exits, Array.from({length: 4}, () => ({code: 0, signal: null})));
	const lines = readText(logFile).split('\n');
	assert.equal(lines.pop(), '', 'the file ends with a newline');
	assert.equal(lines.length, 40_004);
	for (const index of [0, 1, 2, 3]) {
		const own = lines.filter(line => line.startsWith(`run${index}-`));
		const expected = Array.from({length: 10_000}, (_, line) => `run${index}-${line + 1}`);
		assert.deepEqual(own, [...expected, `run${index}-tail`], `run ${index}: every line whole and in order`);
	}
}

test('stderr goes to errLogFile when set, and onLine sees the last line of each block of both streams', async t => {
	const directory = temporaryFolder(t);
	const driver = createProcessDriver();
	onCleanup(t, async () => driver.close());
	const seen: string[] = [];
	const logFile = join(directory, 'out.log');
	const errLogFile = join(directory, 'err.log');
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', 'echo out; echo err >&2; printf "last"'], {
		logFile,
		errLogFile,
		onLine(line, stream) {
			seen.push(`${stream}:${line}`);
		},
	})));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.equal(readText(logFile), 'out\nlast\n');
	assert.equal(readText(errLogFile), 'err\n');
	assert.deepEqual(seen.sort(), ['stderr:err', 'stdout:last', 'stdout:out']);
});

test('a line longer than 64 KiB is cut into lines of its own and no byte is lost', async t => {
	const directory = temporaryFolder(t);
	const driver = createProcessDriver();
	onCleanup(t, async () => driver.close());
	const script = 'head -c 200000 /dev/zero | tr "\\000" x; echo; printf end';
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', script])));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	const lines = readText(join(directory, 'run.log')).split('\n');
	assert.equal(lines.pop(), '');
	assert.equal(lines.join(''), `${'x'.repeat(200_000)}end`);
	assert.ok(lines.length >= 4, `the long line was cut (${lines.length} lines)`);
	assert.ok(lines.every(line => line.length <= 2 * maximumPartialLineBytes));
});

test('after reopenLogs, lines land in a new file at the original path while the renamed file keeps the old ones', async t => {
	const directory = temporaryFolder(t);
	const driver = createProcessDriver();
	onCleanup(t, async () => driver.close());
	const logFile = join(directory, 'run.log');
	const go = join(directory, 'go');
	const run = killAfter(t, driver.spawn(request(directory, fixture('wait-for-file.sh'), [go, '3'])));
	await waitFor(() => readText(logFile) === 'before\n', 'the first line on disk');
	renameSync(logFile, `${logFile}.1`);
	driver.reopenLogs();
	writeFileSync(go, '');
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.equal(readText(`${logFile}.1`), 'before\n');
	assert.equal(readText(logFile), 'after-1\nafter-2\nafter-3\n');
});

test('a log directory removed and blocked mid-run neither crashes nor stalls the run, and logging recovers', async t => {
	const directory = temporaryFolder(t);
	const errors: Error[] = [];
	const driver = createProcessDriver({onError: error => errors.push(error)});
	onCleanup(t, async () => driver.close());
	const logDirectory = join(directory, 'logs');
	const logFile = join(logDirectory, 'run.log');
	const go = join(directory, 'go');
	const run = killAfter(t, driver.spawn(request(directory, fixture('wait-for-file.sh'), [go, '5000'], {logFile})));
	await waitFor(() => readText(logFile) === 'before\n', 'the first line on disk');
	rmSync(logDirectory, {recursive: true});
	writeFileSync(logDirectory, 'a file where the log directory was');
	driver.reopenLogs();
	writeFileSync(go, '');
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.ok(errors.length > 0, 'the failure was reported');
	assert.match(errors[0]!.message, /log file .*run\.log/);
	assert.equal(driver.lastError, errors.at(-1));

	rmSync(logDirectory);
	driver.reopenLogs();
	const next = killAfter(t, driver.spawn(request(directory, fixture('print-lines.sh'), ['1', 'recovered'], {logFile})));
	assert.deepEqual(await next.exited, {code: 0, signal: null});
	assert.equal(readText(logFile), 'recovered-1\n');
	assert.ok(existsSync(logDirectory));
});
