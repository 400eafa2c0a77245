// The posix engine's spawner thread (spawn-thread.ts), which takes the starts while thousands of runs are under way:
// here it takes every start (FATC_SPAWN_THREAD_FROM=0), and the driver's shared cases and the posix engine's own run
// once more through it.
import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {readdirSync, readlinkSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {engineVariable, posixEngineUnavailable, spawnEngineNamed, spawnThreadVariable} from '../../source/driver/choose-spawn-engine.js';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import {refuseVariable} from '../../source/driver/spawn-thread.js';
import {onCleanup} from '../helpers/cleanup.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';
import {killAfter, readText, request, startWhenReady} from './helpers.js';

const unavailable = posixEngineUnavailable();
const root = fileURLToPath(new URL('../../', import.meta.url));
process.env[engineVariable] = 'posix';
process.env[spawnThreadVariable] = '0';

/**
 * Where the system refuses the thread's calls (a container's seccomp profile without CAP_SYS_ADMIN or
 * CAP_SYS_PTRACE), the tests that need it serving skip and say why; the refusal's own test runs everywhere. Any other
 * failure of the thread fails them.
 */
const refused = unavailable ?? threadRefused();

function threadRefused(): string | false {
	const {stdout} = spawnSync(process.execPath, ['--import', 'tsx', 'test/driver/spawn-once.ts'], {cwd: root, encoding: 'utf8'});
	const failure = /^thread pid \d+ code 0 starts \d+ (.+)$/m.exec(stdout)?.[1];
	return failure !== undefined && /^(unshare\(CLONE_FILES\)|pidfd_open|pidfd_getfd): (EPERM|EACCES|ENOSYS)$/.test(failure)
		? `this system refuses the spawner thread (${failure})`
		: false;
}

function threadDriver(t: TestContext) {
	const driver = createProcessDriver({engine: spawnEngineNamed('posix')});
	onCleanup(t, async () => driver.close());
	return driver;
}

/** Each thread's descriptors (number → what it points at), by thread id. */
function tables(): Map<string, Map<number, string>> {
	const result = new Map<string, Map<number, string>>();
	for (const task of readdirSync('/proc/self/task')) {
		const table = new Map<number, string>();
		try {
			for (const name of readdirSync(`/proc/self/task/${task}/fd`)) {
				try {
					table.set(Number(name), readlinkSync(`/proc/self/task/${task}/fd/${name}`));
				} catch {
					// Closed meanwhile.
				}
			}
		} catch {
			continue;
		}

		result.set(task, table);
	}

	return result;
}

test('spawner thread: it starts once asked for and serves', {skip: refused}, async t => {
	const directory = temporaryFolder(t);
	const driver = threadDriver(t);
	const run = killAfter(t, driver.spawn(request(directory, 'true', [])));
	assert.deepEqual(await run.exited, {code: 0, signal: null});
	const thread = driver.engine.spawnerThread?.();
	assert.ok(thread, 'the first start asked for the thread');
	await thread.settled;
	assert.equal(driver.engine.spawnerThread?.()?.failure, undefined);
	assert.equal(driver.engine.spawnerThread?.()?.serving, true);
});

test('spawner thread: its table holds no run\'s pipe nor any file of fatc\'s, and a run it started ends with all its output', {skip: refused}, async t => {
	const directory = temporaryFolder(t);
	const driver = threadDriver(t);
	const startsBefore = driver.engine.spawnerThread?.()?.starts ?? 0;
	const long = await startWhenReady(t, driver, request(directory, 'sh', ['-c', 'echo ready; exec sleep 1000'], {logFile: join(directory, 'long.log')}));
	const pipe = readlinkSync(`/proc/${long.pid}/fd/1`);
	const all = tables();
	const main = all.get(String(process.pid))!;
	assert.ok([...main.values()].includes(pipe), `the main table holds ${pipe}`);
	const own = [...all].filter(([, table]) => ![...table.values()].includes(pipe));
	assert.equal(own.length, 1, `one thread has a table without the run's pipe: ${JSON.stringify([...all.keys()])}`);
	const [, spawnerTable] = own[0]!;
	const held = [...spawnerTable].filter(([descriptor, target]) => descriptor > 2 && !target.startsWith('anon_inode:'));
	assert.deepEqual(held, [], 'the spawner thread holds only its own event descriptors');

	const counted = killAfter(t, driver.spawn(request(directory, 'seq', ['1', '20000'], {logFile: join(directory, 'counted.log')})));
	assert.deepEqual(await counted.exited, {code: 0, signal: null});
	const lines = readText(join(directory, 'counted.log')).split('\n');
	assert.equal(lines.length, 20_001);
	assert.equal(lines[19_999], '20000');
	assert.equal(driver.engine.spawnerThread?.()?.starts, startsBefore + 2);
	long.stop('SIGKILL', 0);
	await long.exited;
});

test('spawner thread: asked for at half the mark, it takes the starts from the mark on, counted by runs under way', {skip: refused}, async () => {
	// In a process of its own: a second engine here would reap this one's children.
	const {stdout} = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/driver/spawn-thread-mark.ts'], {
		cwd: root,
		env: {...process.env, [engineVariable]: 'posix', [spawnThreadVariable]: '10'},
	});
	assert.deepEqual(stdout.trim().split('\n'), [
		'5 under way: not asked for',
		'6 under way: asked for',
		'10 under way: 0 starts through it',
		'11 under way: 1 start through it',
	]);
});

