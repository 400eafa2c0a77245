import type {Configuration} from '../core/job-definition.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import {startDaemon} from '../daemon/detach.js';

/** `fatc --detach`: starts the headless daemon, prints its pid and socket once it answers. `json`: its log in JSON. */
export async function detachCommand(configuration: Configuration, options: {fresh?: boolean; json?: boolean} = {}): Promise<number> {
	const client = await startDaemon(configuration, {fresh: options.fresh, json: options.json});
	client.close();
	const paths = daemonPaths(configuration);
	process.stdout.write(`fatc daemon "${configuration.name}" started: pid ${client.daemon.pid}, socket ${paths.socket}\nlog: ${paths.log}\nsee it with "fatc attach" or "fatc status"; stop it with "fatc stop"\n`);
	return 0;
}
