import {existsSync} from 'node:fs';
import type {ControlServer} from './control-server.js';
import type {DaemonPaths} from './daemon-paths.js';
import {acquirePidFile, DaemonRunningError, pidFileHolder} from './pid-file.js';
import {ensurePrivateDirectory} from './private-directory.js';
import type {RunRegistry} from './run-registry.js';

/** How often the runDir's entries are looked at: two stat calls and a small read. */
export const keepInterval = 1000;

export type KeepOptions = {
	paths: DaemonPaths;
	server: ControlServer;
	registry: RunRegistry;
	/** One line for the event log: what was lost and made again, or why it could not be. */
	report(message: string): void;
	/** Another fatc took this config's pid file while this one's was gone: it serves the jobs now. */
	onDisplaced(pid: number): void;
};

/**
 * Keeps the pid file, the control socket and the run registry in the runDir while the daemon runs. Someone else may
 * remove them: logind removes $XDG_RUNTIME_DIR (/run/user/UID, the default runDir's parent) when the user's last
 * session ends unless lingering is on, and /tmp cleaners remove old files. A daemon without them goes on supervising
 * its jobs unseen — `fatc status` and `fatc stop` find no daemon — and a second `fatc --detach` would start the same
 * jobs beside it (measured before this: it did, and killed the first one's runs as a crashed fatc's leftovers). So
 * every second the daemon looks, and makes again what is missing (the runDir too, when its parent is there); when it
 * cannot (the runtime directory itself is gone, and root's to make), it says so once and tries again until it can
 * (logind makes it again at the user's next login). If another fatc took the pid file meanwhile, two serve the same
 * jobs: this one gives way.
 */
export function keepRunDirectory(options: KeepOptions): {close(): void} {
	const {paths, server, registry, report} = options;
	let checking = false;
	let failing: string | undefined;
	let stopped = false;

	const check = async () => {
		const holder = pidFileHolder(paths.pidFile);
		if (holder !== undefined && holder !== process.pid) {
			stopped = true;
			report(`another fatc (pid ${holder}) took ${paths.pidFile} while this one's was gone, and serves the same jobs: this fatc stops, so that they do not run twice`);
			options.onDisplaced(holder);
			return;
		}

		const lost = [
			...(holder === undefined ? [paths.pidFile] : []),
			...(server.holdsPath() ? [] : [paths.socket]),
			...(existsSync(paths.runRegistry) ? [] : [paths.runRegistry]),
		];
		if (lost.length === 0) {
			failing = undefined;
			return;
		}

		try {
			// The folder itself, not its parents: a removed /run/user/UID is logind's to make (at the next login), and a
			// project folder deleted whole is not brought back.
			await ensurePrivateDirectory(paths.runDir, {parents: false});
			if (holder === undefined) {
				// Taken as at start: of two fatcs taking it now, exactly one gets it.
				await acquirePidFile(paths.pidFile);
			}

			if (!server.holdsPath()) {
				await server.relisten();
			}

			if (!existsSync(paths.runRegistry) && !registry.rewrite()) {
				throw new Error(`could not write ${paths.runRegistry}`);
			}
		} catch (error) {
			if (error instanceof DaemonRunningError) {
				return;
			}

			const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			if (failing !== cause) {
				failing = cause;
				report(`${lost.join(', ')} removed by someone else (logind removes $XDG_RUNTIME_DIR at the last logout unless lingering: loginctl enable-linger), and cannot be made again (${cause}): fatc status and fatc stop cannot reach this fatc (pid ${process.pid}) until they are; it tries again every ${keepInterval / 1000} s`);
			}

			return;
		}

		failing = undefined;
		report(`${lost.join(', ')} removed by someone else (logind removes $XDG_RUNTIME_DIR at the last logout unless lingering: loginctl enable-linger): made again`);
	};

	const timer = setInterval(() => {
		if (checking || stopped) {
			return;
		}

		checking = true;
		void check().finally(() => {
			checking = false;
		});
	}, keepInterval);
	// Never what keeps fatc running.
	timer.unref();
	return {
		close() {
			stopped = true;
			clearInterval(timer);
		},
	};
}
