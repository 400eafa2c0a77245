import {watchConfiguration, type ConfigurationWatcher} from '../config/watch-configuration.js';
import type {Configuration} from '../core/job-definition.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import {describeError} from '../reporters/describe-error.js';

export type WatchForReloadOptions = {
	configuration: Configuration;
	loadConfiguration?: () => Promise<Configuration>;
	runOnce?: boolean;
	onEvent: (event: SupervisorEvent) => void;
};

/**
 * Live reload: each save of the config file that fatc loaded runs `reload()` (the same one as SIGHUP, `fatc reload`
 * and `R`). Nothing is watched for a config made from command-line flags, nor for `--run-once`.
 */
export function watchForReload(options: WatchForReloadOptions, supervisor: Pick<SupervisorHandle, 'reload'>): ConfigurationWatcher | undefined {
	const file = options.configuration.configFile;
	if (options.loadConfiguration === undefined || file === undefined || options.runOnce) {
		return undefined;
	}

	let closed = false;
	const watcher = watchConfiguration(file, {
		onChange() {
			void supervisor.reload();
		},
		onError(error) {
			options.onEvent({time: Date.now(), type: 'supervisor-error', message: `watching ${file}: ${describeError(error)}`});
		},
	});
	void watcher.ready.then(() => {
		if (!closed) {
			options.onEvent({time: Date.now(), type: 'config-watching', file});
		}
	});
	return {
		ready: watcher.ready,
		async close() {
			closed = true;
			await watcher.close();
		},
	};
}