test('spawner thread: the clone that starts a run is the thread\'s, after its unshare(CLONE_FILES), and fatc then exits by itself', {skip: refused || (spawnSync('strace', ['-V']).error ? 'strace is not installed' : false)}, async t => {
	const trace = join(temporaryFolder(t), 'trace');
	// execFile fails unless the process exits with 0: the thread must not hold fatc up nor spoil its exit.
	const {stdout} = await promisify(execFile)('strace', ['-f', '-qq', '-e', 'trace=clone,clone3,unshare', '-o', trace, process.execPath, '--import', 'tsx', 'test/driver/spawn-once.ts'], {
		cwd: root,
		env: {...process.env, [engineVariable]: 'posix', [spawnThreadVariable]: '0'},
	});
	const fatc = /fatc (\d+) pid/.exec(stdout)?.[1];
	const pid = /thread pid (\d+) code 0 starts 1 serving/.exec(stdout)?.[1];
	assert.ok(fatc && pid, stdout);
	assert.doesNotMatch(stdout, /^(warning|error) /m, 'a serving thread is not told of');
	const calls = readText(trace).split('\n');
	const creation = calls.find(line => new RegExp(`^\\d+ +(clone|clone3)\\(.*CLONE_VM\\|CLONE_VFORK.*= ${pid}$`).test(line));
	assert.ok(creation, `the clone that made ${pid}:\n${calls.slice(-40).join('\n')}`);
	const caller = creation.split(' ')[0]!;
	assert.notEqual(caller, fatc, 'not the main thread');
	assert.ok(calls.some(line => line.startsWith(`${caller} `) && /unshare\(CLONE_FILES\) += 0/.test(line)), `${caller} made its table its own`);
});

test('spawner thread: where pidfd_getfd is refused (a container\'s seccomp profile), starts stay on the main thread and fatc exits by itself', {skip: unavailable}, async () => {
	// The thread has made its table its own and closed its copies when the call is refused: it must then end without
	// harm to fatc (execFile fails unless the process exits with 0).
	const {stdout} = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/driver/spawn-once.ts'], {
		cwd: root,
		env: {...process.env, [engineVariable]: 'posix', [spawnThreadVariable]: '0', [refuseVariable]: 'pidfd_getfd'},
	});
	assert.match(stdout, /^thread pid \d+ code 0 starts 0 pidfd_getfd: EPERM/m);
	// Said once, in fatc's event lines, as a warning: fatc works on.
	assert.deepEqual(stdout.match(/^(warning|error) .*$/gm), [
		'warning the spawner thread does not serve (pidfd_getfd: EPERM (FATC_SPAWN_THREAD_REFUSE)): starts stay on fatc\'s main thread, where each costs more while thousands of runs are under way',
	]);
});

// The shared cases, with every start through the thread once it serves (the first test waited for it).
await import('./run-lifecycle.test.js');
await import('./log-output.test.js');
await import('./posix-engine.test.js');

test('spawner thread: the cases above were started through it', {skip: refused}, () => {
	const thread = spawnEngineNamed('posix').spawnerThread?.();
	assert.equal(thread?.failure, undefined);
	assert.ok((thread?.starts ?? 0) >= 30, `${thread?.starts} starts through the thread`);
});
