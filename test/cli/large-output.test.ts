import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {cliPath} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

test('a command\'s output larger than a pipe holds reaches a reader that reads late, every byte (no cut at 64 KiB on exit)', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  worker:\n    command: "true"\n    logFile: ./worker.log\n');
	const lines = Array.from({length: 8000}, (_, index) => `line ${index} ${'x'.repeat(40)}`);
	await writeIn(folder, 'worker.log', `${lines.join('\n')}\n`);
	// `fatc logs` prints up to 256 KiB of the log's end: four times what a pipe holds.
	const child = spawn(process.execPath, [cliPath, 'logs', 'worker', '-n', '8000'], {cwd: folder, stdio: ['ignore', 'pipe', 'inherit']});
	t.after(() => child.kill('SIGKILL'));
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
