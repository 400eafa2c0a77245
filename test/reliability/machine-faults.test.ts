import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {LogWriter} from '../../source/driver/log-writer.js';
import {onCleanup} from '../helpers/cleanup.js';
import {startCli, type CliProcess} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

// Faults of the machine under `fatc run`: the log directory on a full disk, read-only, or removed. Runs must go on
// starting and ending, the error must show once in the event lines, and writing must resume once it can.

const linesPerRun = 20;
// Ignores SIGTERM so that no run is cut short at shutdown: every run started prints all its lines, which makes
// "lines in the log + lines fatc says it dropped = lines printed" an exact count.
const printer = `trap "" TERM; i=1; while [ $i -le ${linesPerRun} ]; do echo "$$-$i ........................................"; i=$((i+1)); done`;
const wholeLine = /^\d+-\d+ \.{40}$/;

/** Mounts a tmpfs of `size` at `path`, unmounted when the test ends; false (and the test skipped) where mount is not permitted. */
function mountTmpfs(t: TestContext, path: string, size: string): boolean {
	mkdirSync(path, {recursive: true});
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', path], {stdio: 'pipe'});
	} catch (error) {
		t.skip(`mounting a tmpfs needs root (CAP_SYS_ADMIN): ${String((error as {stderr?: Buffer}).stderr ?? error).trim()}`);
		return false;
	}

	onCleanup(t, () => {
		try {
			execFileSync('umount', [path], {stdio: 'pipe'});
		} catch {
			execFileSync('umount', ['-l', path], {stdio: 'pipe'});
		}
	});
	return true;
}

/** `fatc run` on one job printing `linesPerRun` lines a run to `logFile`, about ten runs a second; stopped when the test ends. */
async function startPrinter(t: TestContext, folder: string, logFile: string): Promise<CliProcess> {
	// JSON is YAML.
	const configFile = await writeIn(folder, 'fatc.yml', JSON.stringify({
		name: 'faults',
		runDir: join(folder, 'run'),
		jobs: {printer: {command: 'sh', args: ['-c', printer], model: 'independent', instances: 1, sleep: '100ms', logFile}},
	}));
	const cli = startCli(['run', '-c', configFile], {cwd: folder});
	onCleanup(t, async () => {
		cli.child.kill('SIGKILL');
		await cli.exited;
	});
	return cli;
}

function count(text: string, pattern: RegExp): number {
	return (text.match(new RegExp(pattern.source, 'g')) ?? []).length;
}

const startedPattern = /printer\[0\] run \d+ started/;
const endedDonePattern = /printer\[0\] run \d+ ended: done \(exit 0\)/;

/** Waits until `more` runs ended done after the current point of the output. */
async function moreRunsEnd(cli: CliProcess, more: number, description: string): Promise<void> {
	const before = count(cli.output(), endedDonePattern);
	await waitFor(() => count(cli.output(), endedDonePattern) >= before + more, `${more} more runs to end ${description}`, 30_000);
}

function logLines(path: string): string[] {
	const lines = readFileSync(path, 'utf8').split('\n');
	assert.equal(lines.pop(), '', `${path} ends with a newline`);
	return lines;
}

/** Lines fatc reported dropped for `logFile` in its "log writing resumed" events. */
function droppedLines(output: string, logFile: string): number {
	let dropped = 0;
	for (const line of output.split('\n')) {
		const match = /log writing resumed: (.+) \((\d+) lines?, \d+ bytes dropped meanwhile\)$/.exec(line);
		if (match?.[1] === logFile) {
			dropped += Number(match[2]);
		}
	}

	return dropped;
}

async function stop(cli: CliProcess): Promise<void> {
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, cli.errors());
}

/** After fatc stopped: every line whole, and lines in the log + dropped + found elsewhere = lines the runs printed. */
function account(t: TestContext, cli: CliProcess, logFile: string, linesElsewhere = 0): void {
	const lines = logLines(logFile);
	const broken = lines.filter(line => !wholeLine.test(line));
	assert.deepEqual(broken.slice(0, 3), [], 'every line in the log is whole');
	const printed = count(cli.output(), startedPattern) * linesPerRun;
	const dropped = droppedLines(cli.output(), logFile);
	t.diagnostic(`runs ${printed / linesPerRun}, lines printed ${printed}, in the log ${lines.length}, reported dropped ${dropped}, in a deleted file ${linesElsewhere}`);
	assert.equal(lines.length + dropped + linesElsewhere, printed, 'every line printed is in the log or counted');
}

