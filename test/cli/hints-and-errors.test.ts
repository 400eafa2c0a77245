import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {test, type TestContext} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {killOnCleanup, runCli, startCli} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

const sleeper = `name: site
runDir: ./run
jobs:
  work:
    command: sleep
    args: ["300"]
    model: independent
    instances: 1
    stopTimeout: 5s
`;

/** `/srv/site/jobs.yml` and a `/tmp`-like folder beside it with no config: where the user stands. */
async function siteAndElsewhere(t: TestContext, config = sleeper) {
	const folder = temporaryFolder(t);
	const file = await writeIn(folder, 'site/jobs.yml', config);
	const elsewhere = path.join(folder, 'elsewhere');
	await mkdir(elsewhere);
	const fatc = (args: string[]) => runCli(args, {cwd: elsewhere});
	onCleanup(t, async () => {
		await fatc(['stop', '-c', file]);
	});
	return {file, elsewhere, fatc};
}

/** The commands a hint names, as a shell would split them (paths here need no quotes). */
function hintedCommands(text: string): string[][] {
	return [...text.matchAll(/"fatc ([^"]+)"/g)].map(match => match[1]!.split(' '));
}

test('fatc --detach -c FILE from another folder prints attach, status and stop hints that work there as written', async t => {
	const {file, fatc} = await siteAndElsewhere(t);
	const started = await fatc(['--detach', '-c', file]);
	assert.equal(started.code, 0, started.stderr);
	const hints = hintedCommands(started.stdout);
	assert.deepEqual(hints.map(([command]) => command), ['attach', 'status', 'stop']);
	for (const hint of hints) {
		assert.deepEqual(hint.slice(1), ['-c', file], `"fatc ${hint.join(' ')}" names the config`);
	}

	const status = await fatc(hints[1]!);
	assert.equal(status.code, 0, status.stderr);
	assert.match(status.stdout, /^fatc "site" pid \d+/);
	const stopped = await fatc(hints[2]!);
	assert.equal(stopped.code, 0, stopped.stderr);
	assert.match(stopped.stdout, /stopped; every run is gone/);
});

test('fatc --detach found by the search from its own folder prints the short hints, which work there', async t => {
	const {file} = await siteAndElsewhere(t);
	const site = path.dirname(file);
	await writeIn(site, '.fatcontrollerrc', readFileSync(file, 'utf8'));
	const started = await runCli(['--detach'], {cwd: site});
	assert.equal(started.code, 0, started.stderr);
	assert.match(started.stdout, /see it with "fatc attach" or "fatc status"; stop it with "fatc stop"\n$/);
	assert.equal((await runCli(['stop'], {cwd: site})).code, 0);
});

test('a second fatc --detach while one runs says so in one line, with hints, and not the running daemon\'s log', async t => {
	// A churning job: the running daemon writes event lines to the shared log all the time.
	const {file, fatc} = await siteAndElsewhere(t, 'name: churn\nrunDir: ./run\njobs:\n  tick:\n    command: "true"\n    sleep: 10ms\n');
	const first = await fatc(['--detach', '-c', file]);
	assert.equal(first.code, 0, first.stderr);
	const pid = Number(/pid (\d+)/.exec(first.stdout)![1]);
	const log = path.join(path.dirname(file), 'logs/churn.daemon.log');
	await waitFor(() => (readFileSync(log, 'utf8').match(/ended: done/g) ?? []).length >= 3, 'the first daemon to churn');

	const second = await fatc(['--detach', '-c', file]);
	assert.equal(second.code, 1);
	assert.equal(second.stdout, '');
	assert.equal(second.stderr, `fatc: fatc daemon "churn" already runs (pid ${pid}); see it with "fatc attach -c ${file}" or "fatc status -c ${file}"; stop it with "fatc stop -c ${file}"\n`);
	assert.ok(isAlive(pid), 'the first daemon runs on');
});

