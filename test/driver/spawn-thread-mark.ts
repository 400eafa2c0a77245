// Starts `sleep` runs one by one with FATC_SPAWN_THREAD_FROM=10 and prints, after each start that matters, whether
// the posix engine asked for its spawner thread and how many starts went through it: spawn-thread.test.ts reads it.
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';
import type {RunProcess} from '../../source/core/process-driver.js';

const driver = createProcessDriver();
const runs: RunProcess[] = [];
const start = () => {
	runs.push(driver.spawn({
		job: 'mark', runId: runs.length + 1, command: 'sleep', args: ['1000'], cwd: tmpdir(), env: {PATH: '/usr/bin:/bin'},
		logFile: join(tmpdir(), 'fatc-spawn-thread-mark.log'), stopSignal: 'SIGTERM', stopTimeout: 1000,
	}));
};

const thread = () => driver.engine.spawnerThread?.();
while (runs.length < 5) {
	start();
}

process.stdout.write(`5 under way: ${thread() === undefined ? 'not asked for' : 'asked for'}\n`);
start();
process.stdout.write(`6 under way: ${thread() === undefined ? 'not asked for' : 'asked for'}\n`);
await thread()?.settled;
while (runs.length < 10) {
	start();
}

process.stdout.write(`10 under way: ${thread()?.starts} starts through it\n`);
start();
process.stdout.write(`11 under way: ${thread()?.starts} start through it\n`);
for (const run of runs) {
	run.stop('SIGKILL', 0);
}

await Promise.all(runs.map(async run => run.exited));
await driver.close();
