import type {Configuration} from '../core/job-definition.js';
import {createSupervisor, type Supervisor} from '../core/supervisor.js';
import type {SupervisorHandle} from '../core/supervisor-handle.js';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {createProcessDriver} from '../driver/create-process-driver.js';
import {createResourceSampler} from '../driver/resource-sampler.js';
import {describeError} from '../reporters/describe-error.js';
import {describeEvent} from '../reporters/describe-event.js';
import {createNotifier} from '../notify/create-notifier.js';
import {descriptorWarning, openFileLimit, type DescriptorsPerRun} from '../driver/descriptor-budget.js';
import {raiseOpenFileLimit} from '../driver/open-file-limit.js';
import {keepChanges} from './keep-changes.js';
import {keepHistory} from './history-file.js';
import {probeStarter} from '../driver/start-probe.js';
import {createSensors} from '../world/create-sensors.js';
import {createMetrics, type Metrics} from '../metrics/create-metrics.js';
import {serveMetrics} from '../metrics/metrics-server.js';
import {watchForReload} from './watch-for-reload.js';
import {prepareFleet} from './join-fleet.js';
import {connectRedis, type RedisConnection} from '../cluster/connect-redis.js';
import {prepareClusterLimits} from './cluster-limits.js';

export type SupervisionOptions = {
	configuration: Configuration;
	/** Loads the config file again (reload); absent for a config made from command-line flags. */
	loadConfiguration?: () => Promise<Configuration>;
	runOnce?: boolean;
	/** Every event, from the first on. */
	onEvent: (event: SupervisorEvent) => void;
	/** Just before each run's process is spawned, with its job and run number. */
	beforeSpawn?: (job: string, runId: number) => void;
	/**
	 * Keep scales and pauses made at run time in runDir and re-apply them when this config starts again
	 * (keep-changes.ts); `fresh` forgets them. Absent, and with runOnce: nothing is kept (tests, a one-pass run).
	 * Set, every run's end is also kept in <logDir>/<name>.history.ndjson (history-file.ts), with runOnce too.
	 */
	remember?: {fresh: boolean};
	/** Aborted: stop gracefully, as on a first SIGTERM (`fatc run` whose stdout is gone). */
	stop?: AbortSignal;
};

export type Supervision = {
	/** Created, but nothing runs until start(): a face (the control socket) can be up before the first spawn. */
	supervisor: Supervisor;
	/** Prometheus metrics of this supervisor, counted from its start; served on HTTP when the config has `metrics`. */
	metrics: Metrics;
	/**
	 * Connects to Redis when the config has `cluster` (at most once; start() calls it too). A daemon calls it before its
	 * control socket is up: with `onUnavailable: fail` an unreachable Redis ends it before it answers, so `fatc --detach`
	 * says why instead of handing off to a daemon about to exit.
	 */
	connect(): Promise<void>;
	/** Takes the signals, starts the jobs and watches the config; resolves when every job is over. */
	start(): Promise<{ok: boolean}>;
	/**
	 * Instead of start(), when it will never be called (Redis unreachable, the socket not served): closes what was
	 * prepared — the runs' cgroup, which a fatc that exits before its first run would otherwise leave behind.
	 */
	abandon(): Promise<void>;
	/** What leaves a run's group is re-parented to fatc (SpawnEngine.adopts): escaped processes are below its children. */
	adoptsOrphans: boolean;
};

/**
 * The one place that hosts the core in a process (`fatc run`, the TUI, the daemon): the real driver, the supervisor,
 * and the signals of SPEC §4 — SIGTERM/SIGINT stop gracefully, a second one SIGKILLs every run; SIGHUP reopens the
 * log files and reloads the config; SIGUSR1 only reopens the log files (logrotate). Saves of the config file reload
 * it too (watch-for-reload.ts).
 */
