import {render} from 'ink';
import type {FleetEntry} from '../config/fleet-file.js';
import {connectFleet} from '../daemon/fleet-connections.js';
import {FleetApp} from '../ui/fleet-app.js';
import {createScreenWriter} from '../ui/screen-writer.js';
import {fleetHosts} from './fleet-hosts.js';

/**
 * `fatc attach ADDRESS…` and `fatc fleet -f FILE`: the fleet view of several daemons (ssh:// servers, or daemons on
 * this machine). It owns none of them: q, a signal or a terminal that goes away leave every daemon running.
 * Resolves with 0 once the view is gone.
 */
export async function fleetCommand(entries: readonly FleetEntry[], cwd: string): Promise<number> {
	const fleet = connectFleet(await fleetHosts(entries, cwd));
	const screen = createScreenWriter(process.stdout, {maxFps: 10, input: process.stdin});
	const instance = render(<FleetApp fleet={fleet}/>, {
		stdout: screen.stream,
		debug: true, // one whole frame per write: the screen writer diffs, caps and places the lines
		exitOnCtrlC: false, // Ctrl+C is a key: it leaves, as q does
		patchConsole: false,
	});
	const leave = () => {
		instance.unmount();
	};

	process.stdout.on('error', leave); // kept: a terminal gone by then must not throw on the last line
	process.stdin.on('end', leave);
	process.on('SIGTERM', leave);
	process.on('SIGINT', leave);
	process.on('SIGHUP', leave);
	try {
		await instance.waitUntilExit();
	} finally {
		instance.unmount();
		screen.close();
		fleet.close();
		process.stdin.off('end', leave);
		process.off('SIGTERM', leave);
		process.off('SIGINT', leave);
		process.off('SIGHUP', leave);
	}

	const count = entries.length;
	process.stdout.write(`fatc: left the fleet view; ${count === 1 ? 'its daemon goes' : `its ${count} daemons go`} on running.\n`);
	return 0;
}
