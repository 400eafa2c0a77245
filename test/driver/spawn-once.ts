// Starts one /bin/true through the driver with the engine FATC_SPAWN_ENGINE names and prints "pid PID" once it ended:
// posix-engine.test.ts runs it under strace to see which clone made the run.
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';

const driver = createProcessDriver();
const run = driver.spawn({
	job: 'once', runId: 1, command: '/bin/true', args: [], cwd: tmpdir(), env: {PATH: '/usr/bin:/bin'},
	logFile: join(tmpdir(), 'fatc-spawn-once.log'), stopSignal: 'SIGTERM', stopTimeout: 1000,
});
const exit = await run.exited;
await driver.close();
process.stdout.write(`pid ${run.pid} engine ${driver.engine.name} code ${exit.code}\n`);
