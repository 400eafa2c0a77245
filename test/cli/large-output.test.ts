import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {cliPath, killOnCleanup, runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

test('a command\'s output larger than a pipe holds reaches a reader that reads late, every byte (no cut at 64 KiB on exit)', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  worker:\n    command: "true"\n    logFile: ./worker.log\n');
	const lines = Array.from({length: 8000}, (_, index) => `line ${index} ${'x'.repeat(40)}`);
	await writeIn(folder, 'worker.log', `${lines.join('\n')}\n`);
	// `fatc logs` prints up to 256 KiB of the log's end: four times what a pipe holds.
	const child = spawn(process.execPath, [cliPath, 'logs', 'worker', '-n', '8000'], {cwd: folder, stdio: ['ignore', 'pipe', 'inherit']});
	killOnCleanup(t, {child});
	const exited = once(child, 'exit');
	const closed = once(child, 'close');
	// Nothing is read until fatc has exited, or 2 s: a fatc that drops what the pipe has not taken exits at once with
	// 64 KiB written; one that waits for its reader is still there (with a reader late by whatever reason, a loaded
	// machine: it must not matter).
	child.stdout.pause();
	await Promise.race([exited, delay(2000)]);
	const chunks: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
	child.stdout.resume();
	const [code] = await closed;
	assert.equal(code, 0);
	const output = Buffer.concat(chunks).toString();
	assert.ok(output.length > 200_000, `${output.length} bytes arrived`);
	assert.ok(output.endsWith(`${lines.at(-1)}\n`), 'the last line arrived whole');
	assert.ok(output.split('\n').slice(0, -1).every(line => /^line \d+ x{40}$/.test(line)), 'every line is whole');
});

test('fatc run whose stdout nobody reads keeps at most FATC_UNREAD_OUTPUT_LIMIT of its lines, then drops and counts them', {timeout: 120_000}, async t => {
	const folder = temporaryFolder(t);
	// Runs that ask to run again at once: two event lines each, as fast as fatc starts them, ~270 bytes a line.
	const job = `busy${'-'.repeat(200)}`;
	await writeIn(folder, '.fatcontrollerrc', `runDir: ./run\njobs:\n  ${job}:\n    command: sh\n    args: ["-c", "exit 64"]\n    instances: 2\n`);
	const child = spawn(process.execPath, [cliPath, 'run'], {cwd: folder, stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, FATC_UNREAD_OUTPUT_LIMIT: '65536'}});
	const closed = once(child, 'close');
	killOnCleanup(t, {child});
	child.stdout.pause();
	// Unread: the 64 KiB limit, the pipe's 64 KiB and what this side's stream buffers — 1,000 runs' lines are more.
	await waitFor(async () => {
		const {stdout} = await runCli(['status', '--json'], {cwd: folder});
		return stdout !== '' && (JSON.parse(stdout) as {jobs: Array<{runs: number}>}).jobs[0]!.runs >= 1000;
	}, '1,000 runs', 100_000);
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	child.stdout.resume();
	await waitFor(() => /WARN fatc warn: (\d+) lines of fatc's output were dropped: nothing read them while 65536 bytes waited/.test(output), 'the line saying how many were dropped');
	const dropped = Number(/WARN fatc warn: (\d+) lines of fatc's output were dropped/.exec(output)![1]);
	assert.ok(dropped > 0, `${dropped} lines dropped`);
	child.kill('SIGTERM');
	const [code] = await closed;
	assert.equal(code, 0);
	assert.match(output, /fatc stopped/);
});