export function prepareSupervision(options: SupervisionOptions): Supervision {
	const driver = createProcessDriver({
		onError(error) {
			options.onEvent({time: Date.now(), type: 'supervisor-error', message: describeError(error)});
		},
		onWarning(message) {
			options.onEvent({time: Date.now(), type: 'supervisor-warning', message});
		},
		onLogResumed(file, dropped) {
			options.onEvent({time: Date.now(), type: 'log-resumed', file, droppedLines: dropped.lines, droppedBytes: dropped.bytes});
		},
		beforeSpawn: options.beforeSpawn && (request => {
			options.beforeSpawn!(request.job, request.runId);
		}),
		runCgroup: options.configuration.cgroup === false ? undefined : options.configuration.name,
	});
	const kept = options.remember && !options.runOnce ? keepChanges({...options, fresh: options.remember.fresh}) : undefined;
	const history = options.remember ? keepHistory(options) : undefined;
	// Each job's `notify` command, told of the events it chose; it follows the loads to apply reloads.
	const notifier = createNotifier({
		configuration: options.configuration,
		describe: describeEvent,
		onError(message) {
			options.onEvent({time: Date.now(), type: 'supervisor-error', message});
		},
	});
	// Jobs with `cluster`: their starts wait for a lease in Redis (cluster-limits.ts).
	const clusterLimits = prepareClusterLimits(options.configuration, options.onEvent);
	const core = createSupervisor({
		configuration: options.configuration,
		startScales: kept?.startScales,
		loadConfiguration: notifier.follow(kept?.loadConfiguration ?? options.loadConfiguration),
		driver,
		runOnce: options.runOnce,
		history: history?.earlier,
		// A refused event is a bug: under tests (and FATC_STRICT=1) it throws; in production it is one error line.
		strict: process.env['FATC_STRICT'] === '1' || process.env['NODE_TEST_CONTEXT'] !== undefined,
		// Lazy: it scans /proc only when a face asks for a snapshot with CPU figures (the TUI, `status --json`), never for `fatc run`.
		resourceSampler: createResourceSampler(),
		// The load, probes and wake files of hold, backlog and wake; watched only for jobs that set them.
		sensors: createSensors({
			onError(error) {
				options.onEvent({time: Date.now(), type: 'supervisor-error', message: describeError(error)});
			},
			// Probes start as runs do (posix_spawn where it loads): no fork of fatc every probe.
			startProbe: probeStarter(driver.engine),
		}),
		cluster: clusterLimits?.leases,
	});
	// Before the first start: a remembered pause starts no run at all.
	const handSupervisor = kept?.keep(core) ?? core;
	// With a `cluster`: the fleet's pauses (fatc cluster pause) go to the core, the person's through keep-changes.
	const {cluster} = options.configuration;
	// The heartbeat counts the leases of the jobs with a cluster limit (as the config was at start, as the leases do).
	const limited = new Set(options.configuration.jobs.filter(job => job.cluster).map(job => job.name));
	const leases = clusterLimits && ((job: string) => (limited.has(job) ? clusterLimits.leases.held(job) : undefined));
	const fleet = cluster && prepareFleet({settings: cluster, core, outer: handSupervisor, onEvent: options.onEvent, leases});
	const supervisor = fleet?.supervisor ?? handSupervisor;
	const metrics = createMetrics(supervisor);
	let stopSignals = 0;
	const onStopSignal = () => {
		stopSignals++;
		if (stopSignals === 1) {
			void supervisor.shutdown();
		} else {
			supervisor.kill();
		}
	};

	const reopenLogs = (signal: string) => {
		driver.reopenLogs();
		options.onEvent({time: Date.now(), type: 'logs-reopened', signal});
	};

	const onHangUp = () => {
		reopenLogs('SIGHUP');
		if (options.loadConfiguration) {
			void supervisor.reload();
		}
	};

	// logrotate's signal (as nginx's): the logs only, no reload.
	const onLogRotation = () => {
		reopenLogs('SIGUSR1');
	};

	let connecting: Promise<RedisConnection | undefined> | undefined;
	const connectCluster = async () => {
		connecting ??= (async () => {
			if (!cluster) {
				return undefined;
			}

			const connection = await connectRedis(cluster, {waitForIt: cluster.onUnavailable === 'local'});
			clusterLimits?.use(connection);
			return connection;
		})();
		return connecting;
	};

	async function start() {
		const unsubscribe = supervisor.subscribe(options.onEvent);
		const stopNotifying = supervisor.subscribe(notifier.observe);
		kept?.announce();
		const stopRecording = history?.record(supervisor);
		raiseOpenFileLimit();
		const stopCountingDescriptors = warnPastDescriptorLimit(supervisor, driver.engine.descriptorsPerRun, options.onEvent);

		// Listening before the first start, so a scrape never misses a run; a port in use is one line, not a stop.
		const metricsServer = options.configuration.metrics && await serveMetrics(options.configuration.metrics, metrics).catch((error: unknown) => {
			options.onEvent({time: Date.now(), type: 'supervisor-error', message: `${describeError(error)}; supervision goes on without it`});
			return undefined;
		});
		// No await without a cluster: start() decides the first runs at once.
		const connection = cluster ? await connectCluster() : undefined;
		// The cluster pauses are read before the first start (and told, now that the faces listen): a job paused
		// across the cluster starts no run here.
		if (connection && fleet) {
			await fleet.join(connection);
		}

		process.on('SIGINT', onStopSignal);
		process.on('SIGTERM', onStopSignal);
		process.on('SIGHUP', onHangUp);
		process.on('SIGUSR1', onLogRotation);
		options.stop?.addEventListener('abort', onStopSignal, {once: true});
		supervisor.start();
		if (options.stop?.aborted) {
			onStopSignal();
		}

		const watcher = watchForReload(options, supervisor);
		try {
			const outcome = await supervisor.finished;
			await supervisor.shutdown();
			return outcome;
		} finally {
			unsubscribe();
			stopCountingDescriptors();
			stopNotifying();
			stopRecording?.();
			process.off('SIGINT', onStopSignal);
			process.off('SIGTERM', onStopSignal);
			process.off('SIGHUP', onHangUp);
			process.off('SIGUSR1', onLogRotation);
			options.stop?.removeEventListener('abort', onStopSignal);
			await watcher?.close();
			await history?.close();
			// Running notifiers finish (up to their timeout); what waits is dropped.
			await notifier.close();
			await metricsServer?.close();
			await fleet?.leave();
			await clusterLimits?.leases.close();
			await connection?.close();
			metrics.close();
		}
	}

	return {
		supervisor,
		metrics,
		async connect() {
			await connectCluster();
		},
		start,
		async abandon() {
			await driver.close();
		},
		adoptsOrphans: driver.engine.adopts === true,
	};
}

/**
 * Warns when the jobs need more file descriptors than the open-file limit holds: at start (with the instances the
 * core starts them at, a remembered scale's where there is one), and when a scale by hand (`fatc scale`, the TUI's +)
 * or a reload takes them past it — once each time they go past, not for every scale while they stay there. Returns
 * its removal.
 */
function warnPastDescriptorLimit(
	supervisor: SupervisorHandle,
	perRun: DescriptorsPerRun,
	onEvent: (event: SupervisorEvent) => void,
): () => void {
	let past = false;
	const check = () => {
		// The jobs without their runs: instances and log files are all it counts.
		const {jobs} = supervisor.snapshot(() => ({offset: 0, limit: 0}), {usage: false});
		const warning = descriptorWarning({jobs}, openFileLimit(), perRun);
		if (warning !== undefined && !past) {
			onEvent({time: Date.now(), type: 'supervisor-warning', message: warning});
		}

		past = warning !== undefined;
	};

	check();
	return supervisor.subscribe(event => {
		if (event.type === 'scaled' || event.type === 'config-reloaded') {
			check();
		}
	});
}
