import assert from 'node:assert/strict';
import {execFile, spawn, spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync, writeFileSync, chmodSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {posixEngineUnavailable, spawnEngineNamed} from '../../source/driver/choose-spawn-engine.js';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import {loadLibc} from '../../source/driver/libc.js';
import {createPosixEngine} from '../../source/driver/posix-engine.js';
import {fullScanCount} from '../../source/driver/process-group.js';
import {onCleanup} from '../helpers/cleanup.js';
import {isAlive, liveMembers} from '../helpers/processes.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';
import {killAfter, readText, request, startWhenReady} from './helpers.js';

const unavailable = posixEngineUnavailable();
const root = fileURLToPath(new URL('../../', import.meta.url));

function posixDriver(t: TestContext) {
	const driver = createProcessDriver({engine: spawnEngineNamed('posix')});
	onCleanup(t, async () => driver.close());
	return driver;
}

/** The parent pid of a live process, from /proc. */
function parentOf(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return undefined;
	}
}

/**
 * strace's lines with each call whole: when another thread makes a call meanwhile (a loaded machine), strace splits one
 * into "1234 clone3({…} <unfinished ...>" and, later, "1234 <... clone3 resumed>, 88) = 5678".
 */
function wholeCalls(trace: string): string[] {
	const unfinished = new Map<string, string>();
	const calls: string[] = [];
	for (const line of trace.split('\n')) {
		const started = /^(\d+) +(.*) <unfinished \.\.\.>$/.exec(line);
		const resumed = /^(\d+) +<\.\.\. \w+ resumed>(.*)$/.exec(line);
		if (started) {
			unfinished.set(started[1]!, `${started[1]} ${started[2]}`);
		} else if (resumed && unfinished.has(resumed[1]!)) {
			calls.push(`${unfinished.get(resumed[1]!)}${resumed[2]}`);
			unfinished.delete(resumed[1]!);
		} else {
			calls.push(line);
		}
	}

	return calls;
}

test('posix engine: a run is started by clone(CLONE_VM|CLONE_VFORK), which the fork path never uses', {skip: unavailable ?? (spawnSync('strace', ['-V']).error ? 'strace is not installed' : false)}, async t => {
	const directory = temporaryFolder(t);
	const trace = join(directory, 'trace');
	const {stdout} = await promisify(execFile)('strace', ['-f', '-qq', '-e', 'trace=clone,clone3,vfork,fork', '-o', trace, process.execPath, '--import', 'tsx', 'test/driver/spawn-once.ts'], {
		cwd: root,
		env: {...process.env, FATC_SPAWN_ENGINE: 'posix'},
	});
	const pid = /pid (\d+) engine posix code 0/.exec(stdout)?.[1];
	assert.ok(pid, stdout);
	// "1234 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, …}, 88) = 5678"
	const creation = wholeCalls(readText(trace)).find(line => new RegExp(`^\\d+ +(clone|clone3|vfork|fork)\\(.*= ${pid}$`).test(line));
	assert.ok(creation, `the clone that made ${pid}:\n${readText(trace).slice(-3000)}`);
	assert.match(creation, /vfork\(|CLONE_VM\|CLONE_VFORK/);
});

test('posix engine: one a process; making a second throws, as its reaper would take the first one\'s exits', {skip: unavailable}, () => {
	spawnEngineNamed('posix');
	const libc = loadLibc();
	assert.ok(!('unavailable' in libc));
	assert.throws(() => createPosixEngine(libc), /A process holds one posix engine/);
	// The one made stays the one given.
	assert.equal(spawnEngineNamed('posix'), spawnEngineNamed('posix'));
});

test('posix engine: without errLogFile stdout and stderr share one pipe, and half a line on stdout is finished by stderr', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	const script = 'ls -l /proc/$$/fd/ | awk \'{print $(NF-2), $NF}\'; printf "half "; echo "and the rest" >&2';
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', script])));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	const log = readText(join(directory, 'run.log'));
	const target = (descriptor: number) => new RegExp(`^${descriptor} (\\S+)$`, 'm').exec(log)?.[1];
	assert.equal(target(0), '/dev/null');
	assert.match(target(1) ?? '', /^pipe:\[\d+\]$/);
	assert.equal(target(2), target(1), 'one pipe for both streams');
	assert.match(log, /\nhalf and the rest\n$/);
});

test('posix engine: with errLogFile stderr has a pipe of its own', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	const errLogFile = join(directory, 'err.log');
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', 'readlink /proc/$$/fd/1; readlink /proc/$$/fd/2 >&2'], {errLogFile})));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	const out = readText(join(directory, 'run.log')).trim();
	const errors = readText(errLogFile).trim();
	assert.match(out, /^pipe:\[\d+\]$/);
	assert.match(errors, /^pipe:\[\d+\]$/);
	assert.notEqual(out, errors);
});

