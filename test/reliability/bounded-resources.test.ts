import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {closeSync, createReadStream, openSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {connectClient} from '../../source/daemon/control-client.js';
import {maximumPartialLineBytes} from '../../source/driver/line-splitter.js';
import {onCleanup} from '../helpers/cleanup.js';
import {runCli, startCli, startedPids, type CliProcess} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

// fatc's memory stays bounded whatever its runs do: a run printing hundreds of megabytes without a newline, and
// thousands of runs ending at the same moment. The full sizes (1 GB, 10,000 runs) are in `npm run bench:soak`.

const megabyte = 1024 * 1024;
/** How much fatc's RSS may grow over its figure before the load, whatever the load. */
const allowedGrowth = 200 * megabyte;
const longLineBytes = 200_000_000;
const simultaneousRuns = 1000;

/** VmRSS of a process, in bytes; undefined once it is gone. */
function residentBytes(pid: number): number | undefined {
	try {
		const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Samples a process's RSS every 50 ms until stopped; returns the peak. */
function sampleResident(pid: number): {stop(): number} {
	let peak = residentBytes(pid) ?? 0;
	const timer = setInterval(() => {
		peak = Math.max(peak, residentBytes(pid) ?? 0);
	}, 50);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, residentBytes(pid) ?? 0);
		},
	};
}

/** `fatc run` on `jobs` in `folder` (its own runDir and logDir), killed when the test ends. */
async function startFatc(t: TestContext, folder: string, jobs: Record<string, unknown>, env?: Record<string, string>): Promise<{cli: CliProcess; configFile: string}> {
	// JSON is YAML.
	const configFile = await writeIn(folder, 'fatc.yml', JSON.stringify({name: 'bounded', runDir: join(folder, 'run'), logDir: join(folder, 'logs'), jobs}));
	const cli = startCli(['run', '-c', configFile], {cwd: folder, env});
	onCleanup(t, async () => {
		cli.child.kill('SIGKILL');
		await cli.exited;
	});
	return {cli, configFile};
}

type JobStatus = {runs: number; done: number; more: number; errors: number; stopped: number; workers: unknown[]};

const megabytes = (bytes: number) => (bytes / megabyte).toFixed(0);

test(`a run printing ${longLineBytes / 1e6} MB without a newline: fatc's memory stays bounded and every byte reaches the log in 64 KiB lines`, {timeout: 120_000}, async t => {
	const folder = temporaryFolder(t);
	const go = join(folder, 'go');
	const script = `while [ ! -e "${go}" ]; do sleep 0.05; done; head -c ${longLineBytes} /dev/zero | tr '\\0' x`;
	const {cli} = await startFatc(t, folder, {long: {command: 'sh', args: ['-c', script], sleep: '1h'}});
	await waitFor(() => / long\[0\] run 1 started/.test(cli.output()), 'the run to start', 30_000);
	const pid = cli.child.pid!;
	const before = residentBytes(pid)!;
	const sampler = sampleResident(pid);
	writeFileSync(go, '');
	await waitFor(() => / long\[0\] run 1 ended/.test(cli.output()), 'the run to end', 100_000);
	const peak = sampler.stop();
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, cli.errors());
	assert.match(cli.output(), / long\[0\] run 1 ended: done \(exit 0\)/);

	const {bytes, lines, longest, other} = await scanLog(join(folder, 'logs', 'long.log'));
	t.diagnostic(`RSS before ${megabytes(before)} MB, peak ${megabytes(peak)} MB; log ${bytes} bytes in ${lines} lines`);
	assert.ok(peak - before < allowedGrowth, `RSS grew from ${megabytes(before)} MB to ${megabytes(peak)} MB`);
	assert.equal(other, 0, 'the log holds only the x the run wrote and newlines');
	assert.equal(lines, Math.ceil(longLineBytes / maximumPartialLineBytes), 'cut every 64 KiB');
	assert.equal(bytes, longLineBytes + lines, 'every byte written, plus one newline a piece');
	assert.equal(longest, maximumPartialLineBytes);
});

const xs = Buffer.alloc(megabyte, 'x');

