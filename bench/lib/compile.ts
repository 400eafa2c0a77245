import path from 'node:path';
import {benchFolder} from './paths.js';
import {run} from './processes.js';
import {temporaryFolder} from './temporary.js';

let programs: Promise<Programs> | undefined;

export type Programs = {
	/** PARALLEL slots of posix_spawn + waitpid: the machine's limit for a supervisor. */
	spawnLoop: string;
	/** Writes its start and end times (CLOCK_REALTIME ns) to a file, then exits with a given status. */
	stamp: string;
	/** Writes numbered lines as fast as it can for some seconds. */
	writer: string;
	/** Posix_spawns N copies of a command, then reaps them all (the scale workload's limit). */
	spawnAll: string;
	/** Marks its start, then waits on a FIFO until the benchmark releases every run at once. */
	awaitRelease: string;
	/** Sleeps 10 ms again and again; on SIGTERM prints how late it woke up at worst. */
	wakeupProbe: string;
};

/** Compiles bench/*.c with the machine's cc into a temp folder, once per benchmark run. */
export async function compilePrograms(): Promise<Programs> {
	programs ??= (async () => {
		const folder = temporaryFolder('programs');
		const compile = async (name: string) => {
			const output = path.join(folder, name);
			await run('cc', ['-O2', '-Wall', '-o', output, path.join(benchFolder, `${name}.c`)]);
			return output;
		};

		const [spawnLoop, stamp, writer, spawnAll, awaitRelease, wakeupProbe] = await Promise.all(
			['spawn-loop', 'stamp', 'writer', 'spawn-all', 'await-release', 'wakeup-probe'].map(async name => compile(name)),
		) as [string, string, string, string, string, string];
		return {spawnLoop, stamp, writer, spawnAll, awaitRelease, wakeupProbe};
	})();
	return programs;
}
