/**
 * TUI benchmark (not a test): `npm run bench:tui [-- SECONDS]` (React's production build, as `fatc` loads it).
 *
 * 1. Render time of one frame at 80×24 with 200 jobs and 1,000 runs, from synthetic snapshots through a stub
 *    handle: after a key (j), and after a new snapshot (every row's times change). Twice: 5 runs per job, and
 *    one job holding all 1,000 runs (the runs table has to pick its 8 visible rows out of 1,000).
 * 2. Bytes written to an 80×24 terminal per second while 50 runs churn, through the same screen writer as `fatc`:
 *    simulated (a stub handle replacing one of 50 runs every 10 ms: 100 runs and 200 events a second, the UI's
 *    worst case), then real (a real supervisor, 50 `sh` runs that print a line, sleep 0.5 s and exit 64 to run
 *    again; how fast they churn depends on how fast this machine spawns); and last the whole `fatc` from dist/ on a
 *    pty at 80x24 (script(1)), counting every byte it writes there, as sshd would send them.
 */
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {render} from 'ink';
import {createElement} from 'react';
import {loadConfiguration} from '../source/config/load-configuration.js';
import type {Snapshot} from '../source/core/snapshot.js';
import {prepareSupervision} from '../source/host/start-supervision.js';
import {App} from '../source/ui/app.js';
import {createScreenWriter} from '../source/ui/screen-writer.js';
import {FakeKeyboard, FakeTerminal} from './lib/fake-terminal.js';
import {epoch, makeJob, makeSnapshot, makeWorkers, StubHandle} from '../test/helpers/stub-handle.js';

const capabilities = {unicode: true, color: true};

function synthetic(runsPerJob: (index: number) => number, takenAt: number): Snapshot {
	let runId = 1;
	const jobs = Array.from({length: 200}, (_, index) => {
		const count = runsPerJob(index);
		const workers = makeWorkers(count, runId).map(worker => ({...worker, cpuPercent: 1.5, memoryBytes: 3_000_000}));
		runId += count;
		return makeJob({name: `job-${String(index).padStart(3, '0')}`, instances: Math.max(1, count), allowed: Math.max(1, count), runs: 1000 + index, done: 500, more: 400, errors: index % 7, lastExit: {result: 'more', code: 64, signal: null, at: epoch}, nextStartAt: takenAt + 5000, averageDuration: 1200, lastDuration: 900, workers});
	});
	return makeSnapshot({jobs, takenAt});
}

/** Notes when the view pulled its last snapshot. */
class TimedHandle extends StubHandle {
	pulledAt = 0;
	override snapshot() {
		this.pulledAt = performance.now();
		return super.snapshot();
	}
}

async function frameTimes(label: string, runsPerJob: (index: number) => number): Promise<void> {
	const handle = new TimedHandle(synthetic(runsPerJob, epoch));
	const terminal = new FakeTerminal();
	const keyboard = new FakeKeyboard();
	const mountStart = performance.now();
	const instance = render(createElement(App, {handle, capabilities}), {stdout: terminal as unknown as NodeJS.WriteStream, stdin: keyboard as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false});
	const mount = performance.now() - mountStart;
	await new Promise(resolve => setTimeout(resolve, 200));

	// From the cause to the frame written (debug mode writes every frame at once, uncapped).
	const timeFrame = async (cause: () => void) => {
		const before = terminal.writes.length;
		const start = performance.now();
		cause();
		while (terminal.writes.length === before) {
			await new Promise(resolve => setImmediate(resolve));
		}

		return terminal.writes.at(-1)! - start;
	};

	const keyTimes: number[] = [];
	for (let index = 0; index < 200; index++) {
		keyTimes.push(await timeFrame(() => {
			keyboard.press(index % 100 < 50 ? 'j' : 'k');
		}));
	}

	keyboard.press('\t'); // the runs table: now j moves through the selected job's runs
	await new Promise(resolve => setTimeout(resolve, 50));
	const runKeyTimes: number[] = [];
	for (let index = 0; index < 200; index++) {
		runKeyTimes.push(await timeFrame(() => {
			keyboard.press('j');
		}));
	}

	// A new snapshot: every run time and countdown changes. From the view's pull (its 100 ms cap waited out) to the frame.
	const updateTimes: number[] = [];
	for (let index = 1; index <= 30; index++) {
		await new Promise(resolve => setTimeout(resolve, 110));
		const next = synthetic(runsPerJob, epoch + index * 1000);
		const waited = await timeFrame(() => {
			handle.change(next);
		});
		updateTimes.push(Math.min(waited, terminal.writes.at(-1)! - handle.pulledAt));
	}

	instance.unmount();
	console.log(`${label}: first frame ${mount.toFixed(1)} ms; one frame, median (p95): a key in the jobs table ${summary(keyTimes)}, in the runs table ${summary(runKeyTimes)}, a new snapshot ${summary(updateTimes)}`);
}

