import {execFileSync} from 'node:child_process';
import {closeSync, createReadStream, openSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {startFatc, type FatcStatus} from '../lib/fatc.js';
import {fileSize} from '../lib/file-size.js';
import {residentBytes} from '../lib/proc.js';
import {sweep} from '../lib/processes.js';
import {temporaryFolder} from '../lib/temporary.js';
import {waitFor} from '../lib/wait.js';

/** The driver cuts a line without a newline every 64 KiB (source/driver/line-splitter.ts). */
const cutEvery = 64 * 1024;
type Log = (message: string) => void;

/** Samples fatc's RSS every 50 ms; `stop()` returns the peak. */
function sampleResident(pid: number): {stop(): number} {
	let peak = residentBytes(pid);
	const timer = setInterval(() => {
		peak = Math.max(peak, residentBytes(pid));
	}, 50);
	return {
		stop() {
			clearInterval(timer);
			return Math.max(peak, residentBytes(pid));
		},
	};
}

/** One run writes `bytes` of "x" without a newline: fatc's RSS before and at its peak, and the log checked byte for byte. */
export async function longLine(bytes: number, log: Log): Promise<string[]> {
	const folder = temporaryFolder('long-line');
	const go = path.join(folder, 'go');
	const logFile = path.join(folder, 'logs', 'long.log');
	const script = `while [ ! -e "${go}" ]; do sleep 0.05; done; head -c ${bytes} /dev/zero | tr '\\0' x`;
	const fatc = await startFatc(folder, {long: {command: 'sh', args: ['-c', script], sleep: 86_400, logFile}});
	try {
		await waitFor('the run to start', async () => ((await fatc.status()).jobs[0]?.workers.length === 1 ? true : undefined));
		const before = residentBytes(fatc.process.pid);
		const sampler = sampleResident(fatc.process.pid);
		const startedAt = performance.now();
		writeFileSync(go, '');
		log(`long line: writing ${bytes.toLocaleString('en-US')} bytes`);
		await waitFor('the run to end', async () => ((await fatc.status()).jobs[0]?.done === 1 ? true : undefined), {timeout: 3_600_000, interval: 200});
		const seconds = (performance.now() - startedAt) / 1000;
		const peak = sampler.stop();
		await fatc.stop();
		const scan = await scanLog(logFile);
		const lines = Math.ceil(bytes / cutEvery);
		const whole = scan.bytes === bytes + lines && scan.lines === lines && scan.longest === cutEvery && scan.other === 0;
		return [
			`- Long line: ${bytes.toLocaleString('en-US')} bytes without a newline in ${seconds.toFixed(1)} s (${(bytes / 1e6 / seconds).toFixed(0)} MB/s); `
			+ `fatc RSS ${(before / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB (+${((peak - before) / 1e6).toFixed(0)} MB)`,
			`- Log: ${scan.bytes.toLocaleString('en-US')} bytes in ${scan.lines.toLocaleString('en-US')} lines, the longest ${scan.longest} bytes, `
			+ `${scan.other} pieces with anything but x; expected ${(bytes + lines).toLocaleString('en-US')} bytes in ${lines.toLocaleString('en-US')} lines: `
			+ `${whole ? 'nothing lost' : `**${(bytes + lines - scan.bytes).toLocaleString('en-US')} bytes missing or wrong**`}`,
		];
	} finally {
		await fatc.stop();
		await sweep();
	}
}

async function scanLog(file: string): Promise<{bytes: number; lines: number; longest: number; other: number}> {
	const xs = Buffer.alloc(1024 * 1024, 'x');
	const result = {bytes: 0, lines: 0, longest: 0, other: 0};
	let current = 0;
	const piece = (chunk: Buffer, start: number, end: number) => {
		current += end - start;
		result.other += chunk.subarray(start, end).equals(xs.subarray(0, end - start)) ? 0 : 1;
	};

	for await (const chunk of createReadStream(file, {highWaterMark: xs.length}) as AsyncIterable<Buffer>) {
		result.bytes += chunk.length;
		let start = 0;
		for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, start)) {
			piece(chunk, start, index);
			result.longest = Math.max(result.longest, current);
			result.lines++;
			current = 0;
			start = index + 1;
		}

		piece(chunk, start, chunk.length);
	}

	return result;
}

/**
 * `runs` runs that all block on one FIFO and end together when it is closed: fatc's RSS, how long `fatc status`
 * takes to answer while they end, and every end counted.
 */
export async function simultaneousEnds(runs: number, log: Log): Promise<string[]> {
	const folder = temporaryFolder('simultaneous');
	const fifo = path.join(folder, 'release');
	const logFile = path.join(folder, 'logs', 'burst.log');
	execFileSync('mkfifo', [fifo]);
	let release: number | undefined = openSync(fifo, 'r+');
	const script = 'exec 3<"$0"; echo ready; read line <&3; exit 0';
	const startedAt = performance.now();
	const fatc = await startFatc(folder, {
		burst: {command: 'sh', args: ['-c', script, fifo], model: 'independent', instances: runs, sleep: 86_400, sleepOnError: 86_400, stopTimeout: 5, logFile},
	}, {listenTimeout: 3_600_000});
	// fatc spawns every slot before it listens: how long its socket stays silent is a figure of its own.
	const listenSeconds = (performance.now() - startedAt) / 1000;
	try {
		let lastLogged = 0;
		await waitFor(`${runs} runs to wait on the FIFO`, () => {
			const ready = fileSize(logFile) / 'ready\n'.length;
			if (performance.now() - lastLogged > 30_000) {
				lastLogged = performance.now();
				log(`simultaneous ends: ${ready} of ${runs} runs waiting`);
			}

			return ready >= runs ? true : undefined;
		}, {timeout: 3_600_000, interval: 200});
		const startSeconds = (performance.now() - startedAt) / 1000;
		const before = residentBytes(fatc.process.pid);
		const sampler = sampleResident(fatc.process.pid);
		closeSync(release);
		release = undefined;
		const releasedAt = performance.now();
		const answers: number[] = [];
		let job: FatcStatus['jobs'][number] | undefined;
		do {
			const askedAt = performance.now();
			job = (await fatc.status()).jobs[0];
			answers.push(performance.now() - askedAt);
			if (performance.now() - releasedAt > 600_000) {
				break;
			}
		} while (job === undefined || job.workers.length > 0);

		const endSeconds = (performance.now() - releasedAt) / 1000;
		const peak = sampler.stop();
		const ended = readFileSync(logFile, 'utf8').length;
		return [
			`- Simultaneous ends: fatc listened on its socket ${listenSeconds.toFixed(0)} s after it started; `
			+ `${runs.toLocaleString('en-US')} runs started in ${startSeconds.toFixed(0)} s and all ended within ${endSeconds.toFixed(1)} s of the release; `
			+ `fatc RSS ${(before / 1e6).toFixed(0)} MB with them waiting, peak ${(peak / 1e6).toFixed(0)} MB as they ended`,
			`- fatc status answered ${answers.length} times while they ended, the slowest in ${Math.max(...answers).toFixed(0)} ms `
			+ `(each answer includes a node start of the CLI, ~0.3 s)`,
			`- Counted: runs ${job?.runs}, done ${job?.done}, more ${job?.more}, errors ${job?.errors}, under way ${job?.workers.length}; `
			+ `${ended / 'ready\n'.length} ready lines in the log; ${job?.runs === runs && job.done === runs ? 'every end counted' : '**not every end counted**'}`,
		];
	} finally {
		if (release !== undefined) {
			closeSync(release);
		}

		await fatc.stop();
		await sweep();
	}
}
