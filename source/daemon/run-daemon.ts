import type {Configuration} from '../core/job-definition.js';
import {startSupervision} from '../host/start-supervision.js';
import {createLineReporter} from '../reporters/line-reporter.js';
import {startControlServer} from './control-server.js';
import {daemonPaths} from './daemon-paths.js';
import {acquirePidFile} from './pid-file.js';
import {ensurePrivateDirectory} from './private-directory.js';
import {openRunRegistry, reapLeftovers} from './run-registry.js';

export type DaemonOptions = {
	loadConfiguration?: () => Promise<Configuration>;
	/** Started by a local TUI: shut down when that TUI disconnects without handing off (SPEC §5). */
	owned: boolean;
};

/**
 * The headless daemon's body (its stdio already goes to its log): pid file, reaping what a SIGKILLed predecessor
 * left, the core, and the control socket. Resolves with the exit status once every run is gone.
 */
export async function runDaemon(configuration: Configuration, options: DaemonOptions): Promise<number> {
	process.umask(0o027);
	const paths = daemonPaths(configuration);
	await ensurePrivateDirectory(paths.runDir);
	const pidFile = await acquirePidFile(paths.pidFile);
	const report = createLineReporter(process.stdout);
	try {
		const reaped = await reapLeftovers(paths.runRegistry);
		if (reaped.length > 0) {
			report({time: Date.now(), type: 'supervisor-error', message: `reaped ${reaped.length} process groups left by a fatc that was killed: ${reaped.join(', ')}`});
		}

		const registry = openRunRegistry(paths.runRegistry);
		const {supervisor, done} = startSupervision({
			configuration,
			loadConfiguration: options.loadConfiguration,
			onEvent(event) {
				registry.record(event);
				report(event);
			},
		});
		const server = await startControlServer({
			socketPath: paths.socket,
			handle: supervisor,
			name: configuration.name,
			onOwnerLost: options.owned ? () => void supervisor.shutdown() : undefined,
		});
		await done;
		await server.close();
		registry.close();
		return 0;
	} finally {
		await pidFile.release();
	}
}