function summary(times: number[]): string {
	const sorted = [...times].sort((first, second) => first - second);
	const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
	return `${at(0.5).toFixed(2)} ms (${at(0.95).toFixed(2)} ms)`;
}

async function simulatedChurn(seconds: number): Promise<void> {
	let runId = 50;
	let now = epoch;
	let workers = makeWorkers(50);
	const snapshot = () => makeSnapshot({takenAt: now, jobs: [makeJob({name: 'churn', model: 'independent', instances: 50, allowed: 50, runs: runId, more: runId - 50, workers})]});
	const handle = new StubHandle(snapshot());
	const terminal = new FakeTerminal();
	const screen = createScreenWriter(terminal as unknown as NodeJS.WriteStream, {maxFps: 10});
	const instance = render(createElement(App, {handle, capabilities}), {stdout: screen.stream, stdin: new FakeKeyboard() as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false});
	const churning = setInterval(() => {
		now += 10;
		runId++;
		const slot = runId % 50;
		const ended = workers[slot]!;
		workers = workers.map(worker => (worker.slot === slot ? {...worker, runId, pid: 20_000 + runId, startedAt: now, lastLine: `step ${runId} of slot ${slot}`} : worker));
		handle.current = snapshot();
		handle.emit({time: now, job: 'churn', type: 'run-ended', runId: ended.runId, slot, pid: ended.pid ?? undefined, result: 'more', code: 64, signal: null, duration: 500, startedAt: now - 500});
		handle.emit({time: now, job: 'churn', type: 'run-started', runId, slot, pid: 20_000 + runId, startedAt: now});
	}, 10);
	await new Promise(resolve => setTimeout(resolve, 1000));
	const bytesBefore = terminal.bytes;
	const framesBefore = screen.framesWritten();
	const runsBefore = runId;
	await new Promise(resolve => setTimeout(resolve, seconds * 1000));
	const bytes = terminal.bytes - bytesBefore;
	const frames = screen.framesWritten() - framesBefore;
	const runs = runId - runsBefore;
	clearInterval(churning);
	instance.unmount();
	screen.close();
	console.log(`50 runs churning, simulated (${(runs / seconds).toFixed(0)} run starts/s, ${(2 * runs / seconds).toFixed(0)} events/s) for ${seconds} s at 80x24: ${(bytes / seconds / 1024).toFixed(1)} KiB/s to the terminal, ${(frames / seconds).toFixed(1)} frames/s, ${(bytes / Math.max(1, frames)).toFixed(0)} bytes/frame`);
}

async function churn(seconds: number): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'fatc-bench-tui-'));
	writeFileSync(join(folder, '.fatcontrollerrc'), 'jobs:\n  churn:\n    command: sh\n    args: [-c, \'echo "step $FATC_RUN of slot $FATC_SLOT"; sleep 0.5; exit 64\']\n    model: independent\n    instances: 50\n');
	const configuration = await loadConfiguration({cwd: folder});
	const {supervisor, start} = prepareSupervision({configuration, onEvent() {}});
	const done = start();
	const terminal = new FakeTerminal();
	const keyboard = new FakeKeyboard();
	const screen = createScreenWriter(terminal as unknown as NodeJS.WriteStream, {maxFps: 10});
	const instance = render(createElement(App, {handle: supervisor, capabilities}), {stdout: screen.stream, stdin: keyboard as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false});
	let started = 0;
	const unsubscribe = supervisor.subscribe(event => {
		started += event.type === 'run-started' ? 1 : 0;
	});
	await new Promise(resolve => setTimeout(resolve, 2000)); // let the 50 runs get going
	const bytesBefore = terminal.bytes;
	const framesBefore = screen.framesWritten();
	const startsBefore = started;
	const cpuBefore = process.cpuUsage();
	await new Promise(resolve => setTimeout(resolve, seconds * 1000));
	const cpu = process.cpuUsage(cpuBefore);
	const bytes = terminal.bytes - bytesBefore;
	const frames = screen.framesWritten() - framesBefore;
	unsubscribe();
	instance.unmount();
	screen.close();
	await supervisor.shutdown();
	await done;
	rmSync(folder, {recursive: true, force: true});
	console.log(`50 runs churning, real (${((started - startsBefore) / seconds).toFixed(0)} run starts/s) for ${seconds} s at 80x24: ${(bytes / seconds / 1024).toFixed(1)} KiB/s to the terminal, ${(frames / seconds).toFixed(1)} frames/s, ${(bytes / Math.max(1, frames)).toFixed(0)} bytes/frame; fatc CPU ${((cpu.user + cpu.system) / 10_000 / seconds).toFixed(0)}% (supervising + TUI), RSS of this process after every case so far ${(process.memoryUsage.rss() / 1024 / 1024).toFixed(0)} MiB`);
}

