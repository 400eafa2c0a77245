import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {onCleanup} from '../helpers/cleanup.js';
import {startCli, startedPids} from '../helpers/cli.js';
import {isAlive} from '../helpers/processes.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

// Runs past the open-file limit: their spawns fail with EMFILE. fatc must say so once, back off, and stay idle.

const limit = 200;
// More runs than 200 descriptors hold under either engine: posix_spawn gives a run without errLogFile one pipe, not two.
const instances = 250;

/** user + system CPU time of a process, in clock ticks (1/100 s). */
function cpuTicks(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

test(`${instances} runs under an open-file limit of ${limit}: one warning at start, spawns past it fail as "too many open files" and back off, fatc's CPU stays low`, {timeout: 120_000}, async t => {
	const folder = temporaryFolder(t);
	const configFile = await writeIn(folder, 'fatc.yml', JSON.stringify({
		name: 'limited',
		runDir: join(folder, 'run'),
		logDir: join(folder, 'logs'),
		// sleepOnError 0: only the crash-loop back-off stands between a failing spawn and the next one.
		jobs: {wide: {command: 'sleep', args: ['3600'], model: 'independent', instances, sleepOnError: 0, stopTimeout: 5}},
	}));
	const cli = startCli(['run', '-c', configFile], {cwd: folder, wrapper: ['prlimit', `--nofile=${limit}:${limit}`]});
	const {child, exited} = cli;
	const output = () => cli.output() + cli.errors();
	onCleanup(t, async () => {
		child.kill('SIGKILL');
		await exited;
	});

	const failures = () => output().match(/ended: error \(command "sleep" could not be started: too many open files/g)?.length ?? 0;
	await waitFor(() => failures() > 0, 'a spawn to fail for lack of file descriptors', 90_000);
	// Let the first wave of failures pass, then watch fatc at the limit.
	await new Promise(resolve => {
		setTimeout(resolve, 2000);
	});
	const pid = child.pid!;
	const ticksBefore = cpuTicks(pid);
	const failuresBefore = failures();
	const sampledAt = Date.now();
	await new Promise(resolve => {
		setTimeout(resolve, 2000);
	});
	const cpuPercent = (cpuTicks(pid) - ticksBefore) / ((Date.now() - sampledAt) / 10) * 100;
	const failuresMeanwhile = failures() - failuresBefore;
	t.diagnostic(`fatc used ${cpuPercent.toFixed(0)}% of a core over 2 s at the limit; ${failuresMeanwhile} failed spawns meanwhile, ${failures()} in all; ${startedPids(output()).length} runs spawned`);
	assert.ok(cpuPercent < 50, `fatc used ${cpuPercent.toFixed(0)}% of a core at the limit`);
	assert.ok(failuresMeanwhile <= instances, `failed spawns backed off: ${failuresMeanwhile} in 2 s`);
	// A warning, not an error: fatc works on with what the limit holds.
	assert.equal(output().match(new RegExp(`WARN fatc warn: .*open-file limit \\(${limit}\\) holds \\d+ runs at once, but the jobs ask for ${instances}`, 'g'))?.length, 1, output().slice(0, 2000));
	assert.match(output(), /ulimit -n \d+/);

	child.kill('SIGTERM');
	assert.equal(await exited, 0, output().slice(-2000));
	assert.deepEqual(startedPids(output()).filter(pid => isAlive(pid)), [], 'no run left behind');
});