test('a negative number, a mistyped option and a folder for -c each get one clear line and exit 2', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', sleeper);
	const cases: Array<[string[], RegExp]> = [
		[['scale', 'worker', '-1'], /^fatc: usage: fatc scale JOB N \(N: an integer from 0 to 10000\); got "-1"\n$/],
		[['--detatch'], /^fatc: unknown option --detatch \(did you mean --detach\?\); see fatc --help\n$/],
		[['status', '--jsno'], /^fatc: unknown option --jsno \(did you mean --json\?\); see fatc --help\n$/],
		[['logs', '-n', '-5'], /^fatc: -n: expected a value, got "-5"; see fatc --help\n$/],
		[['check', '-c', folder], new RegExp(`^fatc: ${folder}: expected a config file, got a folder \\(name the file in it: -c ${folder}/\\.fatcontrollerrc\\)\n$`)],
	];
	for (const [args, expected] of cases) {
		const {code, stderr} = await runCli(args, {cwd: folder});
		assert.equal(code, 2, `fatc ${args.join(' ')}: ${stderr}`);
		assert.match(stderr, expected);
		assert.doesNotMatch(stderr, /positional argument|EISDIR/);
	}
});

test('a wrong command line exits 2 before fatc looks for a daemon: none runs, and it is not exit 3', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', sleeper);
	for (const args of [['scale', 'hello', 'many'], ['scale', 'hello'], ['scale', 'hello', '1.5'], ['pause'], ['trigger', 'a', 'b'], ['status', 'extra']]) {
		const {code, stderr} = await runCli(args, {cwd: folder});
		assert.equal(code, 2, `fatc ${args.join(' ')}: ${stderr}`);
		assert.match(stderr, /^fatc: (usage: fatc|unexpected argument)/);
	}

	const right = await runCli(['scale', 'work', '2'], {cwd: folder});
	assert.equal(right.code, 3, `a right one with no daemon is still 3: ${right.stderr}`);
});

test('an unknown job is a usage error: exit 2 with the daemon\'s jobs, and a close name suggested', async t => {
	const {file, fatc} = await siteAndElsewhere(t);
	assert.equal((await fatc(['--detach', '-c', file])).code, 0);
	const unknown = await fatc(['scale', 'nosuchjob', '2', '-c', file]);
	assert.equal(unknown.code, 2);
	assert.equal(unknown.stderr, 'fatc: no job named "nosuchjob"; jobs: work\n');
	const typo = await fatc(['pause', 'wrk', '-c', file]);
	assert.equal(typo.code, 2);
	assert.equal(typo.stderr, 'fatc: no job named "wrk" (did you mean "work"?); jobs: work\n');
});

const zeroConfig = `name: zero
runDir: ./run
jobs:
  spare:
    command: sleep
    args: ["300"]
    model: independent
    instances: 0
    stopTimeout: 5s
  once:
    command: "true"
    instances: 0
`;

test('instances: 0 in a file is a job defined but not running: check passes, no run starts until it is scaled up', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', zeroConfig);
	const checked = await runCli(['check'], {cwd: folder});
	assert.equal(checked.code, 0, checked.stderr);
	const once = await runCli(['run', '--run-once'], {cwd: folder});
	assert.equal(once.code, 0, once.stderr);
	assert.doesNotMatch(once.stdout, / run \d+ started/);

	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(async () => (await runCli(['status'], {cwd: folder})).code === 0, 'fatc run to answer');
	const trigger = await runCli(['trigger', 'spare'], {cwd: folder});
	assert.equal(trigger.code, 1);
	assert.doesNotMatch(trigger.stdout, /triggered/);
	assert.equal(trigger.stderr, 'fatc: spare: not triggered: it has 0 instances, so no run can start; "fatc scale spare N" starts it\n');
	assert.doesNotMatch(cli.output(), / run \d+ started/);

	assert.equal((await runCli(['scale', 'spare', '1'], {cwd: folder})).code, 0);
	await waitFor(() => /spare\[0\] run 1 started \(pid/.test(cli.output()), 'the scaled-up job to start a run');
	assert.equal((await runCli(['scale', 'spare', '0'], {cwd: folder})).code, 0);
	await waitFor(() => /spare\[0\] run 1 ended: stopped/.test(cli.output()), 'scale 0 to stop it, as instances: 0 in a file would');
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});
