import {describeDiff, diffConfiguration, type ConfigurationDiff} from './diff-configuration.js';
import type {Configuration} from './job-definition.js';
import type {UntimedEvent} from './event-bus.js';
import type {ReloadOutcome} from './supervisor-handle.js';

export type ReloaderOptions = {
	/** The config running now. */
	configuration: Configuration;
	/** Reads the file again; throws (a ConfigError, naming file, key path and problem) when it cannot be used. */
	load?: () => Promise<Configuration>;
	/** Applies a valid config's changes to the jobs. */
	apply(diff: ConfigurationDiff): void;
	/** Tells the faces; the bus stamps the time. */
	emit(event: UntimedEvent): void;
	/** Sets (or, with null, clears) the error shown in snapshots. */
	setConfigError(message: string | null): void;
	/** True once shutdown began: a reload then changes nothing. */
	isStopping(): boolean;
};

/**
 * `reload()` for the handle: validate first, then apply only what changed. An invalid file changes nothing and its
 * error stays in the snapshot until a valid load. Reloads run one at a time; any number asked for during one run
 * as one more after it (the watcher and a SIGHUP at once read the file twice, never apply two halves).
 */
export function createReloader(options: ReloaderOptions): () => Promise<ReloadOutcome> {
	let current = options.configuration;
	let running: Promise<ReloadOutcome> | undefined;
	let waiting: Promise<ReloadOutcome> | undefined;
	const stopping: ReloadOutcome = {ok: false, error: 'fatc is stopping: the config was not reloaded'};

	async function reloadOnce(load: () => Promise<Configuration>): Promise<ReloadOutcome> {
		if (options.isStopping()) {
			return stopping;
		}

		let next: Configuration;
		try {
			next = await load();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			options.setConfigError(message);
			options.emit({type: 'config-error', message});
			return {ok: false, error: message};
		}

		if (options.isStopping()) {
			return stopping;
		}

		const diff = diffConfiguration(current, next);
		const summary = describeDiff(diff);
		current = diff.configuration;
		options.setConfigError(null);
		// The summary line comes first: the run lines it causes follow it.
		options.emit({type: 'config-reloaded', summary, ...diff.counts, needsRestart: diff.needsRestart});
		options.apply(diff);
		return {ok: true, summary};
	}

	function reload(): Promise<ReloadOutcome> {
		const {load} = options;
		if (load === undefined) {
			return Promise.resolve({ok: false, error: 'this config came from command-line flags: there is no file to reload'});
		}

		if (waiting) {
			return waiting;
		}

		if (running) {
			const next = async () => {
				waiting = undefined;
				return reload();
			};
			waiting = running.then(next, next);
			return waiting;
		}

		running = reloadOnce(load).finally(() => {
			running = undefined;
		});
		return running;
	}

	return reload;
}