test('disk full: runs go on, the error shows once, and writing resumes with whole lines once space is freed', {timeout: 90_000}, async t => {
	const folder = temporaryFolder(t);
	const logs = join(folder, 'logs');
	if (!mountTmpfs(t, logs, '256k')) {
		return;
	}

	// Leaves 16 KiB, which the runs fill within a couple of seconds.
	const filler = join(logs, 'filler');
	writeFileSync(filler, Buffer.alloc((256 - 16) * 1024));
	const logFile = join(logs, 'printer.log');
	const cli = await startPrinter(t, folder, logFile);
	const errorLine = /fatc error: Could not (write|open) log file .*printer\.log: .*ENOSPC/;
	await waitFor(() => errorLine.test(cli.output()), 'the disk-full error', 30_000);
	await moreRunsEnd(cli, 10, 'while the disk is full');
	// The run history (host/history-file.ts) lives in the same folder and fails with it: one line of its own at most.
	assert.equal(count(cli.output(), / fatc error: (?!could not write the run history)/), 1, `one error line for the whole time the disk is full:\n${cli.output().split('\n').filter(line => line.includes(' fatc error: ')).join('\n')}`);
	assert.ok(count(cli.output(), / fatc error: could not write the run history/) <= 1, 'at most one line for the run history');

	// A small write may get through while the disk is full (a cut-off batch frees its blocks): only a resumption after
	// the space is freed says that everything dropped until then has been counted.
	const beforeFree = cli.output().length;
	rmSync(filler);
	await waitFor(() => cli.output().slice(beforeFree).includes(`log writing resumed: ${logFile}`), 'writing to resume', 30_000);
	assert.ok(droppedLines(cli.output(), logFile) > 0, 'the lines of the full disk were counted as dropped');
	await moreRunsEnd(cli, 3, 'after the space was freed');
	await stop(cli);
	account(t, cli, logFile);
});

test('read-only log directory: runs go on, the error shows once, and writing resumes once it is writable again', {timeout: 90_000}, async t => {
	const folder = temporaryFolder(t);
	const logs = join(folder, 'logs');
	if (!mountTmpfs(t, logs, '1m')) {
		return;
	}

	// Remounting read-only is refused (EBUSY) while a file on it is open for writing: fatc starts on a read-only one.
	execFileSync('mount', ['-o', 'remount,ro', logs]);
	const logFile = join(logs, 'printer.log');
	const cli = await startPrinter(t, folder, logFile);
	await waitFor(() => /fatc error: Could not open log file .*printer\.log: .*EROFS/.test(cli.output()), 'the read-only error', 30_000);
	await moreRunsEnd(cli, 10, 'while the log directory is read-only');
	assert.equal(count(cli.output(), / fatc error: (?!could not write the run history)/), 1, 'one error line for the whole time the directory is read-only');
	assert.ok(count(cli.output(), / fatc error: could not write the run history/) <= 1, 'at most one line for the run history');

	execFileSync('mount', ['-o', 'remount,rw', logs]);
	await waitFor(() => cli.output().includes(`log writing resumed: ${logFile}`), 'writing to resume', 30_000);
	await moreRunsEnd(cli, 3, 'after the remount');
	await stop(cli);
	account(t, cli, logFile);
});

test('log directory removed: runs go on, it is made again within a second, and what went to the deleted file is counted', {timeout: 90_000}, async t => {
	const folder = temporaryFolder(t);
	const logs = join(folder, 'logs');
	const logFile = join(logs, 'printer.log');
	const cli = await startPrinter(t, folder, logFile);
	await waitFor(() => count(cli.output(), endedDonePattern) >= 3, 'three runs to end', 30_000);
	// Kept open to read afterwards what fatc wrote to the file after it was deleted.
	const deleted = openSync(logFile, 'r');
	onCleanup(t, () => {
		closeSync(deleted);
	});
	const sizeAtRemoval = fstatSync(deleted).size;
	rmSync(logs, {recursive: true});
	await waitFor(() => /fatc error: Log file .*printer\.log was deleted .*writing to a new one/.test(cli.output()), 'the deletion to be noticed', 30_000);
	await moreRunsEnd(cli, 3, 'after the directory was removed');
	assert.ok(logLines(logFile).length > 0, 'the new log file has lines');
	await stop(cli);

	const size = fstatSync(deleted).size;
	const content = Buffer.alloc(size);
	readSync(deleted, content, 0, size, 0);
	const oldLines = content.toString('utf8').split('\n').filter(line => line !== '');
	assert.ok(oldLines.every(line => wholeLine.test(line)), 'every line in the deleted file is whole');
	const afterRemoval = content.subarray(sizeAtRemoval).toString('utf8').split('\n').filter(line => line !== '').length;
	t.diagnostic(`lines that went to the deleted file after its removal (lost to a reader of the log): ${afterRemoval}`);
	account(t, cli, logFile, oldLines.length);
});

test('a write that fills the disk part way is cut off again: the log never ends in half a line', async t => {
	const folder = temporaryFolder(t);
	const logs = join(folder, 'logs');
	if (!mountTmpfs(t, logs, '64k')) {
		return;
	}

	const errors: Error[] = [];
	const writer = new LogWriter(join(logs, 'out.log'), {onError: error => errors.push(error), retryDelay: 0});
	// Ten lines of 100 bytes a block: 1,000 bytes never fill a 4 KiB page exactly, so one write stops part way.
	const block = Buffer.from(`${'x'.repeat(99)}\n`.repeat(10));
	for (let index = 0; index < 100; index++) {
		writer.write(block);
	}

	await writer.close();
	const content = readFileSync(join(logs, 'out.log'));
	assert.equal(errors.length, 1, 'the full disk was reported once');
	assert.ok(content.length > 0 && content.length < 100 * block.length);
	assert.equal(content.length % block.length, 0, `the file holds whole blocks only (${content.length} bytes)`);
});