// FATC_BENCH_CLI: another build to compare with (a worktree's dist/cli.js).
const cli = process.env.FATC_BENCH_CLI ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const churnCommand = 'echo "step $FATC_RUN of slot $FATC_SLOT"; echo >> ../starts; sleep 0.5; exit 64';

/**
 * The real thing: `fatc` (dist/, as built) on a pty of 80x24 made by script(1), attached to the daemon it starts, with
 * 50 runs churning; every byte fatc writes to the pty is counted, as sshd would send it (before compression).
 */
async function overPty(seconds: number): Promise<void> {
	if (!existsSync(cli)) {
		console.log('50 runs churning over a pty: skipped (no dist/cli.js: npm run build)');
		return;
	}

	const folder = mkdtempSync(join(tmpdir(), 'fatc-bench-pty-'));
	const config = join(folder, 'site', '.fatcontrollerrc');
	mkdirSync(join(folder, 'site'));
	writeFileSync(config, `jobs:\n  churn:\n    command: sh\n    args: [-c, '${churnCommand}']\n    model: independent\n    instances: 50\n`);
	writeFileSync(join(folder, 'starts'), '');
	const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec '${process.execPath}' '${cli}' -c '${config}'`, '/dev/null'], {
		stdio: ['pipe', 'pipe', 'ignore'],
		detached: true,
		cwd: join(folder, 'site'),
		env: {...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', NODE_ENV: 'production'},
	});
	const chunks: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
	const starts = () => readFileSync(join(folder, 'starts'), 'utf8').length;
	await new Promise(resolve => setTimeout(resolve, 4000)); // the daemon started, the 50 runs going
	const from = chunks.length;
	const startsBefore = starts();
	await new Promise(resolve => setTimeout(resolve, seconds * 1000));
	const output = Buffer.concat(chunks.slice(from));
	const runs = starts() - startsBefore;
	const stopped = once(child, 'exit');
	spawn(process.execPath, [cli, 'stop', '-c', config], {stdio: 'ignore'});
	const timeout = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
	await stopped;
	clearTimeout(timeout);
	rmSync(folder, {recursive: true, force: true});
	if (process.env.FATC_BENCH_PTY_DUMP) {
		writeFileSync(process.env.FATC_BENCH_PTY_DUMP, output); // what went to the pty, to see what the bytes are
	}

	const frames = output.toString('latin1').split('\u001B[?2026h').length - 1;
	console.log(`50 runs churning, real over a pty (fatc and its daemon, ${(runs / seconds).toFixed(0)} run starts/s) for ${seconds} s at 80x24: ${(output.length / seconds / 1024).toFixed(2)} KiB/s from the pty (${(output.length / seconds).toFixed(0)} B/s), ${(frames / seconds).toFixed(1)} frames/s, ${(output.length / Math.max(1, frames)).toFixed(0)} bytes/frame`);
}

const seconds = Number(process.argv[2] ?? 10);
if (process.argv[3] === 'pty') {
	// `npm run bench:tui -- SECONDS pty`: only the pty case, for before/after comparisons of the screen writer.
	await overPty(seconds);
	process.exit(0);
}

await frameTimes('200 jobs x 5 runs (1,000 runs)', () => 5);
await frameTimes('200 jobs, the selected one with all 1,000 runs', index => (index === 0 ? 1000 : 0));
await simulatedChurn(seconds);
await churn(seconds);
await overPty(seconds);
process.exit(0);
