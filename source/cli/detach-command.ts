import type {Configuration} from '../core/job-definition.js';
import {daemonPaths} from '../daemon/daemon-paths.js';
import {startDaemon} from '../daemon/detach.js';
import {DaemonRunningError} from '../daemon/pid-file.js';

/**
 * `fatc --detach`: starts the headless daemon, prints its pid and socket once it answers. `json`: its log in JSON.
 * `configArgument`: ` -c FILE` when the config was named, so that the printed hints reach it from this folder.
 */
export async function detachCommand(configuration: Configuration, options: {fresh?: boolean; json?: boolean; configArgument?: string} = {}): Promise<number> {
	const again = options.configArgument ?? '';
	let client;
	try {
		client = await startDaemon(configuration, {fresh: options.fresh, json: options.json});
	} catch (error) {
		if (error instanceof DaemonRunningError) {
			throw new DaemonRunningError(`${error.message}; see it with "fatc attach${again}" or "fatc status${again}"; stop it with "fatc stop${again}"`, error.pid);
		}

		throw error;
	}

	client.close();
	const paths = daemonPaths(configuration);
	process.stdout.write(`fatc daemon "${configuration.name}" started: pid ${client.daemon.pid}, socket ${paths.socket}\nlog: ${paths.log}\nsee it with "fatc attach${again}" or "fatc status${again}"; stop it with "fatc stop${again}"\n`);
	return 0;
}
