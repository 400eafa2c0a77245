import type {SupervisorEvent} from '../../../source/core/supervisor-event.js';
import {connectClient, type ControlClient} from '../../../source/daemon/control-client.js';
import {startCli, type CliProcess} from '../cli.js';

/** One life of fatc in the chaos test: `fatc run --json` as its own process, and a control connection to it. */
export type Generation = {
	pid: number;
	cli: CliProcess;
	client: ControlClient;
	/** When the test asked for it, and when its socket first answered (ms since the epoch). */
	startedAt: number;
	readyAt: number;
	/** Every event it printed so far. */
	events(): SupervisorEvent[];
	/** When the test SIGKILLed it (its runs are the next generation's to reap). */
	killedAt?: number;
};

export async function startGeneration(folder: string, configFile: string, socket: string): Promise<Generation> {
	const startedAt = Date.now();
	const cli = startCli(['run', '--json', '-c', configFile], {cwd: folder});
	let exited = false;
	void cli.exited.then(() => {
		exited = true;
	});
	const deadline = startedAt + 30_000;
	for (;;) {
		if (exited || Date.now() > deadline) {
			cli.child.kill('SIGKILL');
			throw new Error(`fatc did not come up (${exited ? 'it exited' : 'no answer in 30 s'}): ${cli.errors()}`);
		}

		try {
			const client = await connectClient(socket);
			if (client.daemon.pid === cli.child.pid) {
				return {
					pid: cli.child.pid, cli, client, startedAt, readyAt: Date.now(),
					// The text after the last newline is a line still being written.
					events: () => cli.output().split('\n').slice(0, -1).filter(line => line.startsWith('{')).map(line => JSON.parse(line) as SupervisorEvent),
				};
			}

			// The socket of the generation before, not yet taken over.
			client.close();
		} catch {}

		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** The pids a generation reported reaping (runs and escaped processes of the one SIGKILLed before it), and when. */
export function reapedBy(generation: Generation): {pids: number[]; time: number} {
	for (const event of generation.events()) {
		const match = event.type === 'supervisor-error' ? /^reaped \d+ .*: ([\d, ]+)$/.exec(event.message) : null;
		if (match) {
			// `fatc run --json` writes times as ISO-8601.
			return {pids: match[1]!.split(', ').map(Number), time: Date.parse(String(event.time))};
		}
	}

	return {pids: [], time: generation.readyAt};
}
