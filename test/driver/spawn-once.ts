// Starts one /bin/true through the driver with the engine FATC_SPAWN_ENGINE names and prints "pid PID" once it ended:
// posix-engine.test.ts runs it under strace to see which clone made the run. When the engine has started its spawner
// thread (FATC_SPAWN_THREAD_FROM=0), it waits for the thread and starts a second, printed as "thread pid PID starts N"
// with "serving" or why it does not.
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createProcessDriver} from '../../source/driver/create-process-driver.js';

// What fatc would put in its event lines: a warning (the spawner thread refused) as "warning MESSAGE", an error as
// "error MESSAGE".
const driver = createProcessDriver({
	onWarning(message) {
		process.stdout.write(`warning ${message}\n`);
	},
	onError(error) {
		process.stdout.write(`error ${error.message}\n`);
	},
});
const once = async () => {
	const run = driver.spawn({
		job: 'once', runId: 1, command: '/bin/true', args: [], cwd: tmpdir(), env: {PATH: '/usr/bin:/bin'},
		logFile: join(tmpdir(), 'fatc-spawn-once.log'), stopSignal: 'SIGTERM', stopTimeout: 1000,
	});
	return {pid: run.pid, exit: await run.exited};
};

const first = await once();
process.stdout.write(`fatc ${process.pid} pid ${first.pid} engine ${driver.engine.name} code ${first.exit.code}\n`);
const thread = driver.engine.spawnerThread?.();
if (thread !== undefined) {
	await thread.settled;
	const second = await once();
	const after = driver.engine.spawnerThread?.();
	process.stdout.write(`thread pid ${second.pid} code ${second.exit.code} starts ${after?.starts} ${after?.failure ?? 'serving'}\n`);
}

await driver.close();
