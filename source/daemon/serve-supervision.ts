import type {SupervisorEvent} from '../core/supervisor-event.js';
import {BoundedList} from '../core/bounded-list.js';
import {prepareSupervision, type SupervisionOptions} from '../host/start-supervision.js';
import {startControlServer, type ControlServer} from './control-server.js';
import {daemonPaths} from './daemon-paths.js';
import {keepRunDirectory} from './keep-run-directory.js';
import {acquirePidFile, DaemonRunningError, pidFileHolder} from './pid-file.js';
import {ensurePrivateDirectory} from './private-directory.js';
import {describeLeftovers, openRunRegistry, reapLeftovers} from './run-registry.js';
import {createEscapeSweeper, instanceVariable, servingFatc, sweepInstance} from './sweep-escaped.js';

export type ServeOptions = SupervisionOptions & {
	/** Started by a local TUI: shut down when that TUI disconnects without handing off (SPEC §5). */
	owned?: boolean;
};

/**
 * The core as one named instance, whether in the foreground (`fatc run`) or detached: takes the pid file (so no second
 * fatc of that name ever supervises the same jobs: SPEC §2.1), reaps what a SIGKILLed predecessor left (§2.2), records
 * the process groups of runs under way, and answers on the control socket. Resolves once every run is gone.
 */
export async function serveSupervision(options: ServeOptions): Promise<{ok: boolean}> {
	const paths = daemonPaths(options.configuration);
	// Every run, and whatever it starts, inherits the mark: how escaped processes are found (sweep-escaped.ts).
	process.env[instanceVariable] = paths.socket;
	await ensurePrivateDirectory(paths.runDir);
	// With no live fatc in the pid file, one may still serve this config, its files removed under it (it makes them
	// again within a second): found by its runs. Before the pid file is taken, which that fatc would give way to.
	const serving = pidFileHolder(paths.pidFile) === undefined ? servingFatc(paths.socket) : undefined;
	if (serving !== undefined) {
		throw new DaemonRunningError(`a fatc daemon of this name already runs (pid ${serving}), though its pid file and socket in ${paths.runDir} were removed: it makes them again within a second`, serving);
	}

	const pidFile = await acquirePidFile(paths.pidFile);
	try {
		const leftovers = await reapLeftovers(paths.runRegistry);
		for (const message of describeLeftovers(leftovers, sweepInstance(paths.socket))) {
			options.onEvent({time: Date.now(), type: 'supervisor-error', message});
		}

		const registry = openRunRegistry(paths.runRegistry);
		const recentEvents = new BoundedList<SupervisorEvent>(200);
		const report = (event: SupervisorEvent) => {
			registry.record(event);
			recentEvents.push(event);
			options.onEvent(event);
		};

		// Known once the driver is made, before any run starts.
		let adoptsOrphans = false;
		// Marked processes are this fatc's only while it holds the pid file (keep-run-directory.ts).
		const holdsPidFile = () => pidFileHolder(paths.pidFile) === process.pid;
		const sweeper = createEscapeSweeper(paths.socket, report, pgid => registry.hasGroup(pgid), () => adoptsOrphans, holdsPidFile);
		const {supervisor, metrics, connect, start, abandon, ...supervision} = prepareSupervision({
			...options,
			beforeSpawn: (job, runId) => {
				registry.starting(job, runId);
			},
			onEvent(event: SupervisorEvent) {
				report(event);
				sweeper.record(event);
			},
		});
		adoptsOrphans = supervision.adoptsOrphans;
		let server: ControlServer | undefined;
		let started = false;
		try {
			// Redis first: a daemon that answers on its socket has its cluster connection (or was told to go on without it).
			await connect();
			// Listening before the first spawn: thousands of runs can neither delay the socket nor take its descriptor.
			// Should it fail, nothing has started.
			server = await startControlServer({
				socketPath: paths.socket,
				handle: supervisor,
				name: options.configuration.name,
				recentEvents: () => recentEvents.toArray(),
				metrics: async () => metrics.text(),
				onOwnerLost: options.owned ? () => void supervisor.shutdown() : undefined,
				onAttachment(change, tuis) {
					report({time: Date.now(), type: 'attachment', change, tuis});
				},
			});
			const keeper = keepRunDirectory({
				paths,
				server,
				registry,
				report(message) {
					report({time: Date.now(), type: 'supervisor-error', message});
				},
				onDisplaced: () => void supervisor.shutdown(),
			});
			started = true;
			const outcome = await start().finally(() => {
				keeper.close();
			});
			const escaped = holdsPidFile() ? sweepInstance(paths.socket) : [];
			if (escaped.length > 0) {
				options.onEvent({time: Date.now(), type: 'supervisor-warning', message: `killed ${escaped.length} processes that had left their run's process group: ${escaped.map(({pid}) => pid).join(', ')}`});
			}

			return outcome;
		} finally {
			if (!started) {
				await abandon();
			}

			sweeper.close();
			await server?.close();
			registry.close();
		}
	} finally {
		await pidFile.release();
	}
}
