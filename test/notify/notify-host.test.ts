import assert from 'node:assert/strict';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {isAlive} from '../helpers/processes.js';
import {waitFor} from '../helpers/wait-for.js';
import {linesOf, startHost, workJob} from './helpers.js';

test('notify: the notifier reads the event as JSON on stdin and in FATC_EVENT_* variables, in the job\'s folder with its env', async t => {
	const host = await startHost(t, workJob({
		sleep: '1h',
		env: {EXIT_PLAN: '1 0', NOTE: 'seven'},
		notify: {
			on: ['error', 'recovered'],
			command: 'cat > "told.$FATC_EVENT_KIND.json"; env | grep "^FATC_EVENT_\\|^NOTE=\\|^PATH=" | sort > "told.$FATC_EVENT_KIND.env"; pwd > "told.$FATC_EVENT_KIND.pwd"',
		},
	}));
	const told = (kind: string, extension: string) => readFileSync(join(host.folder, `told.${kind}.${extension}`), 'utf8');
	await waitFor(() => existsSync(join(host.folder, 'told.error.pwd')) && existsSync(join(host.folder, 'told.recovered.pwd')), 'both notifiers to finish', 15_000);

	const [error, recovered] = host.ended();
	assert.ok(error?.type === 'run-ended' && recovered?.type === 'run-ended');
	const errorTime = new Date(error.time).toISOString();
	const errorMessage = `work[0] run 1 ended: error (exit 1) after ${/after (.+)$/.exec(JSON.parse(told('error', 'json')).message as string)?.[1]}`;
	assert.match(errorMessage, /^work\[0\] run 1 ended: error \(exit 1\) after \d/);
	assert.deepEqual(JSON.parse(told('error', 'json')), {
		job: 'work',
		kind: 'error',
		time: errorTime,
		folded: 0,
		message: errorMessage,
		type: 'run-ended',
		runId: 1,
		slot: 0,
		pid: error.pid,
		result: 'error',
		code: 1,
		signal: null,
		duration: error.duration,
		startedAt: error.startedAt,
	});
	assert.equal(told('error', 'env'), [
		'FATC_EVENT_FOLDED=0',
		'FATC_EVENT_JOB=work',
		'FATC_EVENT_KIND=error',
		`FATC_EVENT_MESSAGE=${errorMessage}`,
		`FATC_EVENT_TIME=${errorTime}`,
		'NOTE=seven',
		`PATH=${process.env['PATH']}`,
		'',
	].join('\n'));
	assert.equal(told('error', 'pwd'), `${host.folder}\n`);

	const recoveredNote = JSON.parse(told('recovered', 'json')) as Record<string, unknown>;
	assert.equal(recoveredNote['kind'], 'recovered');
	assert.equal(recoveredNote['runId'], 2);
	assert.equal(recoveredNote['result'], 'done');
	assert.equal(recoveredNote['errorsBefore'], 1);
	assert.match(recoveredNote['message'] as string, /^work\[0\] recovered after 1 error: run 2 ended: done \(exit 0\) after /);
	assert.match(told('recovered', 'env'), /^FATC_EVENT_KIND=recovered$/m);
	assert.deepEqual(host.errorLines(), []);
});

test('notify: notifiers that sleep 30 s never hold up a start; a forced stop kills them', async t => {
	const host = await startHost(t, workJob({
		model: 'independent',
		instances: 3,
		// Runs of a second or more: no crash-loop back-off, so starts follow each other at once.
		env: {EXIT_PLAN: '1', RUN_SECONDS: '1.05'},
		notify: {on: ['error'], every: 0, timeout: '60s', command: 'echo $$ >> asleep.log; sleep 30; echo $$ >> woke.log'},
	}));
	// Four notifiers run at once: every one of them is asleep.
	await waitFor(() => linesOf(host.folder, 'asleep.log').length >= 4, 'four notifiers asleep', 15_000);
	const startsThen = host.records().length;
	await waitFor(() => host.records().length >= startsThen + 6, 'six more runs while the notifiers sleep', 15_000);
	assert.deepEqual(linesOf(host.folder, 'woke.log'), [], 'no notifier has finished its sleep');
	assert.equal(linesOf(host.folder, 'asleep.log').length, 4, 'no more than four run at once');

	void host.supervisor.shutdown();
	host.supervisor.kill();
	await host.done;
	for (const pid of linesOf(host.folder, 'asleep.log').map(Number)) {
		assert.equal(isAlive(pid), false, `notifier ${pid} was killed`);
	}
});