/** Bytes, lines, the longest line, and how many pieces between newlines hold anything but "x" — read as a stream. */
async function scanLog(path: string): Promise<{bytes: number; lines: number; longest: number; other: number}> {
	let bytes = 0;
	let lines = 0;
	let longest = 0;
	let current = 0;
	let other = 0;
	const piece = (chunk: Buffer, start: number, end: number) => {
		current += end - start;
		if (!chunk.subarray(start, end).equals(xs.subarray(0, end - start))) {
			other++;
		}
	};

	for await (const chunk of createReadStream(path, {highWaterMark: megabyte}) as AsyncIterable<Buffer>) {
		bytes += chunk.length;
		let start = 0;
		for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, start)) {
			piece(chunk, start, index);
			longest = Math.max(longest, current);
			lines++;
			current = 0;
			start = index + 1;
		}

		piece(chunk, start, chunk.length);
	}

	return {bytes, lines, longest: Math.max(longest, current), other};
}

test(`${simultaneousRuns} runs ending at the same moment: fatc answers status throughout, counts every end, and its memory stays bounded`, {timeout: 240_000}, async t => {
	const folder = temporaryFolder(t);
	// Every run blocks reading a FIFO that the test holds open; closing it ends them all at once (EOF), with no
	// polling that thousands of waiting shells would turn into a load of their own.
	const fifo = join(folder, 'release');
	execFileSync('mkfifo', [fifo]);
	let release: number | undefined = openSync(fifo, 'r+');
	onCleanup(t, () => {
		if (release !== undefined) {
			closeSync(release);
		}
	});
	const script = 'exec 3<"$0"; echo ready; read line <&3; exit 0';
	const {cli, configFile} = await startFatc(t, folder, {
		burst: {command: 'sh', args: ['-c', script, fifo], model: 'independent', instances: simultaneousRuns, sleep: '1h', sleepOnError: '1h', stopTimeout: 5},
	});
	const logFile = join(folder, 'logs', 'burst.log');
	const readyLines = () => {
		try {
			return readFileSync(logFile, 'utf8').length / 'ready\n'.length;
		} catch {
			return 0;
		}
	};

	await waitFor(() => readyLines() === simultaneousRuns, `${simultaneousRuns} runs to wait on the FIFO`, 200_000);
	// Connected first, then asked as fast as it answers, so that the questions fall among the ends.
	const client = await connectClient(join(folder, 'run', 'bounded.sock'));
	onCleanup(t, () => {
		client.close();
	});
	const pid = cli.child.pid!;
	const before = residentBytes(pid)!;
	const sampler = sampleResident(pid);
	closeSync(release);
	release = undefined;
	const releasedAt = Date.now();

	const answers: number[] = [];
	let job: JobStatus;
	do {
		const askedAt = Date.now();
		job = (await client.request('snapshot') as {jobs: JobStatus[]}).jobs[0]!;
		answers.push(Date.now() - askedAt);
		assert.ok(Date.now() - releasedAt < 60_000, `every end counted within a minute: ${JSON.stringify({...job, workers: job.workers.length})}`);
	} while (job.workers.length > 0 || job.done < simultaneousRuns);

	const peak = sampler.stop();
	const slowest = Math.max(...answers);
	t.diagnostic(`RSS with ${simultaneousRuns} runs waiting ${megabytes(before)} MB, peak as they ended ${megabytes(peak)} MB; `
		+ `${answers.length} status answers while they ended, the slowest in ${slowest} ms; all ended within ${Date.now() - releasedAt} ms`);
	const status = await runCli(['status', '--json', '-c', configFile], {cwd: folder});
	assert.equal(status.code, 0, status.stderr);
	job = (JSON.parse(status.stdout) as {jobs: JobStatus[]}).jobs[0]!;
	assert.deepEqual({runs: job.runs, done: job.done, more: job.more, errors: job.errors, stopped: job.stopped}, {runs: simultaneousRuns, done: simultaneousRuns, more: 0, errors: 0, stopped: 0});
	assert.ok(slowest < 20_000, `fatc status answered within 20 s every time (slowest ${slowest} ms)`);
	assert.ok(peak - before < allowedGrowth, `RSS grew from ${megabytes(before)} MB to ${megabytes(peak)} MB`);

	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, cli.errors());
	assert.equal((cli.output().match(/ burst\[\d+\] run \d+ ended: done \(exit 0\)/g) ?? []).length, simultaneousRuns, 'one ended line a run');
});

