import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';
import {runNotifier, type NotifierSpec} from '../../source/notify/run-notifier.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {linesOf} from './helpers.js';

const spec = (cwd: string, command: string, overrides: Partial<NotifierSpec> = {}): NotifierSpec => ({
	command, cwd, env: {PATH: process.env['PATH']}, input: '{"kind":"error"}\n', timeout: 10_000, ...overrides,
});

test('notifier: exit 0 is ok; another exit says it with the first line the notifier wrote, stderr first', async t => {
	const folder = temporaryFolder(t);
	assert.deepEqual(await runNotifier(spec(folder, 'cat > input.json')), {ok: true});
	assert.deepEqual(linesOf(folder, 'input.json'), ['{"kind":"error"}']);
	assert.deepEqual(await runNotifier(spec(folder, 'echo out; echo "curl: (6) no host" >&2; echo more >&2; exit 6')), {ok: false, reason: 'exit 6: curl: (6) no host'});
	assert.deepEqual(await runNotifier(spec(folder, 'echo only stdout; exit 2')), {ok: false, reason: 'exit 2: only stdout'});
	assert.deepEqual(await runNotifier(spec(folder, 'kill -TERM $$')), {ok: false, reason: 'killed by SIGTERM'});
});

test('notifier: one that never reads stdin, or prints megabytes, still ends as its exit says', async t => {
	const folder = temporaryFolder(t);
	assert.deepEqual(await runNotifier(spec(folder, 'exit 0', {input: 'x'.repeat(1_000_000)})), {ok: true});
	const chatty = await runNotifier(spec(folder, 'head -c 3000000 /dev/zero | tr "\\000" a >&2; exit 1'));
	assert.deepEqual(chatty, {ok: false, reason: `exit 1: ${'a'.repeat(200)}`});
});

test('notifier: past its timeout its whole group is SIGKILLed, grandchild included', async t => {
	const folder = temporaryFolder(t);
	const outcome = await runNotifier(spec(folder, 'sleep 100 & echo $! > child; echo $$ > leader; sleep 100', {timeout: 1000}));
	assert.deepEqual(outcome, {ok: false, reason: 'timed out after 1s (its process group was killed)'});
	for (const name of ['leader', 'child']) {
		await waitFor(() => !isAlive(Number(linesOf(folder, name)[0])), `the ${name} to be killed`);
	}
});

test('notifier: a background process holding its output is waited for up to the timeout, then killed; the leader\'s exit decides', async t => {
	const folder = temporaryFolder(t);
	const outcome = await runNotifier(spec(folder, 'sleep 100 & echo $! > child; exit 0', {timeout: 1000}));
	assert.deepEqual(outcome, {ok: true});
	// SIGKILL was sent; the process dies when the kernel next schedules it.
	await waitFor(() => !isAlive(Number(linesOf(folder, 'child')[0])), 'the background process to be killed');
});

test('notifier: a working directory that does not exist is a start error; an abort kills it at once', async t => {
	const folder = temporaryFolder(t);
	const missing = join(folder, 'gone');
	assert.deepEqual(await runNotifier(spec(missing, 'exit 0')), {ok: false, reason: `could not start: working directory ${missing} does not exist`});
	const controller = new AbortController();
	const running = runNotifier(spec(folder, 'echo $$ > leader; exec sleep 100'), controller.signal);
	await waitFor(() => linesOf(folder, 'leader').length === 1, 'the notifier to start');
	controller.abort();
	assert.deepEqual(await running, {ok: false, reason: 'killed: fatc was stopped at once'});
});