test('notify: a failing notifier is one error line, and one more only after it succeeded in between', async t => {
	const host = await startHost(t, workJob({
		model: 'independent',
		instances: 4,
		env: {EXIT_PLAN: '1', RUN_SECONDS: '1.05'},
		notify: {on: ['error'], every: 0, command: 'echo called >> calls.log; test -e ok || { echo "no mail today" >&2; exit 3; }; echo ok >> successes.log'},
	}));
	const calls = () => linesOf(host.folder, 'calls.log').length;
	const line = 'notifier failed for work (error): exit 3: no mail today; not said again until it succeeds';
	await waitFor(() => calls() >= 5, 'five failing notifications', 15_000);
	assert.deepEqual(host.errorLines(), [line]);

	writeFileSync(join(host.folder, 'ok'), '');
	await waitFor(() => linesOf(host.folder, 'successes.log').length >= 1, 'a notification that succeeds', 15_000);
	rmSync(join(host.folder, 'ok'));
	const before = calls();
	await waitFor(() => calls() >= before + 5, 'five more notifications after it failed again', 15_000);
	assert.deepEqual(host.errorLines(), [line, line]);
});

test('notify: a reload applies the new notify settings to the next event, and notify: false turns it off', async t => {
	const job = (notify: unknown) => workJob({model: 'independent', instances: 2, env: {EXIT_PLAN: '1', RUN_SECONDS: '1.05'}, notify});
	const host = await startHost(t, job({on: ['error'], every: 0, command: 'echo a >> told.log'}));
	const told = (name: string) => linesOf(host.folder, 'told.log').filter(line => line === name).length;
	const reloads = () => host.events.flatMap((event, index) => event.type === 'config-reloaded' ? [index] : []);
	const errorsBetween = (from: number, to: number) => host.events.slice(from, to).filter(event => event.type === 'run-ended' && event.result === 'error').length;
	await waitFor(() => told('a') >= 2, 'two notifications by the first command', 15_000);

	host.save(job({on: ['error'], every: 0, command: 'echo b >> told.log'}));
	assert.equal((await host.supervisor.reload()).ok, true);
	await waitFor(() => told('b') >= 2, 'two notifications by the new command', 15_000);
	host.save(job(false));
	assert.equal((await host.supervisor.reload()).ok, true);
	// The first reload line is the one that switched to b (a save may also be seen by the file watcher).
	const [first = 0] = reloads();
	await waitFor(() => {
		const [, ...later] = reloads();
		const last = later.find(index => index > first && (host.events[index] as {summary: string}).summary.includes('notify')) ?? Number.POSITIVE_INFINITY;
		return errorsBetween(last, host.events.length) >= 4 && told('a') === errorsBetween(0, first) && told('b') === errorsBetween(first, last);
	}, 'every error before the switch told by a, every one between by b, none after notify: false', 15_000, () => `${linesOf(host.folder, 'told.log').join(' ')} ${JSON.stringify(host.events.filter(event => event.type === 'config-reloaded' || event.type === 'run-ended').map(event => event.type))}`);
	assert.deepEqual(host.errorLines(), []);
});

test('notify: a graceful stop lets a running notifier finish before fatc is done', async t => {
	const host = await startHost(t, workJob({
		sleep: '1h',
		env: {EXIT_PLAN: '1', RUN_SECONDS: '0'},
		notify: {on: ['error'], command: 'echo $$ > started; sleep 1; echo sent > finished'},
	}));
	await waitFor(() => linesOf(host.folder, 'started').length === 1, 'the notifier to start');
	await host.supervisor.shutdown();
	await host.done;
	assert.deepEqual(linesOf(host.folder, 'finished'), ['sent']);
});