test('posix engine: a run inherits no pipe of another run, and its cwd is the one asked for', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	const first = await startWhenReady(t, driver, request(directory, 'sh', ['-c', 'echo ready; exec sleep 1000'], {logFile: join(directory, 'first.log')}));
	const firstPipe = readlinkSync(`/proc/${first.pid}/fd/1`);
	const second = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', 'pwd; for fd in /proc/$$/fd/*; do readlink "$fd"; done; exit 0'], {cwd: join(directory, '.')})));
	assert.deepEqual(await second.exited, {code: 0, signal: null});
	const [cwd, ...descriptors] = readText(join(directory, 'run.log')).trim().split('\n');
	assert.equal(cwd, directory);
	assert.ok(!descriptors.includes(firstPipe), `${firstPipe} leaked into ${descriptors.join(', ')}`);
	first.stop('SIGKILL', 0);
	await first.exited;
});

test('posix engine: a run starts with no signal ignored or blocked, although Node ignores SIGPIPE', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	// grep reads its own status. Not a shell's: dash blocks every signal around each fork, so a child reading its
	// parent shell's mask sees them all blocked one time in five.
	const run = killAfter(t, driver.spawn(request(directory, 'grep', ['-E', '^Sig(Ign|Blk)', '/proc/self/status'])));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.equal(readText(join(directory, 'run.log')), 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
});

test('posix engine: a script without a #! line runs through /bin/sh, as child_process runs it', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	const script = join(directory, 'plain');
	writeFileSync(script, 'echo "plain script ran with $1"\n');
	chmodSync(script, 0o755);
	const run = killAfter(t, driver.spawn(request(directory, script, ['an argument'])));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	assert.equal(readText(join(directory, 'run.log')), 'plain script ran with an argument\n');
});

test('posix engine: the runs of one job each get their own variables, and a NUL byte in one is a spawn error', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	for (const value of ['first', 'second', 'first']) {
		const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', 'echo "$RUN_VALUE"'], {env: {...process.env as Record<string, string>, RUN_VALUE: value}})));
		assert.deepEqual(await run.exited, {code: 0, signal: null});
	}

	assert.equal(readText(join(directory, 'run.log')), 'first\nsecond\nfirst\n');
	const descriptors = () => readdirSync('/proc/self/fd').length;
	const before = descriptors();
	const broken = driver.spawn(request(directory, 'sh', ['-c', 'true'], {env: {PATH: '/usr/bin:/bin', BROKEN: 'a\0b'}}));
	assert.equal(broken.pid, undefined);
	assert.equal(descriptors(), before, 'the refused start left no pipe open');
	assert.match((await broken.exited).spawnError ?? '', /could not be started: .*BROKEN.* NUL byte/);
});

test('posix engine: a double-forked process is re-parented to fatc, reaped by it, and its group seen empty without a full /proc scan', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	let orphan: number | undefined;
	// The subshell forks the orphan and exits: the orphan's parent is gone, so the kernel hands it to the subreaper.
	const script = '(trap "" TERM; sleep 1000 & echo "orphan $!") ; exit 5';
	const scansBefore = fullScanCount();
	const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', script], {
		stopTimeout: 60_000,
		onLine(line) {
			orphan = Number(/^orphan (\d+)$/.exec(line)?.[1]);
		},
	})));
	await waitFor(() => orphan !== undefined && parentOf(orphan) === process.pid, 'the orphan to be re-parented to this process');
	assert.ok(isAlive(orphan!));
	// It ignores SIGTERM: the group is not empty until it is killed.
	process.kill(orphan!, 'SIGKILL');
	assert.deepEqual(await run.exited, {code: 5, signal: null});
	assert.deepEqual(liveMembers(run.pid!), []);
	await waitFor(() => parentOf(orphan!) === undefined, 'the orphan to be reaped (no zombie left)');
	assert.equal(fullScanCount(), scansBefore, 'no full scan of /proc');
});

test('posix engine: the reaper never takes the exit of a child that child_process started', {skip: unavailable}, async t => {
	const directory = temporaryFolder(t);
	const driver = posixDriver(t);
	for (let round = 0; round < 20; round++) {
		const child = spawn('sh', ['-c', 'exit 7'], {stdio: 'ignore'});
		const childExit = new Promise(resolve => child.on('exit', code => resolve(code)));
		// A run and an orphan of it end around the same time as the child_process child.
		const run = killAfter(t, driver.spawn(request(directory, 'sh', ['-c', '(sh -c "exit 3" &) ; exit 4'])));
		assert.deepEqual(await run.exited, {code: 4, signal: null});
		assert.equal(await childExit, 7);
	}
});