const startingRuns = 1000;

/** fatc's threads whose descriptor table holds fewer than `below` entries (the spawner thread's is its own, and small). */
function smallTables(pid: number, below: number): string[] {
	const small: string[] = [];
	for (const task of readdirSync(`/proc/${pid}/task`)) {
		try {
			if (readdirSync(`/proc/${pid}/task/${task}/fd`).length < below) {
				small.push(task);
			}
		} catch {
			// The thread ended meanwhile.
		}
	}

	return small;
}

// The spawner thread takes the starts from 300 runs under way here (2,500 by default): the first starts come from the
// main thread, the rest from the thread, and the SIGTERM finds it serving.
const threadFrom = 300;

test(`${startingRuns} runs starting at once, through the spawner thread from ${threadFrom} under way: fatc answers on its socket within seconds while they start, and a SIGTERM meanwhile ends every run, spawned or still waiting`, {timeout: 240_000}, async t => {
	const folder = temporaryFolder(t);
	const {cli} = await startFatc(t, folder, {
		wide: {command: 'sleep', args: ['3600'], model: 'independent', instances: startingRuns, sleepOnError: '1h', stopTimeout: 5},
	}, {FATC_SPAWN_THREAD_FROM: String(threadFrom)});
	await waitFor(() => /fatc started/.test(cli.output()), 'fatc to start', 30_000);
	const startedAt = Date.now();
	const socket = join(folder, 'run', 'bounded.sock');
	// Connected as soon as the socket listens: were every spawn done in one pass, that would be only once all had started.
	const connect = async () => connectClient(socket).catch(() => undefined);
	let client = await connect();
	await waitFor(async () => (client ??= await connect()) !== undefined, 'the socket to listen', 30_000);

	const firstAnswerAfter = Date.now() - startedAt;
	assert.ok(client, 'the socket listens within 30 s');
	const connected = client;
	onCleanup(t, () => {
		connected.close();
	});
	const answers: number[] = [];
	const waiting: number[] = [];
	for (let question = 0; question < 10; question++) {
		const askedAt = Date.now();
		const job = (await connected.request('snapshot') as {jobs: JobStatus[]}).jobs[0]!;
		answers.push(Date.now() - askedAt);
		waiting.push(job.workers.filter(worker => (worker as {pid: number | null}).pid === null).length);
		// Five questions a second, as an attached TUI asks.
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}

	const slowest = Math.max(...answers);
	t.diagnostic(`socket answered ${firstAnswerAfter} ms after fatc started; the slowest of ${answers.length} answers in ${slowest} ms; `
		+ `runs still waiting to be spawned at each answer: ${waiting.join(', ')}`);
	assert.ok(firstAnswerAfter < 5000, `the socket answered within 5 s of the start (after ${firstAnswerAfter} ms)`);
	assert.ok(slowest < 3000, `every answer while runs started came within 3 s (slowest ${slowest} ms)`);

	// Some runs may still wait to be spawned; enough are under way for the thread, whose table is small.
	await waitFor(() => startedPids(cli.output()).length >= threadFrom + 50, `${threadFrom + 50} runs to start`, 120_000);
	await waitFor(() => smallTables(cli.child.pid!, 50).length === 1, 'the spawner thread to make its table its own', 30_000);

	const signalledAt = Date.now();
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, cli.errors());
	const pids = startedPids(cli.output());
	const ended = cli.output().match(/ wide\[\d+\] run \d+ ended: stopped/g) ?? [];
	t.diagnostic(`${pids.length} of ${startingRuns} runs had been spawned; fatc stopped ${Date.now() - signalledAt} ms after the SIGTERM`);
	assert.equal(ended.length, startingRuns, 'every run, spawned or waiting, ended as stopped');
	assert.deepEqual(pids.filter(pid => isAlive(pid)), [], 'no run left behind');
});
